import { type Kysely, sql, type Transaction } from 'kysely';
import { canTransition, type PostStatus } from '../domain/post.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { DB } from './schema.ts';

type Tx = Transaction<DB> | Kysely<DB>;

/** A step of a new post's history, applied in order when it is created. */
export interface Step {
  status: PostStatus;
  reason: string;
}

export interface NewPost {
  id: string;
  accountId: string;
  eventId: string;
  variant: number;
  priority: number;
  significance: number;
  text: string;
  writer: string;
  templateId: string | null;
  verdict: Verdict | null;
  /** History from `drafted` to where the post stands now (verified, rejected, queued...). */
  steps: Step[];
  notBefore: Date | null;
  expiresAt: Date | null;
}

/** Thrown when a post was not in the state a transition expected (another worker moved it). */
export class StaleTransitionError extends Error {
  override readonly name = 'StaleTransitionError';
}

/**
 * Creates a post with its whole history so far. Idempotent: a post id that
 * exists already (same event, account, variant) is left alone and false is
 * returned.
 */
export async function createPost(tx: Tx, post: NewPost, now: Date): Promise<boolean> {
  return (await createPosts(tx, [post], now)).has(post.id);
}

/**
 * Creates several posts with their histories (every transition of the new
 * ones, in order) in one statement. Returns the ids that were new; existing
 * ids are left alone.
 */
export async function createPosts(tx: Tx, posts: readonly NewPost[], now: Date): Promise<Set<string>> {
  if (posts.length === 0) return new Set();
  for (const post of posts) {
    const steps = post.steps;
    const first = steps[0];
    if (first?.status !== 'drafted') throw new Error(`post ${post.id}: history must start at drafted`);
    for (let i = 1; i < steps.length; i++) {
      const from = steps[i - 1]!.status;
      const to = steps[i]!.status;
      if (!canTransition(from, to)) throw new Error(`post ${post.id}: ${from} -> ${to} is not a transition`);
    }
  }
  const postRows = posts.map((post) => {
    const status = post.steps[post.steps.length - 1]!.status;
    return {
      id: post.id,
      account_id: post.accountId,
      event_id: post.eventId,
      variant: post.variant,
      status,
      priority: post.priority,
      significance: post.significance,
      text: post.text,
      writer: post.writer,
      template_id: post.templateId,
      verdict: post.verdict,
      queued_at: status === 'queued' ? now.toISOString() : null,
      not_before: post.notBefore?.toISOString() ?? null,
      expires_at: post.expiresAt?.toISOString() ?? null,
    };
  });
  const steps = posts.flatMap((post) =>
    post.steps.map((s, i) => ({
      post_id: post.id,
      from_status: i === 0 ? null : post.steps[i - 1]!.status,
      to_status: s.status,
      reason: s.reason,
    })),
  );
  // One statement: the posts, then the history of the new ones, in order. The
  // rows travel as JSON documents rather than one parameter per value.
  const rows = await sql<{ id: string }>`
    WITH created AS (
      INSERT INTO posts (id, account_id, event_id, variant, status, priority, significance, text, writer,
        template_id, verdict, created_at, updated_at, queued_at, not_before, expires_at)
      SELECT p.id, p.account_id, p.event_id, p.variant, p.status, p.priority, p.significance, p.text,
        p.writer, p.template_id, p.verdict, ${now}, ${now}, p.queued_at, p.not_before, p.expires_at
      FROM json_to_recordset(${JSON.stringify(postRows)}::json) AS p(id text, account_id text,
        event_id text, variant integer, status text, priority integer, significance real, text text,
        writer text, template_id text, verdict json, queued_at timestamptz, not_before timestamptz,
        expires_at timestamptz)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), history AS (
      INSERT INTO post_transitions (post_id, from_status, to_status, reason, at)
      SELECT t.post_id, t.from_status, t.to_status, t.reason, ${now}
      FROM ROWS FROM (json_to_recordset(${JSON.stringify(steps)}::json)
        AS (post_id text, from_status text, to_status text, reason text)) WITH ORDINALITY AS t(post_id,
        from_status, to_status, reason, ord)
      WHERE t.post_id IN (SELECT id FROM created)
      ORDER BY t.ord
    )
    SELECT id FROM created`.execute(tx);
  return new Set(rows.rows.map((r) => r.id));
}

type PostPatch = Partial<{
  not_before: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  last_error: string | null;
  platform_post_id: string | null;
  platform_url: string | null;
  published_at: Date | null;
  queued_at: Date | null;
  text: string;
}>;

/**
 * Moves a post from one status to another (compare-and-set on the status) and
 * records the transition. Throws StaleTransitionError when the post was not in
 * `from`, so two workers can never both act on one post.
 */
