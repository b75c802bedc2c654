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
 * Creates several posts with their histories in two statements (the posts,
 * then every transition of the new ones). Returns the ids that were new;
 * existing ids are left alone.
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
  const rows = await tx
    .insertInto('posts')
    .values(
      posts.map((post) => {
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
          verdict: post.verdict ? JSON.stringify(post.verdict) : null,
          created_at: now,
          updated_at: now,
          queued_at: status === 'queued' ? now : null,
          not_before: post.notBefore,
          expires_at: post.expiresAt,
        };
      }),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  const created = new Set(rows.map((r) => r.id));
  const transitions = posts
    .filter((post) => created.has(post.id))
    .flatMap((post) =>
      post.steps.map((s, i) => ({
        post_id: post.id,
        from_status: i === 0 ? null : post.steps[i - 1]!.status,
        to_status: s.status,
        reason: s.reason,
        at: now,
      })),
    );
  if (transitions.length > 0) await tx.insertInto('post_transitions').values(transitions).execute();
  return created;
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
}

/**
 * Claims the next post to publish, across accounts, and marks it publishing
 * with a lease, in one transaction:
 * - an account is taken only when it is not paused, has nothing in flight
 *   (publishing or unconfirmed) and its spacing since the last post has passed;
 *   its row is locked with SKIP LOCKED, so concurrent workers take different
 *   accounts and never two posts of one account;
 * - within the account, the best post goes first: lowest priority number
 *   (breaking = 0), then oldest; posts with a future not_before wait.
 *
 * Returns null when nothing can be published now.
 */
export async function claimNextPost(
  db: Kysely<DB>,
  options: { now: Date; worker: string; leaseMs: number; platforms?: readonly string[] },
): Promise<ClaimedPost | null> {
  const { now, worker, leaseMs } = options;
  return db.transaction().execute(async (tx) => {
    const platformFilter = options.platforms
      ? sql`AND a.platform IN (${sql.join(options.platforms.map((p) => sql`${p}`))})`
      : sql``;
    const picked = await sql<{ post_id: string; account_id: string; platform: string }>`
      SELECT p.id AS post_id, a.id AS account_id, a.platform
      FROM accounts a
      JOIN LATERAL (
        SELECT id FROM posts
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
      ORDER BY (SELECT priority FROM posts WHERE id = p.id), a.id
      LIMIT 1
      FOR UPDATE OF a SKIP LOCKED`.execute(tx);
    const row = picked.rows[0];
    if (!row) return null;
    const lockedAccount = await tx
      .updateTable('accounts')
      .set({ inflight_post_id: row.post_id })
      .where('id', '=', row.account_id)
      .where('inflight_post_id', 'is', null)
      .executeTakeFirst();
    if (lockedAccount.numUpdatedRows === 0n) return null;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const updated = await tx
      .updateTable('posts')
      .set((eb) => ({
        status: 'publishing',
        lease_owner: worker,
        lease_until: leaseUntil,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', row.post_id)
      .where('status', '=', 'queued')
      .returning(['id', 'account_id', 'event_id', 'text', 'attempts'])
      .executeTakeFirst();
    if (!updated) throw new StaleTransitionError(`post ${row.post_id} left the queue while being claimed`);
    await tx
      .insertInto('post_transitions')
      .values({
        post_id: updated.id,
        from_status: 'queued',
        to_status: 'publishing',
        reason: `claimed by ${worker}`,
        at: now,
      })
      .execute();
    const attempt = await tx
      .insertInto('publish_attempts')
      .values({
        post_id: updated.id,
        account_id: updated.account_id,
        platform: row.platform,
        worker,
        started_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      id: updated.id,
      accountId: updated.account_id,
      eventId: updated.event_id,
      text: updated.text,
      attempts: updated.attempts,
      attemptId: Number(attempt.id),
    };
  });
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

/** The platform has the post: record it, its fee, and free the account for its next post. */
export async function markPublished(
  db: Kysely<DB>,
  post: { id: string; accountId: string; attemptId?: number },
  from: 'publishing' | 'unconfirmed',
  result: { platformPostId: string; url?: string; feeUsdMicros: number; platform: string },
  reason: string,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await transition(tx, post.id, from, 'published', reason, now, {
      platform_post_id: result.platformPostId,
      platform_url: result.url ?? null,
      published_at: now,
      lease_owner: null,
      lease_until: null,
      last_error: null,
    });
    await finishAttempt(tx, post.attemptId, 'published', now, { platformPostId: result.platformPostId });
    await releaseAccount(tx, post.accountId, post.id, now);
    if (result.feeUsdMicros > 0) {
      await tx
        .insertInto('cost_ledger')
        .values({
          at: now,
          account_id: post.accountId,
          post_id: post.id,
          kind: 'platform_fee',
          provider: result.platform,
          usd_micros: result.feeUsdMicros,
        })
        .execute();
    }
  });
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
