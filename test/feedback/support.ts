import type { Account } from '../../src/domain/account.ts';
import type { Clock } from '../../src/pipeline/clock.ts';
import { Publisher } from '../../src/pipeline/publisher.ts';
import type { Engagement, PlatformAdapter } from '../../src/publish/platform.ts';
import { syncAccounts } from '../../src/store/accounts.ts';
import type { Store } from '../../src/store/store.ts';
import { fastAccount, seedPosts } from '../publish/seed.ts';

export { fastAccount };

/**
 * Queues `count` posts over `accounts` and publishes them all through the
 * real publisher with the given adapters, at the clock's time. Returns the
 * published post ids with their platform ids.
 */
export async function publishPosts(
  store: Store,
  accounts: readonly Account[],
  adapterFor: (a: Account) => PlatformAdapter,
  clock: Clock,
  count: number,
  label: string,
): Promise<{ id: string; accountId: string; platformPostId: string }[]> {
  await syncAccounts(store.db, accounts, new Date(clock.now()));
  await seedPosts(store.db, accounts, count, label, new Date(clock.now()));
  const publisher = new Publisher({ store, accounts, adapterFor, clock, worker: 'test-publisher' });
  for (let n = 0; n < count; n++) {
    const done = await publisher.publishOne();
    if (done?.outcome !== 'published')
      throw new Error(`seed publish ${n}: ${done?.outcome ?? 'nothing due'}`);
  }
  const rows = await store.db
    .selectFrom('posts')
    .select(['id', 'account_id', 'platform_post_id'])
    .where('status', '=', 'published')
    .where('writer', '=', label)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, accountId: r.account_id, platformPostId: r.platform_post_id! }));
}

/**
 * A platform kept in memory: publishes, and answers engagement reads from
 * counts a test sets, counting every read; `fail` makes reads throw.
 */
export function memoryPlatform(platform: Account['platform'], options: { readDelayMs?: number } = {}) {
  const counts = new Map<string, Engagement>();
  const reads = new Map<string, number>();
  let fail: (() => Error) | null = null;
  let n = 0;
  const adapter: PlatformAdapter = {
    platform,
    async publish() {
      n++;
      const id = `${platform}-${n}`;
      counts.set(id, { likes: 0, reposts: 0, replies: 0 });
      return { platformPostId: id, feeUsdMicros: 0 };
    },
    async find() {
      return null;
    },
    async engagement(id) {
      reads.set(id, (reads.get(id) ?? 0) + 1);
      if (options.readDelayMs) await new Promise((r) => setTimeout(r, options.readDelayMs));
      if (fail) throw fail();
      return counts.get(id) ?? null;
    },
  };
  return {
    adapter,
    counts,
    reads,
    failWith(make: (() => Error) | null) {
      fail = make;
    },
  };
}