export async function transition(
  tx: Tx,
  postId: string,
  from: PostStatus,
  to: PostStatus,
  reason: string,
  now: Date,
  patch: PostPatch = {},
): Promise<void> {
  if (!canTransition(from, to)) throw new Error(`post ${postId}: ${from} -> ${to} is not a transition`);
  const result = await tx
    .updateTable('posts')
    .set({ ...patch, status: to, updated_at: now })
    .where('id', '=', postId)
    .where('status', '=', from)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new StaleTransitionError(`post ${postId} was not ${from} (wanted ${to})`);
  }
  await tx
    .insertInto('post_transitions')
    .values({ post_id: postId, from_status: from, to_status: to, reason, at: now })
    .execute();
}

export interface ClaimedPost {
  id: string;
  accountId: string;
  eventId: string;
  text: string;
  attempts: number;
  attemptId: number;
  /** A platform limit in force for the account when it was claimed (null: none). */
  blockedUntil: Date | null;
}

/**
 * Claims the next post to publish, across accounts, and marks it publishing
 * with a lease, in one statement (atomic on its own):
 * - an account is taken only when it is not paused, has nothing in flight
 *   (publishing or unconfirmed) and its spacing since the last post has passed;
 *   its row is locked with SKIP LOCKED, so concurrent workers take different
 *   accounts and never two posts of one account;
 * - within the account, the best post goes first: lowest priority number
 *   (breaking = 0), then oldest; posts with a future not_before wait;
 * - the post becomes publishing, the account points at it as in flight, the
 *   transition and a publish attempt are recorded: all of it or none (a post
 *   that left the queue meanwhile claims nothing and frees nothing).
 *
 * The claimed post carries the platform's stored block (a 429 or spent window
 * seen by any worker), if one is in force, so the caller can hold it without
 * asking again. Returns null when nothing can be published now.
 */
export async function claimNextPost(
  db: Kysely<DB>,
  options: { now: Date; worker: string; leaseMs: number; platforms?: readonly string[] },
): Promise<ClaimedPost | null> {
  const { now, worker, leaseMs } = options;
  const platformFilter = options.platforms
    ? sql`AND a.platform IN (${sql.join(options.platforms.map((p) => sql`${p}`))})`
    : sql``;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<{
    id: string;
    account_id: string;
    event_id: string;
    text: string;
    attempts: number;
    attempt_id: number;
    blocked_until: Date | null;
  }>`
    WITH picked AS (
      SELECT p.id AS post_id, a.id AS account_id, a.platform
      FROM accounts a
      JOIN LATERAL (
        SELECT id, priority FROM posts
        WHERE account_id = a.id AND status = 'queued'
          AND (not_before IS NULL OR not_before <= ${now})
          AND (expires_at IS NULL OR expires_at > ${now})
        ORDER BY priority, created_at, id
        LIMIT 1
      ) p ON true
      WHERE NOT a.paused
        AND a.inflight_post_id IS NULL
        AND (a.last_post_at IS NULL
             OR a.last_post_at + make_interval(secs => COALESCE((a.config->>'spacingSeconds')::int, 0)) <= ${now})
        ${platformFilter}
      ORDER BY p.priority, a.id
      LIMIT 1
      FOR UPDATE OF a SKIP LOCKED
    ), claimed AS (
      UPDATE posts SET status = 'publishing', lease_owner = ${worker}, lease_until = ${leaseUntil},
        attempts = posts.attempts + 1, updated_at = ${now}
      FROM picked
      WHERE posts.id = picked.post_id AND posts.status = 'queued'
      RETURNING posts.id, posts.account_id, posts.event_id, posts.text, posts.attempts, picked.platform
    ), inflight AS (
      UPDATE accounts SET inflight_post_id = claimed.id
      FROM claimed
      WHERE accounts.id = claimed.account_id
    ), history AS (
      INSERT INTO post_transitions (post_id, from_status, to_status, reason, at)
      SELECT id, 'queued', 'publishing', ${`claimed by ${worker}`}, ${now} FROM claimed
    ), attempt AS (
      INSERT INTO publish_attempts (post_id, account_id, platform, worker, started_at)
      SELECT id, account_id, platform, ${worker}, ${now} FROM claimed
      RETURNING id
    )
    SELECT claimed.id, claimed.account_id, claimed.event_id, claimed.text, claimed.attempts,
      attempt.id AS attempt_id,
      (SELECT max(l.blocked_until) FROM platform_limits l
        WHERE l.account_id = claimed.account_id AND l.platform = claimed.platform
          AND l.blocked_until > ${now}) AS blocked_until
    FROM claimed, attempt`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    accountId: row.account_id,
    eventId: row.event_id,
    text: row.text,
    attempts: row.attempts,
    attemptId: Number(row.attempt_id),
    blockedUntil: row.blocked_until ? new Date(row.blocked_until) : null,
  };
}

