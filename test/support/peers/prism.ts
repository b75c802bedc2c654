import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { freePort } from './ports.ts';

/**
 * prism (`@stoplight/prism-cli`) as a validating proxy: every request and every
 * answer of the upstream fake is checked against the platform's OpenAPI
 * description (`--errors`: a violation is an error, not a warning).
 */
export interface PrismProxy {
  url: string;
  /** prism's own log (validation errors show here). */
  log(): string;
  stop(): Promise<void>;
}

export async function startPrismProxy(
  spec: string,
  upstream: string,
  timeoutMs = 60_000,
): Promise<PrismProxy> {
  const bin = new URL('../../../node_modules/.bin/prism', import.meta.url).pathname;
  if (!existsSync(bin))
    throw new Error(`prism is not installed (${bin}): npm install --save-dev @stoplight/prism-cli@5.14`);
  const port = await freePort();
  let log = '';
  // Run through this Node (the installed bin lacks the executable bit here).
  const child: ChildProcess = spawn(
    process.execPath,
    [realpathSync(bin), 'proxy', '--errors', '-h', '127.0.0.1', '-p', String(port), spec, upstream],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const collect = (d: Buffer) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`prism did not start within ${timeoutMs} ms: ${log.slice(-2000)}`)),
      timeoutMs,
    );
    const check = () => {
      if (/Prism is listening/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`prism could not start: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited (${code}) before listening: ${log.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
