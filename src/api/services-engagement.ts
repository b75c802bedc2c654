import type { Kysely } from 'kysely';
import type { Account } from '../domain/account.ts';
import { bestTimes, engagementByDay } from '../feedback/best-times.ts';
import { type EngagementCounts, pollState, postSnapshots, publishedEngagement } from '../store/engagement.ts';
import type { DB } from '../store/schema.ts';

/**
 * Engagement as the operators see it: a post's snapshots and read schedule,
 * per-account totals per day, and the best posting hours. (The post list
 * carries each published post's latest counts from its own statement, in
 * store/queries.ts.) Shared by the API and the CLI through
 * `createServices`.
 */

/** Latest counts of a post, with when they were read. */
export type LatestEngagement = EngagementCounts & { collectedAt: Date };

/** A post's engagement story: the latest counts, every snapshot, and its read schedule. */
export async function postEngagement(db: Kysely<DB>, postId: string) {
  const [snapshots, schedule] = await Promise.all([postSnapshots(db, postId), pollState(db, postId)]);
  const last = snapshots[snapshots.length - 1];
  return {
    latest: last
      ? {
          likes: last.likes,
          reposts: last.reposts,
          replies: last.replies,
          quotes: last.quotes,
          collectedAt: last.collectedAt,
        }
      : null,
    snapshots: snapshots.map((s) => ({
      collectedAt: s.collectedAt,
      likes: s.likes,
      reposts: s.reposts,
      replies: s.replies,
      quotes: s.quotes,
    })),
    schedule,
  };
}

/** Thrown for an account id that is not configured (the services map it to 404). */
export class UnknownAccountError extends Error {
  override readonly name = 'UnknownAccountError';
}

export function engagementServices(deps: { db: Kysely<DB>; accounts: readonly Account[]; now: () => Date }) {
  const { db } = deps;
  const byId = new Map(deps.accounts.map((a) => [a.id, a]));
  const account = (id: string) => {
    const a = byId.get(id);
    if (!a) throw new UnknownAccountError(`account ${id}: not configured`);
    return a;
  };
  return {
    /**
     * Per account (one, or every configured one): posts published in the last
     * `days` days that were read, their summed latest counts, and the same per
     * day of publishing in the account's time zone.
     */
    async engagement(options: { accountId?: string; days: number }) {
      const to = deps.now();
      const from = new Date(to.getTime() - options.days * 86_400_000);
      const accounts = options.accountId ? [account(options.accountId)] : [...deps.accounts];
      const rows = await publishedEngagement(db, {
        from,
        to,
        ...(options.accountId ? { accountId: options.accountId } : {}),
      });
      return {
        from,
        to,
        accounts: accounts.map((a) => {
          const mine = rows
            .filter((r) => r.accountId === a.id)
            .map((r) => ({ ...r, publishedAt: r.publishedAt.getTime() }));
          const days = engagementByDay(mine, a.timezone);
          const sum = (k: 'posts' | 'likes' | 'reposts' | 'replies' | 'quotes') =>
            days.reduce((s, d) => s + d[k], 0);
          return {
            accountId: a.id,
            platform: a.platform,
            timezone: a.timezone,
            posts: sum('posts'),
            likes: sum('likes'),
            reposts: sum('reposts'),
            replies: sum('replies'),
            quotes: sum('quotes'),
            days,
          };
        }),
      };
    },

    /**
     * The account's best posting hours (hour of the week in its time zone)
     * from the posts of the last `days` days whose counts were read at least
     * a day after publishing; hours with fewer than `minSamples` posts are
     * listed apart, unranked.
     */
    async bestTimes(accountId: string, options: { days: number; minSamples: number }) {
      const a = account(accountId);
      const to = deps.now();
      const rows = await publishedEngagement(db, {
        accountId,
        from: new Date(to.getTime() - options.days * 86_400_000),
        to,
      });
      return {
        accountId,
        days: options.days,
        ...bestTimes(
          rows.map((r) => ({
            ...r,
            publishedAt: r.publishedAt.getTime(),
            collectedAt: r.collectedAt.getTime(),
          })),
          { timeZone: a.timezone, minSamples: options.minSamples },
        ),
      };
    },
  };
}
