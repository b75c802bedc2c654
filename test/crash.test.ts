import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestLocation, testLocation } from './support/store.ts';

const NBA = 'fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json';
const NFL = 'fixtures/espn/nfl_summary_401547417_GB-ATL_2023-09-17.json';
const ARGS = ['src/cli/main.ts', 'replay', NBA, NFL, '--config', 'demo/wirereport.yaml', '--json'];

/** Runs a replay in a child process; kills it with SIGKILL after `killAfterMs` (if given). */
function replay(
  location: TestLocation,
  killAfterMs?: number,
): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...ARGS, ...location.args], {
      env: { ...process.env, ...location.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      // Kill only once replaying (and so publishing) is under way.
      if (killAfterMs !== undefined && stderr.includes('replaying ') && !child.killed) {
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        killAfterMs = undefined;
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`replay failed (${code}): ${stderr}`));
      else resolve({ code, signal, stdout });
    });
  });
}

describe('killing the engine with SIGKILL during a replay', () => {
  let location: TestLocation;
  beforeAll(async () => {
    location = await testLocation();
  });
  afterAll(async () => {
    await location.dispose();
  });

  it('loses no queued post and publishes none twice', async () => {
    // A few kills at different moments of the replay, then a run to the end.
    const kills = [700, 1500, 400, 1100, 250, 900];
    let killed = 0;
    for (const ms of kills) {
      const r = await replay(location, ms);
      if (r.signal === 'SIGKILL') killed++;
    }
    expect(killed).toBeGreaterThan(0);
    const last = await replay(location);
    expect(last.code).toBe(0);

    const store = await location.open();
    try {
      const byStatus = await store.db
        .selectFrom('posts')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
      // Nothing stranded: every post ended published, expired, or rejected.
      for (const stranded of ['queued', 'publishing', 'unconfirmed', 'drafted', 'verified']) {
        expect(counts[stranded] ?? 0, stranded).toBe(0);
      }
      expect(counts.published ?? 0).toBeGreaterThan(20);
      // Counted on the outbox itself: one message per published post, no text twice per account.
      const messages = await store.db.selectFrom('outbox_messages').selectAll().execute();
      expect(messages.length).toBe(counts.published);
      expect(new Set(messages.map((m) => m.idempotency_key)).size).toBe(messages.length);
      expect(new Set(messages.map((m) => `${m.account_id}\u0000${m.text}`)).size).toBe(messages.length);
      // Every event of both games was stored exactly once.
      const events = await store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(events.n)).toBeGreaterThan(600);
    } finally {
      await store.close();
    }
  }, 240_000);
});
