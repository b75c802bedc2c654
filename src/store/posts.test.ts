import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, resetStore } from '../../test/support/store.ts';
import type { Account } from '../domain/account.ts';
import { syncAccounts } from './accounts.ts';
import {
  claimNextPost,
  createPost,
  expireStale,
  listUnconfirmed,
  markPublished,
  markUnconfirmed,
  type NewPost,
  requeue,
  StaleTransitionError,
  takeBackExpiredLeases,
  takeBackLeasesOfDeadWorkers,
  transition,
} from './posts.ts';
import type { Store } from './store.ts';

const T0 = Date.parse('2025-06-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);

function account(id: string, spacingSeconds = 60): Account {
  return {
    id,
    platform: 'x',
    handle: `@${id}`,
    voiceId: 'v',
    leagues: ['nba'],
    teams: [],
    minSignificance: 0.5,
    spacingSeconds,
    maxAgeSeconds: 900,
    timezone: 'UTC',
    windows: [],
    budget: { postsPerDay: 100, usdMicrosPerDay: 1_000_000 },
    approval: { mode: 'auto', threshold: 0.9 },
  };
}

let store: Store;
beforeAll(async () => {
  store = await openTestStore();
});
beforeEach(async () => {
  await resetStore(store);
  await syncAccounts(store.db, [account('a'), account('b'), account('c', 0)], at(0));
});
afterAll(async () => {
  await store.close();
});

async function event(id: string): Promise<void> {
  await store.db
    .insertInto('events')
    .values({
      id,
      game_id: 'g',
      league: 'nba',
      source: 'test',
      kind: 'score',
      sequence: 1,
      occurred_at: at(0),
      ingested_at: at(0),
      significance: 0.5,
      breaking: false,
      reasons: JSON.stringify(['test']),
      payload: JSON.stringify({}),
      facts_hash: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

async function queued(
  id: string,
  accountId: string,
  priority: number,
  createdAt = 0,
  expiresIn = 3600,
): Promise<void> {
  await event(`e-${id}`);
  const post: NewPost = {
    id,
    accountId,
    eventId: `e-${id}`,
    variant: 0,
    priority,
    significance: 0.5,
    text: `text ${id}`,
    writer: 'template',
    templateId: 't',
    verdict: null,
    steps: [
      { status: 'drafted', reason: 'written' },
      { status: 'verified', reason: 'ok' },
      { status: 'queued', reason: 'auto' },
    ],
    notBefore: null,
    expiresAt: at(createdAt + expiresIn),
  };
  expect(await createPost(store.db, post, at(createdAt))).toBe(true);
}

describe('posts', () => {
  it('creates a post once, with its whole history', async () => {
    await queued('p1', 'a', 50);
    const again = await createPost(
      store.db,
      {
        id: 'p1',
        accountId: 'a',
        eventId: 'e-p1',
        variant: 0,
        priority: 0,
        significance: 1,
        text: 'other',
        writer: 'template',
        templateId: null,
        verdict: null,
        steps: [{ status: 'drafted', reason: 'x' }],
        notBefore: null,
        expiresAt: null,
      },
      at(1),
    );
    expect(again).toBe(false);
    const rows = await store.db
      .selectFrom('post_transitions')
      .selectAll()
      .where('post_id', '=', 'p1')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.from_status, r.to_status])).toEqual([
      [null, 'drafted'],
      ['drafted', 'verified'],
      ['verified', 'queued'],
    ]);
    const post = await store.db
      .selectFrom('posts')
      .selectAll()
      .where('id', '=', 'p1')
      .executeTakeFirstOrThrow();
    expect(post.text).toBe('text p1');
  });

  it('refuses a transition from the wrong state', async () => {
    await queued('p1', 'a', 50);
    await expect(transition(store.db, 'p1', 'publishing', 'published', 'x', at(1))).rejects.toBeInstanceOf(
      StaleTransitionError,
    );
    await expect(transition(store.db, 'p1', 'queued', 'published', 'x', at(1))).rejects.toThrow(
      /not a transition/,
    );
  });

  it('claims by priority, one post in flight per account, and honours spacing', async () => {
    await queued('a-low', 'a', 90, 0);
    await queued('a-breaking', 'a', 0, 5);
    await queued('b-normal', 'b', 50, 0);
    const first = await claimNextPost(store.db, { now: at(10), worker: 'w1', leaseMs: 60_000 });
    expect(first?.id).toBe('a-breaking');
    const second = await claimNextPost(store.db, { now: at(10), worker: 'w2', leaseMs: 60_000 });
    expect(second?.id).toBe('b-normal'); // account a is busy
    expect(await claimNextPost(store.db, { now: at(10), worker: 'w3', leaseMs: 60_000 })).toBeNull();
    await markPublished(
      store.db,
      first!,
      'publishing',
      { platformPostId: 'x1', feeUsdMicros: 15_000, platform: 'x' },
      'ok',
      at(11),
    );
    // Account a published at 11 s with 60 s spacing: nothing before 71 s.
    expect(await claimNextPost(store.db, { now: at(30), worker: 'w1', leaseMs: 60_000 })).toBeNull();
    const third = await claimNextPost(store.db, { now: at(71), worker: 'w1', leaseMs: 60_000 });
    expect(third?.id).toBe('a-low');
    const fee = await store.db.selectFrom('cost_ledger').selectAll().executeTakeFirstOrThrow();
    expect(fee).toMatchObject({
      kind: 'platform_fee',
      provider: 'x',
      usd_micros: 15_000,
      post_id: 'a-breaking',
    });
  });

  it('never hands two concurrent workers posts of the same account', async () => {
    for (let i = 0; i < 6; i++) await queued(`a${i}`, 'a', 50, i);
    for (let i = 0; i < 6; i++) await queued(`c${i}`, 'c', 50, i);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        claimNextPost(store.db, { now: at(100), worker: `w${i}`, leaseMs: 60_000 }),
      ),
    );
    const got = claims.filter((c) => c !== null);
    const perAccount = new Map<string, number>();
    for (const c of got) perAccount.set(c.accountId, (perAccount.get(c.accountId) ?? 0) + 1);
    expect([...perAccount.values()].every((n) => n === 1)).toBe(true);
    expect(got.map((c) => c.id).sort()).toEqual(['a0', 'c0']);
  });

  it('takes back expired leases as unconfirmed and keeps the account waiting until reconciled', async () => {
    await queued('p1', 'a', 50);
    await queued('p2', 'a', 50, 1);
    const claimed = await claimNextPost(store.db, { now: at(10), worker: 'dead', leaseMs: 30_000 });
    expect(claimed?.id).toBe('p1');
    expect(await takeBackExpiredLeases(store.db, at(20))).toEqual([]);
    expect(await takeBackExpiredLeases(store.db, at(41))).toEqual(['p1']);
    expect((await listUnconfirmed(store.db)).map((p) => p.id)).toEqual(['p1']);
    // p2 must not overtake p1 while p1's fate is unknown.
    expect(await claimNextPost(store.db, { now: at(500), worker: 'w', leaseMs: 30_000 })).toBeNull();
    await requeue(store.db, { id: 'p1', accountId: 'a' }, 'unconfirmed', at(500), 'absent', at(500));
    expect((await claimNextPost(store.db, { now: at(500), worker: 'w', leaseMs: 30_000 }))?.id).toBe('p1');
  });

  it('takes back at once what a dead worker left publishing, and nothing of live ones', async () => {
    await queued('p1', 'a', 50);
    await queued('p2', 'b', 50);
    await claimNextPost(store.db, { now: at(10), worker: 'host:111', leaseMs: 600_000 });
    await claimNextPost(store.db, { now: at(10), worker: 'host:222', leaseMs: 600_000 });
    const taken = await takeBackLeasesOfDeadWorkers(store.db, (owner) => owner === 'host:111', at(11));
    expect(taken).toEqual(['p1']);
    const rows = await store.db.selectFrom('posts').select(['id', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'p1', status: 'unconfirmed' },
      { id: 'p2', status: 'publishing' },
    ]);
  });

  it('expires stale queued posts', async () => {
    await queued('old', 'a', 50, 0, 60);
    await queued('fresh', 'b', 50, 0, 6000);
    expect(await expireStale(store.db, at(120))).toBe(1);
    const rows = await store.db.selectFrom('posts').select(['id', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'fresh', status: 'queued' },
      { id: 'old', status: 'expired' },
    ]);
  });

  it('marks an uncertain publish unconfirmed and publishes it on reconciliation', async () => {
    await queued('p1', 'a', 50);
    const claimed = await claimNextPost(store.db, { now: at(10), worker: 'w', leaseMs: 30_000 });
    await markUnconfirmed(store.db, claimed!, 'timed out', at(12));
    await markPublished(
      store.db,
      { id: 'p1', accountId: 'a' },
      'unconfirmed',
      { platformPostId: 'x9', feeUsdMicros: 0, platform: 'x' },
      'found',
      at(13),
    );
    const post = await store.db
      .selectFrom('posts')
      .selectAll()
      .where('id', '=', 'p1')
      .executeTakeFirstOrThrow();
    expect(post.status).toBe('published');
    expect(post.platform_post_id).toBe('x9');
    const acct = await store.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(acct.inflight_post_id).toBeNull();
    expect(acct.last_post_at?.toISOString()).toBe(at(13).toISOString());
  });
});
