import type { Kysely, Transaction } from 'kysely';
import type { Verdict } from '../domain/verdict.ts';
import type { DB } from './schema.ts';

type Tx = Transaction<DB> | Kysely<DB>;

/** A post of a thread as written: 0 is the lead, 1..n its replies in order. */
export interface NewPart {
  postId: string;
  idx: number;
  text: string;
  templateId: string | null;
  verdict: Verdict | null;
}

/** A post of a thread with its progress on the platform. */
export interface PostPart {
  idx: number;
  text: string;
  templateId: string | null;
  verdict: Verdict | null;
  /** Set once this post is on the platform (never cleared). */
  platformPostId: string | null;
  url: string | null;
  publishedAt: Date | null;
}

/**
 * Stores the parts of new threads, in the caller's transaction (the one that
 * creates their posts). Idempotent: parts already stored are left alone.
 */
export async function createParts(tx: Tx, parts: readonly NewPart[]): Promise<void> {
  if (parts.length === 0) return;
  await tx
    .insertInto('post_parts')
    .values(
      parts.map((p) => ({
        post_id: p.postId,
        idx: p.idx,
        text: p.text,
        template_id: p.templateId,
        verdict: p.verdict ? JSON.stringify(p.verdict) : null,
      })),
    )
    .onConflict((oc) => oc.columns(['post_id', 'idx']).doNothing())
    .execute();
}

/** The parts of a post, lead (0) first; [] when the post is not a thread. */
export async function listParts(db: Tx, postId: string): Promise<PostPart[]> {
  const rows = await db
    .selectFrom('post_parts')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('idx')
    .execute();
  return rows.map((r) => ({
    idx: r.idx,
    text: r.text,
    templateId: r.template_id,
    verdict: r.verdict as Verdict | null,
    platformPostId: r.platform_post_id,
    url: r.platform_url,
    publishedAt: r.published_at,
  }));
}

/**
 * Records that one post of a thread is on the platform, and its fee, in one
 * transaction. Called right after the platform confirmed it (or reconciliation
 * found it) and before the next part is sent. An id already recorded is kept
 * (the first confirmation wins; a second one would be the same post).
 */
export async function recordPartPublished(
  db: Kysely<DB>,
  part: {
    postId: string;
    accountId: string;
    idx: number;
    platformPostId: string;
    url?: string;
    feeUsdMicros: number;
    platform: string;
  },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('post_parts')
      .set({ platform_post_id: part.platformPostId, platform_url: part.url ?? null, published_at: now })
      .where('post_id', '=', part.postId)
      .where('idx', '=', part.idx)
      .where('platform_post_id', 'is', null)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n || part.feeUsdMicros <= 0) return;
    await tx
      .insertInto('cost_ledger')
      .values({
        at: now,
        account_id: part.accountId,
        post_id: part.postId,
        kind: 'platform_fee',
        provider: part.platform,
        usd_micros: part.feeUsdMicros,
      })
      .execute();
  });
}

/**
 * Extends the publishing lease of a post this worker holds, before it sends
 * the next part of a thread. False when the post is no longer this worker's
 * (the sweeper took it back as unconfirmed): the worker must stop sending.
 */
export async function renewLease(
  db: Kysely<DB>,
  postId: string,
  worker: string,
  until: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('posts')
    .set({ lease_until: until })
    .where('id', '=', postId)
    .where('status', '=', 'publishing')
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
