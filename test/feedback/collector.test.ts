import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../src/domain/account.ts';
import { EngagementCollector } from '../../src/feedback/collector.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import {
  AuthExpiredError,
  PermanentPublishError,
  RateLimitedError,
  TransientPublishError,
} from '../../src/publish/errors.ts';
import { claimDuePolls, pollState, postSnapshots, recordPoll } from '../../src/store/engagement.ts';
import { recordLimit } from '../../src/store/limits.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore, resetStore } from '../support/store.ts';
import { fastAccount, memoryPlatform, publishPosts } from './support.ts';

/**
 * The collector's scheduling, claims and failure handling on the store (PGlite
 * and PostgreSQL), with platforms kept in memory: which post is read when, by
 * which worker, and what is stored. Reads against real peers are in
 * peers.test.ts.
 */

const T0 = Date.parse('2026-11-22T18:00:00Z');
const MIN = 60_000;
const H = 3_600_000;
let store: Store;

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await resetStore(store);
});

function collector(
  accounts: Account[],
  adapters: Map<string, ReturnType<typeof memoryPlatform>>,
  clock: ManualClock,
  extra: Partial<ConstructorParameters<typeof EngagementCollector>[0]> = {},
) {
  return new EngagementCollector({
    db: store.db,
    accounts,
    readerFor: (a) => adapters.get(a.id)?.adapter,
    clock,
    worker: 'w1',
    ...extra,
  });
}

async function setup(count: number, platform: Account['platform'] = 'mastodon') {
  const clock = new ManualClock(T0);
  const account = fastAccount('desk', platform, '@desk');
  const mem = memoryPlatform(platform);
  const posts = await publishPosts(store, [account], () => mem.adapter, clock, count, 'eng');
  return { clock, account, mem, posts, adapters: new Map([[account.id, mem]]) };
}

