import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src/domain/account.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { Publisher } from '../../src/pipeline/publisher.ts';
import { RateLimitedError } from '../../src/publish/errors.ts';
import type { PlatformAdapter, PublishRequest } from '../../src/publish/platform.ts';
import { budgetFromSettings } from '../../src/publish/x/budget.ts';
import { syncAccounts } from '../../src/store/accounts.ts';
import { blockedUntil, listLimits, recordLimit } from '../../src/store/limits.ts';
import type { DB } from '../../src/store/schema.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore, resetStore } from '../support/store.ts';
import { queueTestPost } from './seed.ts';

/** The publisher's handling of stored rate limits and X budgets, on PGlite and PostgreSQL. */
let store: Store;
const T0 = Date.parse('2026-11-22T12:00:00Z');

function account(id: string, platform: Account['platform'], extra: Partial<Account> = {}): Account {
  return {
    id,
    platform,
    handle: id,
    voiceId: 'v',
    leagues: ['nba'],
    teams: [],
    minSignificance: 0,
    spacingSeconds: 0,
    maxAgeSeconds: 86_400,
    timezone: 'UTC',
    windows: [],
    budget: { postsPerDay: 100, usdMicrosPerDay: 10_000_000 },
    approval: { mode: 'auto', threshold: 1 },
    ...extra,
  };
}

async function seed(
  db: Kysely<DB>,
  posts: { id: string; accountId: string; priority?: number }[],
  now: Date,
) {
  for (const [n, p] of posts.entries()) {
    await queueTestPost(db, {
      id: p.id,
      accountId: p.accountId,
      eventId: `ev-${p.id}`,
      gameId: 'g',
      sequence: n,
      text: `text of ${p.id}`,
      writer: 'test',
      ...(p.priority === undefined ? {} : { priority: p.priority }),
      createdAt: new Date(now.getTime() + n),
    });
  }
}

/** A platform that records what it was sent and fails on demand. */
function recorder(platform: Account['platform']) {
  const sent: PublishRequest[] = [];
  let next: Error | null = null;
  const adapter: PlatformAdapter = {
    platform,
    async publish(request) {
      if (next) {
        const e = next;
        next = null;
        throw e;
      }
      sent.push(request);
      return { platformPostId: `${platform}-${sent.length}`, feeUsdMicros: platform === 'x' ? 15_000 : 0 };
    },
    async find() {
      return null;
    },
  };
  return { adapter, sent, failNext: (e: Error) => (next = e) };
}

