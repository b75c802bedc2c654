import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Rate-limit state and platform spending per account (migration 0003). The
 * table is not in `schema.ts`'s DB type (owned by the store's core), so the
 * queries here are plain SQL; every one is scoped by account.
 */

export interface LimitObservation {
  accountId: string;
  platform: string;
  scope: string;
  limit?: number;
  remaining?: number;
  /** Epoch ms. */
  resetAt: number;
  /** A 429: the scope is exhausted until resetAt whatever `remaining` says. */
  exceeded: boolean;
}

/**
 * Stores what a platform said about one limit. The scope is blocked until its
 * reset when it was exceeded or has nothing remaining; a newer observation
 * with room again clears the block.
 */
export async function recordLimit(db: Kysely<DB>, o: LimitObservation, now: Date): Promise<void> {
  const blocked = o.exceeded || o.remaining === 0 ? new Date(o.resetAt) : null;
  await sql`
    INSERT INTO platform_limits (account_id, platform, scope, limit_count, remaining, reset_at, blocked_until, updated_at)
    VALUES (${o.accountId}, ${o.platform}, ${o.scope}, ${o.limit ?? null}, ${o.remaining ?? null},
            ${new Date(o.resetAt)}, ${blocked}, ${now})
    ON CONFLICT (account_id, platform, scope) DO UPDATE SET
      limit_count = EXCLUDED.limit_count,
      remaining = EXCLUDED.remaining,
      reset_at = EXCLUDED.reset_at,
      blocked_until = CASE
        WHEN EXCLUDED.blocked_until IS NOT NULL
          THEN GREATEST(EXCLUDED.blocked_until, COALESCE(platform_limits.blocked_until, EXCLUDED.blocked_until))
        ELSE NULL END,
      updated_at = EXCLUDED.updated_at`.execute(db);
}

/** The latest time any exhausted limit of the account on the platform lifts; null when none blocks now. */
export async function blockedUntil(
  db: Kysely<DB>,
  accountId: string,
  platform: string,
  now: Date,
): Promise<Date | null> {
  const r = await sql<{ until: Date | null }>`
    SELECT max(blocked_until) AS until FROM platform_limits
    WHERE account_id = ${accountId} AND platform = ${platform} AND blocked_until > ${now}`.execute(db);
  const until = r.rows[0]?.until;
  return until ? new Date(until) : null;
}

/** The stored limits of an account (for the API and tests). */
export async function listLimits(
  db: Kysely<DB>,
  accountId: string,
): Promise<
  {
    platform: string;
    scope: string;
    limit: number | null;
    remaining: number | null;
    resetAt: Date;
    blockedUntil: Date | null;
  }[]
> {
  const r = await sql<{
    platform: string;
    scope: string;
    limit_count: number | null;
    remaining: number | null;
    reset_at: Date;
    blocked_until: Date | null;
  }>`SELECT platform, scope, limit_count, remaining, reset_at, blocked_until FROM platform_limits
     WHERE account_id = ${accountId} ORDER BY platform, scope`.execute(db);
  return r.rows.map((x) => ({
    platform: x.platform,
    scope: x.scope,
    limit: x.limit_count,
    remaining: x.remaining,
    resetAt: new Date(x.reset_at),
    blockedUntil: x.blocked_until ? new Date(x.blocked_until) : null,
  }));
}

/**
 * Holds every queued post of the account until `until` (never moves a later
 * not_before earlier). Returns how many posts were held. This is how a limit
 * learned by one worker reaches the claims of all.
 */
export async function holdQueuedPosts(db: Kysely<DB>, accountId: string, until: Date): Promise<number> {
  const r = await db
    .updateTable('posts')
    .set({ not_before: sql<Date>`GREATEST(COALESCE(not_before, ${until}), ${until})` })
    .where('account_id', '=', accountId)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<', until)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Posts and platform fees the account spent on `platform` since `since` (from the cost ledger). */
export async function platformSpend(
  db: Kysely<DB>,
  accountId: string,
  platform: string,
  since: Date,
): Promise<{ posts: number; usdMicros: number }> {
  const r = await db
    .selectFrom('cost_ledger')
    .select((eb) => [
      eb.fn.countAll<string>().as('n'),
      eb.fn.coalesce(eb.fn.sum<string>('usd_micros'), sql<string>`0`).as('usd'),
    ])
    .where('account_id', '=', accountId)
    .where('kind', '=', 'platform_fee')
    .where('provider', '=', platform)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return { posts: Number(r.n), usdMicros: Number(r.usd) };
}

/** The queue priority of a post (lower goes first), or null when there is no such post. */
export async function postPriority(db: Kysely<DB>, postId: string): Promise<number | null> {
  const r = await db.selectFrom('posts').select('priority').where('id', '=', postId).executeTakeFirst();
  return r ? r.priority : null;
}

/**
 * Hands a claimed post to fallback accounts (its own account cannot afford
 * it): for each fallback that has no post for the same event yet, a copy is
 * queued with id `<post id>~<fallback id>` (so a repeated hand-off adds
 * nothing) and variant 100 + its rank. Returns the fallback ids that got one.
 * The caller then closes the original post.
 */
export async function handOffToFallbacks(
  db: Kysely<DB>,
  postId: string,
  fallbackIds: readonly string[],
  reason: string,
  now: Date,
): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const post = await tx.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
    if (!post) throw new Error(`post ${postId} does not exist`);
    const given: string[] = [];
    for (const [rank, accountId] of fallbackIds.entries()) {
      const covered = await tx
        .selectFrom('posts')
        .select('id')
        .where('account_id', '=', accountId)
        .where('event_id', '=', post.event_id)
        .executeTakeFirst();
      if (covered) continue;
      const id = `${post.id}~${accountId}`;
      const inserted = await tx
        .insertInto('posts')
        .values({
          id,
          account_id: accountId,
          event_id: post.event_id,
          variant: 100 + rank,
          status: 'queued',
          priority: post.priority,
          significance: post.significance,
          text: post.text,
          writer: post.writer,
          template_id: post.template_id,
          verdict: post.verdict ? JSON.stringify(post.verdict) : null,
          created_at: now,
          updated_at: now,
          queued_at: now,
          not_before: null,
          expires_at: post.expires_at,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      const steps = ['drafted', 'verified', 'queued'] as const;
      await tx
        .insertInto('post_transitions')
        .values(
          steps.map((to, i) => ({
            post_id: id,
            from_status: i === 0 ? null : steps[i - 1]!,
            to_status: to,
            reason:
              i === 0
                ? `handed over from ${post.account_id} (${post.id}): ${reason}`
                : 'checked as the original',
            at: now,
          })),
        )
        .execute();
      given.push(accountId);
    }
    return given;
  });
}