async function finishAttempt(
  tx: Tx,
  attemptId: number | undefined,
  outcome: string,
  now: Date,
  extra: { error?: string; platformPostId?: string } = {},
): Promise<void> {
  if (attemptId === undefined) return;
  await tx
    .updateTable('publish_attempts')
    .set({
      finished_at: now,
      outcome,
      error: extra.error ?? null,
      platform_post_id: extra.platformPostId ?? null,
    })
    .where('id', '=', attemptId)
    .execute();
}

async function releaseAccount(tx: Tx, accountId: string, postId: string, lastPostAt?: Date): Promise<void> {
  await tx
    .updateTable('accounts')
    .set({ inflight_post_id: null, ...(lastPostAt ? { last_post_at: lastPostAt } : {}) })
    .where('id', '=', accountId)
    .where('inflight_post_id', '=', postId)
    .execute();
}

/**
 * The platform has the post: record it, its fee, and free the account for its
 * next post, in one statement (all of it or none). Throws
 * StaleTransitionError when the post was not in `from`.
 */
export async function markPublished(
  db: Kysely<DB>,
  post: { id: string; accountId: string; attemptId?: number },
  from: 'publishing' | 'unconfirmed',
  result: { platformPostId: string; url?: string; feeUsdMicros: number; platform: string },
  reason: string,
  now: Date,
): Promise<void> {
  const done = await sql<{ id: string }>`
    WITH published AS (
      UPDATE posts SET status = 'published', platform_post_id = ${result.platformPostId},
        platform_url = ${result.url ?? null}, published_at = ${now}, lease_owner = NULL,
        lease_until = NULL, last_error = NULL, updated_at = ${now}
      WHERE id = ${post.id} AND status = ${from}
      RETURNING id
    ), history AS (
      INSERT INTO post_transitions (post_id, from_status, to_status, reason, at)
      SELECT id, ${from}, 'published', ${reason}, ${now} FROM published
    ), attempt AS (
      UPDATE publish_attempts SET finished_at = ${now}, outcome = 'published', error = NULL,
        platform_post_id = ${result.platformPostId}
      WHERE id = ${post.attemptId ?? null}::bigint AND EXISTS (SELECT 1 FROM published)
    ), account AS (
      UPDATE accounts SET inflight_post_id = NULL, last_post_at = ${now}
      WHERE id = ${post.accountId} AND inflight_post_id = ${post.id} AND EXISTS (SELECT 1 FROM published)
    ), fee AS (
      INSERT INTO cost_ledger (at, account_id, post_id, kind, provider, usd_micros)
      SELECT ${now}, ${post.accountId}, id, 'platform_fee', ${result.platform}, ${result.feeUsdMicros}::bigint
      FROM published WHERE ${result.feeUsdMicros}::bigint > 0
    )
    SELECT id FROM published`.execute(db);
  if (done.rows.length === 0) {
    throw new StaleTransitionError(`post ${post.id} was not ${from} (wanted published)`);
  }
}

/** Back to the queue (rate-limited, transient failure, confirmed absent), not before `notBefore`. */
export async function requeue(
  db: Kysely<DB>,
  post: { id: string; accountId: string; attemptId?: number },
  from: 'publishing' | 'unconfirmed' | 'failed',
  notBefore: Date,
  reason: string,
  now: Date,
  error?: string,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await transition(tx, post.id, from, 'queued', reason, now, {
      not_before: notBefore,
      lease_owner: null,
      lease_until: null,
      last_error: error ?? null,
      queued_at: now,
    });
    await finishAttempt(tx, post.attemptId, 'requeued', now, { error: error ?? reason });
    await releaseAccount(tx, post.accountId, post.id);
  });
}

/** Gives up on a post for good (permanent refusal, too many attempts). */
export async function markFailed(
  db: Kysely<DB>,
  post: { id: string; accountId: string; attemptId?: number },
  from: 'publishing' | 'unconfirmed',
  reason: string,
  now: Date,
  error?: string,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await transition(tx, post.id, from, 'failed', reason, now, {
      lease_owner: null,
      lease_until: null,
      last_error: error ?? reason,
    });
    await finishAttempt(tx, post.attemptId, 'failed', now, { error: error ?? reason });
    await releaseAccount(tx, post.accountId, post.id);
  });
}

