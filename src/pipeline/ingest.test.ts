import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.ts';
import { loadConfig } from '../app/config.ts';
import { loadRecording } from '../app/recordings.ts';
import { scoreGame } from '../signals/score-game.ts';
import { syncAccounts } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { createDeterministicWriter } from '../write/deterministic.ts';
import type { Writer } from '../write/writer.ts';
import { ManualClock } from './clock.ts';
import { Ingestor } from './ingest.ts';

const config = loadConfig('demo/wirereport.yaml', { env: {} });
const recording = await loadRecording('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json');
const scored = scoreGame(recording.events);

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** An ingestor (as a process has one) whose writer counts the drafts it is asked for. */
function ingestorOn(s: Store): { ingestor: Ingestor; writes: () => number } {
  const template = createDeterministicWriter();
  let writes = 0;
  const writer: Writer = {
    name: template.name,
    write(request) {
      writes += 1;
      return template.write(request);
    },
  };
  const clock = new ManualClock(scored[0]!.event.occurredAt);
  const ingestor = new Ingestor({
    store: s,
    accounts: config.accounts,
    voices: config.voices,
    writer,
    clock,
  });
  return { ingestor, writes: () => writes };
}

async function countRows(s: Store): Promise<{ events: number; posts: number }> {
  const count = async (table: 'events' | 'posts') =>
    Number(
      (
        await s.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { events: await count('events'), posts: await count('posts') };
}

describe('ingestor', () => {
  it('knows the events it stored and those a previous run stored, and writes no draft for them again', async () => {
    store = await openTestStore();
    await syncAccounts(store.db, config.accounts, new Date(scored[0]!.event.occurredAt));
    const half = Math.floor(scored.length / 2);
    const first = ingestorOn(store);
    const results = await first.ingestor.ingest(scored.slice(0, half));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const written = first.writes();
    expect(written).toBeGreaterThan(0);
    const afterFirst = await countRows(store);
    expect(afterFirst.events).toBe(half);
    expect(afterFirst.posts).toBeGreaterThan(0);

    // The same ingestor, the same events again (a feed re-sending them): nothing new, nothing written.
    const again = await first.ingestor.ingest(scored.slice(0, half));
    expect(again.every((r) => r.duplicate && r.posts.length === 0)).toBe(true);
    expect(await countRows(store)).toEqual(afterFirst);
    expect(first.writes()).toBe(written);

    // A new process (a restart) on the same store: the stored half is recognised, the rest is new.
    const second = ingestorOn(store);
    const all = await second.ingestor.ingest(scored);
    expect(all.slice(0, half).every((r) => r.duplicate && r.posts.length === 0)).toBe(true);
    expect(all.slice(half).every((r) => !r.duplicate)).toBe(true);
    const created = all.reduce((n, r) => n + r.posts.length, 0);
    expect(await countRows(store)).toEqual({ events: scored.length, posts: afterFirst.posts + created });
    // Only the new half was written about: no draft is paid for twice, which matters with a model.
    expect(second.writes()).toBe(created);
  }, 60_000);
});
