import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Engagement snapshots and the schedule of reads (migration 0007). The
 * collector in src/feedback drives these; the API reads the latest counts.
 */

export interface EngagementCounts {
  likes: number;
  reposts: number;
  replies: number;
  /** Null where the platform does not report quotes. */
  quotes: number | null;
}

export interface Snapshot extends EngagementCounts {
  postId: string;
  collectedAt: Date;
}

/**
 * Schedules the posts published since `since` by the given accounts that
 * have no schedule yet, first read at `published_at + firstOffsetMs`.
 * Idempotent (ON CONFLICT DO NOTHING): several workers may run it at once.
 * Returns how many posts were added.
 */
export async function enrolPublished(
  db: Kysely<DB>,
  options: { accountIds: readonly string[]; since: Date; firstOffsetMs: number; now: Date },
): Promise<number> {
  if (options.accountIds.length === 0) return 0;
  const ids = sql.join(options.accountIds.map((id) => sql`${id}`));
  const r = await sql`
    INSERT INTO engagement_polls (post_id, account_id, platform, published_at, state, step, next_poll_at, updated_at)
    SELECT p.id, p.account_id, a.platform, p.published_at, 'active', 0,
           p.published_at + make_interval(secs => ${options.firstOffsetMs / 1000}::float8), ${options.now}
    FROM posts p JOIN accounts a ON a.id = p.account_id
    WHERE p.status = 'published' AND p.published_at >= ${options.since}
      AND p.platform_post_id IS NOT NULL AND p.account_id IN (${ids})
      AND NOT EXISTS (SELECT 1 FROM engagement_polls e WHERE e.post_id = p.id)
    ON CONFLICT (post_id) DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

export interface ClaimedPoll {
  postId: string;
  accountId: string;
  platform: string;
  platformPostId: string;
  publishedAt: Date;
  step: number;
  failures: number;
}

/**
 * Claims up to `limit` due reads of one platform, for the given accounts,
 * and pushes their next_poll_at forward by `leaseMs` (SKIP LOCKED: concurrent
 * workers claim different rows; a claim whose worker died is due again when
 * the lease runs out). Accounts are left alone while a stored rate limit
 * blocks them, or while any of their limits is down to its reserve
 * (`max(reserveMin, limit × reserveShare)` remaining): reads never eat the
 * requests publishing needs.
 */
export async function claimDuePolls(
  db: Kysely<DB>,
  options: {
    platform: string;
    accountIds: readonly string[];
    limit: number;
    now: Date;
    leaseMs: number;
    worker: string;
    reserveMin: number;
    reserveShare: number;
  },
): Promise<ClaimedPoll[]> {
  const { now } = options;
  if (options.accountIds.length === 0 || options.limit <= 0) return [];
  const ids = sql.join(options.accountIds.map((id) => sql`${id}`));
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const r = await sql<{
    post_id: string;
    account_id: string;
    platform: string;
    platform_post_id: string;
    published_at: Date;
    step: number;
    failures: number;
  }>`
    WITH due AS (
      SELECT e.post_id FROM engagement_polls e
      WHERE e.state = 'active' AND e.platform = ${options.platform}
        AND e.next_poll_at <= ${now} AND e.account_id IN (${ids})
        AND NOT EXISTS (
          SELECT 1 FROM platform_limits l
          WHERE l.account_id = e.account_id AND l.platform = e.platform
            AND (l.blocked_until > ${now}
                 OR (l.remaining IS NOT NULL AND l.reset_at > ${now}
                     AND l.remaining <= GREATEST(${options.reserveMin}::int,
                                                 ceil(COALESCE(l.limit_count, 0) * ${options.reserveShare}::float8)))))
      ORDER BY e.next_poll_at, e.post_id
      LIMIT ${options.limit}
      FOR UPDATE OF e SKIP LOCKED
    )
    UPDATE engagement_polls e
    SET next_poll_at = ${leaseUntil}, claimed_by = ${options.worker}, updated_at = ${now}
    FROM due, posts p
    WHERE e.post_id = due.post_id AND p.id = e.post_id
    RETURNING e.post_id, e.account_id, e.platform, p.platform_post_id, e.published_at, e.step, e.failures`.execute(
    db,
  );
  return r.rows.map((x) => ({
    postId: x.post_id,
    accountId: x.account_id,
    platform: x.platform,
    platformPostId: x.platform_post_id,
    publishedAt: new Date(x.published_at),
    step: x.step,
    failures: x.failures,
  }));
}

/** What became of one claimed read. */
export type PollOutcome =
  /** Counts read: stored as a snapshot; `next` is the next step (null: the schedule is over). */
  | { kind: 'read'; counts: EngagementCounts; next: { step: number; at: Date } | null }
  /** Not read (rate limit, outage, transient error): try again at `at`, same step. */
  | { kind: 'retry'; at: Date; error: string; countsAsFailure: boolean }
  /** This step is given up after repeated failures; `next` as for `read`. */
  | { kind: 'skip'; error: string; next: { step: number; at: Date } | null }
  /** The platform no longer has the post. */
  | { kind: 'gone' }
  /** The platform refused the read for good. */
  | { kind: 'failed'; error: string };

/**
 * Records a claimed read's outcome, only while the claim is still this
 * worker's (compare-and-set on claimed_by): a worker whose lease ran out and
 * whose row another worker took records nothing. Returns whether it recorded.
 */
export async function recordPoll(
  db: Kysely<DB>,
  claim: { postId: string; worker: string },
  outcome: PollOutcome,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const base = tx
      .updateTable('engagement_polls')
      .where('post_id', '=', claim.postId)
      .where('claimed_by', '=', claim.worker)
      .where('state', '=', 'active');
    const common = { claimed_by: null, updated_at: now, last_polled_at: now };
    let updated: { numUpdatedRows: bigint };
    switch (outcome.kind) {
      case 'read':
        updated = await base
          .set((eb) => ({
            ...common,
            polls: eb('polls', '+', 1),
            failures: 0,
            last_error: null,
            ...(outcome.next
              ? { step: outcome.next.step, next_poll_at: outcome.next.at }
              : { state: 'done' as const, next_poll_at: null }),
          }))
          .executeTakeFirst();
        if (updated.numUpdatedRows > 0n)
          await tx
            .insertInto('engagement_snapshots')
            .values({ post_id: claim.postId, collected_at: now, ...outcome.counts })
            .execute();
        break;
      case 'retry':
        updated = await base
          .set((eb) => ({
            ...common,
            next_poll_at: outcome.at,
            last_error: outcome.error.slice(0, 500),
            ...(outcome.countsAsFailure ? { failures: eb('failures', '+', 1) } : {}),
          }))
          .executeTakeFirst();
        break;
      case 'skip':
        updated = await base
          .set({
            ...common,
            failures: 0,
            last_error: outcome.error.slice(0, 500),
            ...(outcome.next
              ? { step: outcome.next.step, next_poll_at: outcome.next.at }
              : { state: 'done' as const, next_poll_at: null }),
          })
          .executeTakeFirst();
        break;
      case 'gone':
        updated = await base.set({ ...common, state: 'gone', next_poll_at: null }).executeTakeFirst();
        break;
      case 'failed':
        updated = await base
          .set({ ...common, state: 'failed', next_poll_at: null, last_error: outcome.error.slice(0, 500) })
          .executeTakeFirst();
        break;
      default: {
        const never: never = outcome;
        throw new Error(`unknown poll outcome ${JSON.stringify(never)}`);
      }
    }
    return updated.numUpdatedRows > 0n;
  });
}

/**
 * Records a platform's fee for reading a post (X charges per post read,
 * counted once per post and UTC day): written only when the post has no read
 * fee yet on that day. Kind `platform_read` in the cost ledger (publishing
 * budgets count `platform_fee` only).
 */
export async function recordReadFee(
  db: Kysely<DB>,
  fee: { postId: string; accountId: string; platform: string; usdMicros: number },
  now: Date,
): Promise<boolean> {
  if (fee.usdMicros <= 0) return false;
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const r = await sql`
    INSERT INTO cost_ledger (at, account_id, post_id, kind, provider, usd_micros)
    SELECT ${now}, ${fee.accountId}, ${fee.postId}, 'platform_read', ${fee.platform}, ${fee.usdMicros}
    WHERE NOT EXISTS (
      SELECT 1 FROM cost_ledger
      WHERE post_id = ${fee.postId} AND kind = 'platform_read' AND at >= ${dayStart})`.execute(db);
  return Number(r.numAffectedRows ?? 0n) > 0;
}

/** Every snapshot of one post, oldest first. */
export async function postSnapshots(db: Kysely<DB>, postId: string): Promise<Snapshot[]> {
  const rows = await db
    .selectFrom('engagement_snapshots')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('collected_at')
    .execute();
  return rows.map(toSnapshot);
}

/** The read schedule of one post, or null when it has none. */
export async function pollState(
  db: Kysely<DB>,
  postId: string,
): Promise<{
  state: string;
  step: number;
  nextPollAt: Date | null;
  polls: number;
  lastPolledAt: Date | null;
  lastError: string | null;
} | null> {
  const r = await db
    .selectFrom('engagement_polls')
    .select(['state', 'step', 'next_poll_at', 'polls', 'last_polled_at', 'last_error'])
    .where('post_id', '=', postId)
    .executeTakeFirst();
  return r
    ? {
        state: r.state,
        step: r.step,
        nextPollAt: r.next_poll_at,
        polls: r.polls,
        lastPolledAt: r.last_polled_at,
        lastError: r.last_error,
      }
    : null;
}

export interface PostEngagement extends Snapshot {
  accountId: string;
  publishedAt: Date;
}

/**
 * The latest snapshot of every post of the account(s) published in
 * [from, to), with its publication time: what per-day views and best posting
 * times are computed from. Scoped by account when `accountId` is given.
 */
export async function publishedEngagement(
  db: Kysely<DB>,
  options: { accountId?: string; from: Date; to: Date },
): Promise<PostEngagement[]> {
  const account = options.accountId !== undefined ? sql`AND p.account_id = ${options.accountId}` : sql``;
  const r = await sql<{
    post_id: string;
    account_id: string;
    published_at: Date;
    collected_at: Date;
    likes: number;
    reposts: number;
    replies: number;
    quotes: number | null;
  }>`
    SELECT p.id AS post_id, p.account_id, p.published_at, s.collected_at, s.likes, s.reposts, s.replies, s.quotes
    FROM posts p
    JOIN LATERAL (
      SELECT collected_at, likes, reposts, replies, quotes FROM engagement_snapshots
      WHERE post_id = p.id ORDER BY collected_at DESC LIMIT 1
    ) s ON true
    WHERE p.status = 'published' AND p.published_at >= ${options.from} AND p.published_at < ${options.to}
      ${account}
    ORDER BY p.published_at`.execute(db);
  return r.rows.map((x) => ({
    ...toSnapshot(x),
    accountId: x.account_id,
    publishedAt: new Date(x.published_at),
  }));
}

/** Reads scheduled and due, per platform (a scrape-time gauge). */
export async function pollBacklog(
  db: Kysely<DB>,
  now: Date,
): Promise<{ platform: string; active: number; due: number }[]> {
  const r = await sql<{ platform: string; active: string; due: string }>`
    SELECT platform, count(*) AS active, count(*) FILTER (WHERE next_poll_at <= ${now}) AS due
    FROM engagement_polls WHERE state = 'active' GROUP BY platform ORDER BY platform`.execute(db);
  return r.rows.map((x) => ({ platform: x.platform, active: Number(x.active), due: Number(x.due) }));
}

function toSnapshot(x: {
  post_id: string;
  collected_at: Date;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number | null;
}): Snapshot {
  return {
    postId: x.post_id,
    collectedAt: new Date(x.collected_at),
    likes: x.likes,
    reposts: x.reposts,
    replies: x.replies,
    quotes: x.quotes,
  };
}