/**
 * The outcome is unknown (timeout, crash, duplicate-content answer): the post
 * stays in flight for its account until reconciliation says whether the
 * platform has it.
 */
export async function markUnconfirmed(
  db: Kysely<DB>,
  post: { id: string; attemptId?: number },
  reason: string,
  now: Date,
  error?: string,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await transition(tx, post.id, 'publishing', 'unconfirmed', reason, now, {
      lease_owner: null,
      lease_until: null,
      last_error: error ?? reason,
    });
    await finishAttempt(tx, post.attemptId, 'unconfirmed', now, { error: error ?? reason });
  });
}

/**
 * Posts whose publishing lease ran out (their worker died or hung) become
 * unconfirmed, to be reconciled. `everything` takes back all publishing posts
 * regardless of lease: right for the embedded store at start, where the data
 * lock proves no other process owns them.
 */
export async function takeBackExpiredLeases(
  db: Kysely<DB>,
  now: Date,
  everything = false,
): Promise<string[]> {
  let q = db.selectFrom('posts').select('id').where('status', '=', 'publishing');
  if (!everything) q = q.where('lease_until', '<', now);
  const rows = await q.execute();
  const taken: string[] = [];
  for (const row of rows) {
    try {
      await markUnconfirmed(
        db,
        { id: row.id },
        everything ? 'engine restarted during publish' : 'publishing lease expired',
        now,
      );
      taken.push(row.id);
    } catch (error) {
      if (!(error instanceof StaleTransitionError)) throw error;
    }
  }
  return taken;
}

/**
 * Posts left publishing by workers that are certainly dead: `isDead(owner)`
 * decides from the lease owner's name (a process of this host that no longer
 * runs). They become unconfirmed at once instead of waiting for their lease.
 */
export async function takeBackLeasesOfDeadWorkers(
  db: Kysely<DB>,
  isDead: (owner: string) => boolean,
  now: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom('posts')
    .select(['id', 'lease_owner'])
    .where('status', '=', 'publishing')
    .execute();
  const taken: string[] = [];
  for (const row of rows) {
    if (!row.lease_owner || !isDead(row.lease_owner)) continue;
    try {
      await markUnconfirmed(db, { id: row.id }, `worker ${row.lease_owner} is gone`, now);
      taken.push(row.id);
    } catch (error) {
      if (!(error instanceof StaleTransitionError)) throw error;
    }
  }
  return taken;
}

/** Queued posts past their expiry become expired. Returns how many. */
export async function expireStale(db: Kysely<DB>, now: Date): Promise<number> {
  const rows = await db
    .selectFrom('posts')
    .select('id')
    .where('status', '=', 'queued')
    .where('expires_at', '<=', now)
    .execute();
  let n = 0;
  for (const row of rows) {
    try {
      await db
        .transaction()
        .execute((tx) => transition(tx, row.id, 'queued', 'expired', 'stale: past its expiry', now));
      n++;
    } catch (error) {
      if (!(error instanceof StaleTransitionError)) throw error;
    }
  }
  return n;
}

export async function listUnconfirmed(
  db: Kysely<DB>,
): Promise<{ id: string; accountId: string; text: string; attempts: number; since: Date }[]> {
  const rows = await db
    .selectFrom('posts')
    .select(['id', 'account_id', 'text', 'attempts', 'updated_at'])
    .where('status', '=', 'unconfirmed')
    .orderBy('updated_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    text: r.text,
    attempts: r.attempts,
    since: r.updated_at,
  }));
}

/** Texts an account published or has queued lately, newest first: the duplicate check reads them. */
export async function recentTexts(db: Kysely<DB>, accountId: string, limit = 50): Promise<string[]> {
  const rows = await db
    .selectFrom('posts')
    .select('text')
    .where('account_id', '=', accountId)
    .where('status', 'in', ['queued', 'publishing', 'unconfirmed', 'published', 'awaiting_approval'])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.text);
}

/** The earliest future time at which a queued post might become publishable (for idle waiting). */
export async function nextWakeTime(db: Kysely<DB>, now: Date): Promise<Date | null> {
  const result = await sql<{ at: Date | null }>`
    SELECT min(GREATEST(
      COALESCE(p.not_before, ${now}),
      COALESCE(a.last_post_at + make_interval(secs => COALESCE((a.config->>'spacingSeconds')::int, 0)), ${now})
    )) AS at
    FROM posts p JOIN accounts a ON a.id = p.account_id
    WHERE p.status = 'queued' AND NOT a.paused AND a.inflight_post_id IS NULL`.execute(db);
  const at = result.rows[0]?.at;
  return at ? new Date(at) : null;
}

export async function countByStatus(db: Kysely<DB>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('posts')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