const statusOf = async (id: string) =>
  await store.db
    .selectFrom('posts')
    .select(['status', 'not_before', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('rate limits and budgets in the publisher', () => {
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await resetStore(store);
    await store.db.deleteFrom('platform_limits' as never).execute();
  });

  it('honours a 429 exactly: the account waits until retryAt (stored for every worker), the others go on', async () => {
    const clock = new ManualClock(T0);
    const masto = account('m', 'mastodon');
    const bsky = account('b', 'bluesky');
    await syncAccounts(store.db, [masto, bsky], new Date(T0));
    await seed(
      store.db,
      [
        { id: 'm1', accountId: 'm', priority: 0 },
        { id: 'm2', accountId: 'm', priority: 0 },
        { id: 'b1', accountId: 'b' },
      ],
      new Date(T0),
    );
    const m = recorder('mastodon');
    const b = recorder('bluesky');
    const publisher = new Publisher({
      store,
      accounts: [masto, bsky],
      adapterFor: (a) => (a.id === 'm' ? m.adapter : b.adapter),
      clock,
      worker: 'w',
    });
    const retryAt = T0 + 90_000;
    m.failNext(new RateLimitedError('429', retryAt));
    expect((await publisher.publishOne())?.outcome).toBe('requeued');
    expect((await statusOf('m1')).not_before?.getTime()).toBe(retryAt);
    expect((await statusOf('m2')).not_before?.getTime()).toBe(retryAt);
    expect(await blockedUntil(store.db, 'm', 'mastodon', new Date(T0))).toEqual(new Date(retryAt));
    // Only the other account publishes now.
    expect((await publisher.publishOne())?.post.id).toBe('b1');
    expect(await publisher.publishOne()).toBeNull();
    // A second worker (a new publisher) respects the stored limit too; at retryAt the queue resumes.
    clock.advanceTo(retryAt);
    const again = new Publisher({
      store,
      accounts: [masto, bsky],
      adapterFor: () => m.adapter,
      clock,
      worker: 'w2',
    });
    expect((await again.publishOne())?.outcome).toBe('published');
    expect(m.sent.map((r) => r.idempotencyKey)).toEqual(['m1']);
  });

  it('holds an account whose window a response header reported exhausted, before calling the platform', async () => {
    const clock = new ManualClock(T0);
    const x = account('x', 'x');
    await syncAccounts(store.db, [x], new Date(T0));
    await seed(store.db, [{ id: 'x1', accountId: 'x' }], new Date(T0));
    await recordLimit(
      store.db,
      {
        accountId: 'x',
        platform: 'x',
        scope: 'user-24h',
        limit: 17,
        remaining: 0,
        resetAt: T0 + 3_600_000,
        exceeded: false,
      },
      new Date(T0),
    );
    const r = recorder('x');
    const publisher = new Publisher({
      store,
      accounts: [x],
      adapterFor: () => r.adapter,
      clock,
      worker: 'w',
    });
    expect((await publisher.publishOne())?.outcome).toBe('requeued');
    expect(r.sent).toHaveLength(0);
    expect((await statusOf('x1')).not_before?.getTime()).toBe(T0 + 3_600_000);
    expect((await listLimits(store.db, 'x'))[0]).toMatchObject({
      scope: 'user-24h',
      limit: 17,
      remaining: 0,
    });
    // A later observation with room clears the block.
    await recordLimit(
      store.db,
      {
        accountId: 'x',
        platform: 'x',
        scope: 'user-24h',
        remaining: 5,
        resetAt: T0 + 3_600_000,
        exceeded: false,
      },
      new Date(T0),
    );
    expect(await blockedUntil(store.db, 'x', 'x', new Date(T0))).toBeNull();
  });

  it('when the X budget is spent, hands lower-priority posts to the fallback account and keeps high ones on X', async () => {
    const clock = new ManualClock(T0);
    const x = account('x', 'x', { fallbacks: ['bk'] });
    const bk = account('bk', 'bluesky');
    await syncAccounts(store.db, [x, bk], new Date(T0));
    await seed(
      store.db,
      [
        { id: 'x1', accountId: 'x' },
        { id: 'x2', accountId: 'x' },
        { id: 'x3', accountId: 'x' },
        { id: 'x4', accountId: 'x', priority: 0 },
      ],
      new Date(T0),
    );
    const xr = recorder('x');
    const br = recorder('bluesky');
    const budget = budgetFromSettings(
      { budgetPostsPerDay: '3', budgetReserveShare: '0.34' },
      'credentials.x',
    );
    const publisher = new Publisher({
      store,
      accounts: [x, bk],
      adapterFor: (a) => (a.platform === 'x' ? xr.adapter : br.adapter),
      budgetFor: (a) => (a.platform === 'x' ? budget : null),
      clock,
      worker: 'w',
    });
    while (await publisher.publishOne()) {}
    // Cap 3 a day, 34% kept for high significance: normal posts may use floor(3 * 0.66) = 1.
    // Breaking x4 goes first and spends it; x1..x3 go to the fallback account.
    expect(xr.sent.map((r) => r.idempotencyKey)).toEqual(['x4']);
    expect(br.sent.map((r) => r.idempotencyKey)).toEqual(['x1~bk', 'x2~bk', 'x3~bk']);
    for (const id of ['x1', 'x2', 'x3']) {
      const s = await statusOf(id);
      expect(s.status).toBe('failed');
      expect(s.last_error).toMatch(/budget of posts today spent.*handed to bk/);
    }
    const onX = xr.sent;
    const spent = await store.db
      .selectFrom('cost_ledger')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', 'x')
      .executeTakeFirstOrThrow();
    expect(Number(spent.n)).toBe(onX.length);
  });
});