describe('engagement collector', () => {
  it('reads each post at 15 min, 1 h, 6 h, 24 h and 72 h after publishing, then stops', async () => {
    const { clock, account, mem, posts, adapters } = await setup(1);
    const c = collector([account], adapters, clock);
    const post = posts[0]!;
    // Just published: scheduled, nothing due.
    expect(await c.pass()).toMatchObject({ enrolled: 1, claimed: 0 });
    const likesAt = [3, 10, 25, 40, 41];
    for (const [step, offset] of [15 * MIN, H, 6 * H, 24 * H, 72 * H].entries()) {
      clock.advanceTo(T0 + offset - 1000);
      expect((await c.pass()).claimed).toBe(0);
      mem.counts.set(post.platformPostId, { likes: likesAt[step]!, reposts: step, replies: 1 });
      clock.advanceTo(T0 + offset);
      expect(await c.pass()).toMatchObject({ claimed: 1, outcomes: { read: 1 } });
    }
    clock.advanceTo(T0 + 30 * 24 * H);
    expect((await c.pass()).claimed).toBe(0);
    const snaps = await postSnapshots(store.db, post.id);
    expect(snaps.map((s) => s.likes)).toEqual(likesAt);
    expect(snaps.map((s) => s.collectedAt.getTime() - T0)).toEqual([15 * MIN, H, 6 * H, 24 * H, 72 * H]);
    expect(snaps[0]!.quotes).toBeNull();
    expect(await pollState(store.db, post.id)).toMatchObject({ state: 'done', polls: 5, nextPollAt: null });
    expect(mem.reads.get(post.platformPostId)).toBe(5);
  });

  it('does not read accounts it has no reader for, nor posts older than the schedule', async () => {
    const { clock, account, posts, adapters } = await setup(2);
    const outbox = collector([account], new Map(), clock);
    clock.advanceTo(T0 + H);
    expect(await outbox.pass()).toMatchObject({ enrolled: 0, claimed: 0 });
    // A collector started long after: posts published more than 72 h ago are never scheduled.
    clock.advanceTo(T0 + 73 * H);
    expect((await collector([account], adapters, clock).pass()).enrolled).toBe(0);
    expect(await pollState(store.db, posts[0]!.id)).toBeNull();
  });

  it('lets several workers share the reads: each post once per step, bounded per pass', async () => {
    const { clock, account, mem, posts, adapters } = await setup(30);
    // Reads take a while, so the workers' passes overlap.
    const slow = memoryPlatform('mastodon', { readDelayMs: 5 });
    for (const [id, c] of mem.counts) slow.counts.set(id, c);
    const slowAdapters = new Map([[account.id, slow]]);
    const workers = ['w1', 'w2', 'w3'].map((worker) =>
      collector([account], slowAdapters, clock, { worker, perPlatformPerPass: 4 }),
    );
    await workers[0]!.pass();
    clock.advanceTo(T0 + 15 * MIN);
    let claimed = 0;
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(workers.map((w) => w.pass()));
      for (const r of results) expect(r.claimed).toBeLessThanOrEqual(4);
      const n = results.reduce((s, r) => s + r.claimed, 0);
      claimed += n;
      if (n === 0) break;
    }
    expect(claimed).toBe(30);
    for (const p of posts) expect(slow.reads.get(p.platformPostId)).toBe(1);
    const snapshots = await store.db.selectFrom('engagement_snapshots').select('post_id').execute();
    expect(snapshots).toHaveLength(30);
    expect(new Set(snapshots.map((s) => s.post_id)).size).toBe(30);
    void adapters;
  });

  it('takes back the claim of a worker that died once its lease ran out; the dead claim records nothing', async () => {
    const { clock, account, mem, posts, adapters } = await setup(1);
    const c = collector([account], adapters, clock, { worker: 'alive' });
    await c.pass();
    clock.advanceTo(T0 + 15 * MIN);
    const dead = await claimDuePolls(store.db, {
      platform: 'mastodon',
      accountIds: [account.id],
      limit: 10,
      now: new Date(clock.now()),
      leaseMs: 50_000,
      worker: 'dead',
      reserveMin: 0,
      reserveShare: 0,
    });
    expect(dead).toHaveLength(1);
    expect((await c.pass()).claimed).toBe(0);
    clock.advanceTo(T0 + 15 * MIN + 50_000);
    expect(await c.pass()).toMatchObject({ claimed: 1, outcomes: { read: 1 } });
    const late = await recordPoll(
      store.db,
      { postId: posts[0]!.id, worker: 'dead' },
      { kind: 'read', counts: { likes: 99, reposts: 0, replies: 0, quotes: null }, next: null },
      new Date(clock.now()),
    );
    expect(late).toBe(false);
    expect((await postSnapshots(store.db, posts[0]!.id)).map((s) => s.likes)).toEqual([0]);
    void mem;
  });

  it('leaves an account alone while a stored limit blocks it or is down to its reserve', async () => {
    const { clock, account, posts, adapters } = await setup(1);
    const c = collector([account], adapters, clock, { reserveMin: 5, reserveShare: 0.2 });
    await c.pass();
    clock.advanceTo(T0 + 15 * MIN);
    const now = clock.now();
    const limit = (remaining: number, resetAt = now + 5 * MIN) =>
      recordLimit(
        store.db,
        {
          accountId: account.id,
          platform: 'mastodon',
          scope: 'window',
          limit: 300,
          remaining,
          resetAt,
          exceeded: false,
        },
        new Date(now),
      );
    // 300 × 0.2 = 60 requests kept for publishing.
    await limit(60);
    expect((await c.pass()).claimed).toBe(0);
    await limit(61);
    expect((await c.pass()).claimed).toBe(1);
    expect((await postSnapshots(store.db, posts[0]!.id)).length).toBe(1);
  });

  it('waits for a rate limit without counting a failure, and for an open publishing breaker', async () => {
    const { clock, account, mem, posts, adapters } = await setup(1);
    let broken = true;
    const c = collector([account], adapters, clock, { publishingBroken: () => broken });
    await c.pass();
    clock.advanceTo(T0 + 15 * MIN);
    expect((await c.pass()).outcomes.retry).toBe(1);
    expect(mem.reads.size).toBe(0);
    broken = false;
    clock.advanceTo(T0 + 16 * MIN);
    mem.failWith(() => new RateLimitedError('429', T0 + 20 * MIN));
    expect((await c.pass()).outcomes.retry).toBe(1);
    const state = await pollState(store.db, posts[0]!.id);
    expect(state?.nextPollAt?.getTime()).toBe(T0 + 20 * MIN);
    const row = await store.db.selectFrom('engagement_polls').select('failures').executeTakeFirstOrThrow();
    expect(row.failures).toBe(0);
    mem.failWith(null);
    clock.advanceTo(T0 + 20 * MIN);
    expect((await c.pass()).outcomes.read).toBe(1);
  });

  it('gives a step up after repeated failures and goes on with the next one', async () => {
    const { clock, account, mem, posts, adapters } = await setup(1);
    const c = collector([account], adapters, clock);
    await c.pass();
    mem.failWith(() => new TransientPublishError('503'));
    clock.advanceTo(T0 + 15 * MIN);
    for (let n = 0; n < 3; n++) {
      const r = await c.pass();
      expect(r.claimed).toBe(1);
      const state = await pollState(store.db, posts[0]!.id);
      if (n < 2) {
        expect(r.outcomes.retry).toBe(1);
        expect(state?.lastError).toMatch(/503/);
        clock.advanceTo(state!.nextPollAt!.getTime());
      } else {
        expect(r.outcomes.skip).toBe(1);
        expect(state).toMatchObject({ state: 'active', step: 1 });
        expect(state?.nextPollAt?.getTime()).toBe(T0 + H);
      }
    }
    // Three failures in a row opened the collector's breaker for the account:
    // the next read is not even tried, and that is not a failure of the step.
    const readsSoFar = mem.reads.get(posts[0]!.platformPostId);
    clock.advanceTo(T0 + H);
    expect((await c.pass()).outcomes.retry).toBe(1);
    expect(mem.reads.get(posts[0]!.platformPostId)).toBe(readsSoFar);
    expect((await pollState(store.db, posts[0]!.id))?.lastError).toMatch(/circuit open/);

    // A fresh worker (closed breakers): expired credentials wait an hour, a refusal ends the schedule.
    const c2 = collector([account], adapters, clock, { worker: 'w2' });
    mem.failWith(() => new AuthExpiredError('401'));
    clock.advanceTo(T0 + 2 * H);
    await c2.pass();
    expect((await pollState(store.db, posts[0]!.id))?.nextPollAt?.getTime()).toBe(T0 + 3 * H);
    mem.failWith(() => new PermanentPublishError('403 private'));
    clock.advanceTo(T0 + 3 * H);
    expect((await c2.pass()).outcomes.failed).toBe(1);
    expect(await pollState(store.db, posts[0]!.id)).toMatchObject({ state: 'failed', nextPollAt: null });
  });

  it('stops reading a post the platform no longer has', async () => {
    const { clock, account, mem, posts, adapters } = await setup(1);
    const c = collector([account], adapters, clock);
    await c.pass();
    mem.counts.delete(posts[0]!.platformPostId);
    clock.advanceTo(T0 + 15 * MIN);
    expect((await c.pass()).outcomes.gone).toBe(1);
    expect(await pollState(store.db, posts[0]!.id)).toMatchObject({ state: 'gone' });
  });

  it("records X's read fee once per post and UTC day", async () => {
    const { clock, account, posts, adapters } = await setup(1, 'x');
    const c = collector([account], adapters, clock);
    await c.pass();
    // 18:15 and 19:00 on the same UTC day, then the next day's reads.
    for (const at of [15 * MIN, H, 6 * H, 24 * H]) {
      clock.advanceTo(T0 + at);
      await c.pass();
    }
    const fees = await store.db
      .selectFrom('cost_ledger')
      .select(['usd_micros', 'at', 'provider'])
      .where('kind', '=', 'platform_read')
      .where('post_id', '=', posts[0]!.id)
      .orderBy('at')
      .execute();
    expect(fees.map((f) => [Number(f.usd_micros), f.provider, f.at.toISOString().slice(0, 10)])).toEqual([
      [5000, 'x', '2026-11-22'],
      [5000, 'x', '2026-11-23'],
    ]);
  });
});
