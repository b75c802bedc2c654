import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.ts';
import { loadConfig } from '../app/config.ts';
import { loadRecording } from '../app/recordings.ts';
import { scoreGame } from '../signals/score-game.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
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
function ingestorOn(s: Store, planOnThread = false): { ingestor: Ingestor; writes: () => number } {
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
    planOnThread,
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

/** Counts the transactions begun on a store. */
function countTransactions(s: Store): () => number {
  let n = 0;
  const begin = s.db.transaction.bind(s.db);
  s.db.transaction = () => {
    n += 1;
    return begin();
  };
  return () => n;
}

/** The batches a replay would send: quiet stretches with the newsworthy event that ends them. */
function batchesOf(ingestor: Ingestor, events: readonly ScoredEvent[]): ScoredEvent[][] {
  const out: ScoredEvent[][] = [];
  let pending: ScoredEvent[] = [];
  for (const e of events) {
    pending.push(e);
    if (ingestor.isNewsworthy(e)) {
      out.push(pending);
      pending = [];
    }
  }
  if (pending.length > 0) out.push(pending);
  return out;
}

describe.each([
  ['in this thread', false],
  ['on the planning thread', true],
])('ingestor planning %s', (_, planOnThread) => {
  it('stores batches committed while the store is busy together, and answers each caller', async () => {
    store = await openTestStore();
    await syncAccounts(store.db, config.accounts, new Date(scored[0]!.event.occurredAt));
    const transactions = countTransactions(store);
    const { ingestor } = ingestorOn(store, planOnThread);
    try {
      const batches = batchesOf(ingestor, scored.slice(0, 200));
      expect(batches.length).toBeGreaterThan(5);
      // All planned before the first is stored (as when planning runs ahead of a busy store).
      const prepared = batches.map((b) => ingestor.prepare(b));
      await Promise.all(prepared.map((p) => p.planned));
      const results = await Promise.all(prepared.map((p) => ingestor.commit(p)));
      // Each caller got the results of its own events, in its order.
      for (const [i, batch] of batches.entries())
        expect(results[i]!.map((r) => r.eventId)).toEqual(batch.map((s) => s.event.id));
      const posts = results.flat().reduce((n, r) => n + r.posts.length, 0);
      expect(posts).toBeGreaterThan(5);
      expect(await countRows(store)).toEqual({ events: 200, posts });
      // Those ready when the store was free went in one transaction (at most 16 batches each).
      expect(transactions()).toBe(Math.ceil(batches.length / 16));
    } finally {
      await ingestor.close();
    }
  }, 60_000);

  it('fails only the bad batch of a group, and writes the rest as if it had never been tried', async () => {
    store = await openTestStore();
    await syncAccounts(store.db, config.accounts, new Date(scored[0]!.event.occurredAt));
    const { ingestor } = ingestorOn(store, planOnThread);
    try {
      const [first, second, third] = batchesOf(ingestor, scored).filter((b) => b.length > 1);
      // An event the store refuses (its sequence is not an integer) makes its whole batch fail.
      const broken = second!.map((s, i) => (i === 0 ? { ...s, event: { ...s.event, sequence: 1.5 } } : s));
      const outcomes = await Promise.allSettled(
        [first!, broken, third!].map((b) => ingestor.commit(ingestor.prepare(b))),
      );
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status))).toEqual([
        'fulfilled',
        expect.stringContaining('invalid input syntax for type integer'),
        'fulfilled',
      ]);
      expect(await countRows(store)).toMatchObject({ events: first!.length + third!.length });

      // The failed batch again, repaired: its posts are queued, not taken for duplicates of drafts never stored.
      const again = await ingestor.ingest(second!);
      const posts = again.flatMap((r) => r.posts);
      expect(posts.length).toBeGreaterThan(0);
      for (const post of posts) {
        expect(post.verdict.reasons.filter((r) => r.includes('duplicate'))).toEqual([]);
        expect(post.status).not.toBe('rejected');
      }
    } finally {
      await ingestor.close();
    }
  }, 60_000);
});
