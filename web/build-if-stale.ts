import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the dashboard (`vite build web`) when `web/dist/index.html` is
 * missing or older than any source of it (web/src, web/public, index.html, the Vite
 * configuration). `npm start` and the dashboard tests call it, so they never
 * serve a stale page. Returns whether it built.
 */

const WEB = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(WEB, '..');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** True when the build is missing or older than its sources. */
export function webBuildIsStale(): boolean {
  const built = join(WEB, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts']
    .map((p) => join(WEB, p))
    .filter((p) => existsSync(p));
  return Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
}

/** Builds when stale (see {@link webBuildIsStale}); throws with Vite's output when the build fails. */
export function ensureWebBuild(options: { log?: (line: string) => void } = {}): boolean {
  if (!webBuildIsStale()) return false;
  options.log?.('building the dashboard (web/dist)…');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    execFileSync(process.execPath, [vite, 'build', 'web', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'pipe',
      // Always React's production build: a build started under Vitest (NODE_ENV=test)
      // would otherwise bundle the development one, twice the size, and be served.
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`dashboard build failed: ${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`, {
      cause: error,
    });
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureWebBuild({ log: (line) => process.stderr.write(`${line}\n`) });
}
