import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type TestLocation, testLocation } from './support/store.ts';

/**
 * The README's start command, for real: the demo network replays the bundled
 * games, posts flow into the outbox within a minute, the health endpoints
 * answer, and SIGTERM stops it cleanly.
 */
describe('wirereport start --demo', () => {
  it('publishes within a minute and stops gracefully on SIGTERM', async () => {
    const location: TestLocation = await testLocation();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      ['src/cli/main.ts', 'start', '--demo', '--port', String(port), '--speed', '60', ...location.args],
      { env: { ...process.env, ...location.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const started = Date.now();
      let messages: { text: string }[] = [];
      while (Date.now() - started < 60_000) {
        try {
          const r = await fetch(`${base}/api/outbox?limit=10`, { signal: AbortSignal.timeout(2000) });
          if (r.ok) messages = ((await r.json()) as { messages: { text: string }[] }).messages;
        } catch {
          // not listening yet
        }
        if (messages.length >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(messages.length, stderr).toBeGreaterThanOrEqual(3);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toContain('<html');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await location.dispose();
    }
  }, 120_000);
});
