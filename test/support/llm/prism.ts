import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The trimmed copy of OpenAI's API description (see fixtures/README.md). */
export const OPENAI_SPEC = fileURLToPath(
  new URL('../../../fixtures/llm/openai_openapi.trimmed.yaml', import.meta.url),
);
// Run through node: the package's bin file is not always installed executable.
const PRISM = fileURLToPath(
  new URL('../../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url),
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PrismProxy {
  /** Base URL to give the SDK (the description's paths have no /v1 prefix, so neither has this). */
  url: string;
  /** Everything prism printed (violations show here). */
  output: () => string;
  close(): Promise<void>;
}

/**
 * Starts `prism proxy --errors` with OpenAI's API description in front of `upstream`: a request or an
 * answer that breaks the description is answered with an error (422/500 and a `sl-violations` header),
 * so a test passing through it shows both sides match OpenAI's published shapes.
 */
export async function startPrismProxy(upstream: string, spec = OPENAI_SPEC): Promise<PrismProxy> {
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [PRISM, 'proxy', '--errors', spec, upstream, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const deadline = Date.now() + 60_000;
  while (!/listening on/i.test(out)) {
    if (child.exitCode !== null) throw new Error(`prism exited (${child.exitCode}): ${out}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`prism did not start within 60 s: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
