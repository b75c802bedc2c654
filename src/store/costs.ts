import { type Kysely, sql } from 'kysely';
import type { GameEvent } from '../domain/event.ts';
import type { Platform } from '../domain/platform.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { BatchItem, BatchItemStatus, BatchRecord, BatchRepository } from '../write/llm/batch-queue.ts';
import type { CostLedger, LlmCallRecord } from '../write/llm/ledger.ts';
import type { LlmPrompt } from '../write/llm/types.ts';
import { readFacts } from './facts-snapshot.ts';
import type { DB } from './schema.ts';

/**
 * The cost ledger and the LLM batch bookkeeping (migration 0002). Money is integer micro-dollars.
 * Ledger kinds: `llm` (direct call), `llm_batch` (batch result, half price), `platform_fee` (written by
 * the publisher). Days are UTC days.
 */

interface LlmBatchesTable {
  id: string;
  provider: string;
  model: string;
  status: string;
  cancel_requested: boolean;
  submitted_at: Date;
  finished_at: Date | null;
}

interface LlmBatchItemsTable {
  post_id: string;
  account_id: string;
  provider: string;
  model: string;
  batch_id: string | null;
  status: string;
  request: unknown;
  created_at: Date;
  deadline: Date;
  updated_at: Date;
  detail: string | null;
}

type CostsDB = DB & { llm_batches: LlmBatchesTable; llm_batch_items: LlmBatchItemsTable };

function costs(db: Kysely<DB>): Kysely<CostsDB> {
  return db.withTables<{ llm_batches: LlmBatchesTable; llm_batch_items: LlmBatchItemsTable }>();
}

/** Records one LLM call (kind `llm` or `llm_batch`) with its tokens, latency and cost. */
export async function recordLlmCall(db: Kysely<DB>, entry: LlmCallRecord): Promise<void> {
  await db
    .insertInto('cost_ledger')
    .values({
      at: entry.at,
      account_id: entry.accountId,
      post_id: entry.postId,
      kind: entry.mode === 'batch' ? 'llm_batch' : 'llm',
      provider: entry.provider,
      model: entry.model,
      tokens_in: entry.tokensIn,
      tokens_cached: entry.tokensCached,
      tokens_out: entry.tokensOut,
      latency_ms: entry.latencyMs,
      usd_micros: entry.usdMicros,
      detail: JSON.stringify(entry.detail),
    })
    .execute();
}

/** Micro-dollars of LLM calls since `since`, for one account or all. */
export async function llmSpentSince(db: Kysely<DB>, since: Date, accountId?: string): Promise<number> {
  let q = db
    .selectFrom('cost_ledger')
    .select(sql<number>`coalesce(sum(usd_micros), 0)::bigint`.as('total'))
    .where('kind', 'in', ['llm', 'llm_batch'])
    .where('at', '>=', since);
  if (accountId !== undefined) q = q.where('account_id', '=', accountId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.total);
}

/** The ledger the LLM writers use, over the store. */
export function storeCostLedger(db: Kysely<DB>): CostLedger {
  return {
    record: (entry) => recordLlmCall(db, entry),
    llmSpentSince: (since, accountId) => llmSpentSince(db, since, accountId),
  };
}

/** One account's costs on one UTC day. */
export interface DailyCost {
  accountId: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  llmUsdMicros: number;
  platformUsdMicros: number;
  totalUsdMicros: number;
  llmCalls: number;
  published: number;
  /** Total divided by posts published that day, rounded up; null when nothing was published. */
  perPublishedPostUsdMicros: number | null;
}

/**
 * Cost per published post, per account and UTC day, over [from, to): every ledger row of the account
 * that day (LLM calls for posts later rejected, expired or not applied included: they were paid) divided
 * by the posts it published that day.
 */
export async function costPerPublishedPost(
  db: Kysely<DB>,
  range: { from: Date; to: Date; accountId?: string },
): Promise<DailyCost[]> {
  const account = range.accountId;
  const ledger = await sql<{ account_id: string; day: string; llm: number; platform: number; calls: number }>`
    SELECT account_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           coalesce(sum(usd_micros) FILTER (WHERE kind IN ('llm', 'llm_batch')), 0)::bigint AS llm,
           coalesce(sum(usd_micros) FILTER (WHERE kind = 'platform_fee'), 0)::bigint AS platform,
           count(*) FILTER (WHERE kind IN ('llm', 'llm_batch'))::bigint AS calls
      FROM cost_ledger
     WHERE at >= ${range.from} AND at < ${range.to} AND account_id IS NOT NULL
       ${account !== undefined ? sql`AND account_id = ${account}` : sql``}
     GROUP BY 1, 2`.execute(db);
  const published = await sql<{ account_id: string; day: string; n: number }>`
    SELECT account_id, to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::bigint AS n
      FROM posts
     WHERE status = 'published' AND published_at >= ${range.from} AND published_at < ${range.to}
       ${account !== undefined ? sql`AND account_id = ${account}` : sql``}
     GROUP BY 1, 2`.execute(db);
  const out = new Map<string, DailyCost>();
  const entry = (accountId: string, day: string): DailyCost => {
    const key = `${accountId}\u0000${day}`;
    let e = out.get(key);
    if (!e) {
      e = {
        accountId,
        day,
        llmUsdMicros: 0,
        platformUsdMicros: 0,
        totalUsdMicros: 0,
        llmCalls: 0,
        published: 0,
        perPublishedPostUsdMicros: null,
      };
      out.set(key, e);
    }
    return e;
  };
  for (const r of ledger.rows) {
    const e = entry(r.account_id, r.day);
    e.llmUsdMicros = Number(r.llm);
    e.platformUsdMicros = Number(r.platform);
    e.llmCalls = Number(r.calls);
  }
  for (const r of published.rows) entry(r.account_id, r.day).published = Number(r.n);
  for (const e of out.values()) {
    e.totalUsdMicros = e.llmUsdMicros + e.platformUsdMicros;
    e.perPublishedPostUsdMicros = e.published > 0 ? Math.ceil(e.totalUsdMicros / e.published) : null;
  }
  return [...out.values()].sort(
    (a, b) => a.day.localeCompare(b.day) || a.accountId.localeCompare(b.accountId),
  );
}

// ---- batches ----------------------------------------------------------------------------------

interface StoredRequest {
  prompt: LlmPrompt;
  platform: Platform;
  maxLength: number;
}

function toItem(r: LlmBatchItemsTable): BatchItem {
  const req = (typeof r.request === 'string' ? JSON.parse(r.request) : r.request) as StoredRequest;
  return {
    postId: r.post_id,
    accountId: r.account_id,
    provider: r.provider,
    model: r.model,
    prompt: req.prompt,
    platform: req.platform,
    maxLength: req.maxLength,
    createdAt: r.created_at,
    deadline: r.deadline,
  };
}

/** Batch items and batches over the store (tables of migration 0002). */
export function storeBatchRepository(db: Kysely<DB>): BatchRepository {
  const c = costs(db);
  return {
    async add(item) {
      const request: StoredRequest = {
        prompt: item.prompt,
        platform: item.platform,
        maxLength: item.maxLength,
      };
      const row = await c
        .insertInto('llm_batch_items')
        .values({
          post_id: item.postId,
          account_id: item.accountId,
          provider: item.provider,
          model: item.model,
          batch_id: null,
          status: 'pending',
          request: JSON.stringify(request),
          created_at: item.createdAt,
          deadline: item.deadline,
          updated_at: item.createdAt,
          detail: null,
        })
        .onConflict((oc) => oc.column('post_id').doNothing())
        .returning('post_id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async pending(provider, model) {
      const rows = await c
        .selectFrom('llm_batch_items')
        .selectAll()
        .where('provider', '=', provider)
        .where('model', '=', model)
        .where('status', '=', 'pending')
        .orderBy('created_at')
        .execute();
      return rows.map(toItem);
    },
    async markSubmitted(batch: BatchRecord, postIds) {
      await c.transaction().execute(async (tx) => {
        await tx
          .insertInto('llm_batches')
          .values({
            id: batch.id,
            provider: batch.provider,
            model: batch.model,
            status: 'open',
            cancel_requested: false,
            submitted_at: batch.submittedAt,
            finished_at: null,
          })
          .execute();
        if (postIds.length > 0) {
          await tx
            .updateTable('llm_batch_items')
            .set({ status: 'submitted', batch_id: batch.id, updated_at: batch.submittedAt })
            .where('post_id', 'in', [...postIds])
            .where('status', '=', 'pending')
            .execute();
        }
      });
    },
    async open(provider) {
      const batches = await c
        .selectFrom('llm_batches')
        .selectAll()
        .where('provider', '=', provider)
        .where('status', '=', 'open')
        .orderBy('submitted_at')
        .execute();
      const out: { batch: BatchRecord; items: BatchItem[] }[] = [];
      for (const b of batches) {
        const items = await c
          .selectFrom('llm_batch_items')
          .selectAll()
          .where('batch_id', '=', b.id)
          .where('status', '=', 'submitted')
          .execute();
        out.push({
          batch: {
            id: b.id,
            provider: b.provider,
            model: b.model,
            submittedAt: b.submitted_at,
            cancelRequested: b.cancel_requested,
          },
          items: items.map(toItem),
        });
      }
      return out;
    },
    async finishItems(postIds, status: BatchItemStatus, now, detail) {
      if (postIds.length === 0) return;
      await c
        .updateTable('llm_batch_items')
        .set({ status, updated_at: now, detail: detail ?? null })
        .where('post_id', 'in', [...postIds])
        .execute();
    },
    async markCancelRequested(batchId) {
      await c.updateTable('llm_batches').set({ cancel_requested: true }).where('id', '=', batchId).execute();
    },
    async finishBatch(batchId, status, now) {
      await c
        .updateTable('llm_batches')
        .set({ status, finished_at: now })
        .where('id', '=', batchId)
        .execute();
    },
  };
}

/** Counts of batch items by status (for tests, metrics and the "nothing stuck" check). */
export async function batchItemCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const rows = await costs(db)
    .selectFrom('llm_batch_items')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** What verifying a batch draft needs: the post's event with its facts snapshot, platform and account. */
export interface ReplaceablePost {
  postId: string;
  accountId: string;
  platform: Platform;
  event: GameEvent;
}

/**
 * The posts among `postIds` whose text a batch draft may still replace: queued, not leased, never
 * attempted (an attempted post may already be on the platform under its current text).
 */
export async function replaceablePosts(db: Kysely<DB>, postIds: readonly string[]): Promise<Set<string>> {
  if (postIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('posts')
    .select('id')
    .where('id', 'in', [...postIds])
    .where('status', '=', 'queued')
    .where('lease_owner', 'is', null)
    .where('attempts', '=', 0)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Loads a replaceable post's event and facts for verification; undefined when it is not replaceable. */
export async function loadReplaceablePost(
  db: Kysely<DB>,
  postId: string,
): Promise<ReplaceablePost | undefined> {
  const row = await db
    .selectFrom('posts')
    .innerJoin('events', 'events.id', 'posts.event_id')
    .innerJoin('accounts', 'accounts.id', 'posts.account_id')
    .leftJoin('fact_snapshots', 'fact_snapshots.hash', 'events.facts_hash')
    .select([
      'posts.id',
      'posts.account_id',
      'accounts.platform',
      'events.payload',
      'fact_snapshots.facts',
      'fact_snapshots.facts_deflated',
    ])
    .where('posts.id', '=', postId)
    .where('posts.status', '=', 'queued')
    .where('posts.lease_owner', 'is', null)
    .where('posts.attempts', '=', 0)
    .executeTakeFirst();
  const facts = row ? readFacts(row) : null;
  if (!row || !facts) return undefined;
  const event = { ...(row.payload as unknown as Omit<GameEvent, 'game'>), game: facts } as GameEvent;
  return { postId: row.id, accountId: row.account_id, platform: row.platform as Platform, event };
}

/**
 * Replaces a queued, never-attempted post's text with a verified batch draft, recording the change in
 * its history (a queued -> queued transition). False when the post is no longer replaceable.
 */
export async function replaceQueuedText(
  db: Kysely<DB>,
  postId: string,
  draft: { text: string; writer: string; templateId: string; verdict: Verdict },
  reason: string,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('posts')
      .set({
        text: draft.text,
        writer: draft.writer,
        template_id: draft.templateId,
        verdict: JSON.stringify(draft.verdict),
        updated_at: now,
      })
      .where('id', '=', postId)
      .where('status', '=', 'queued')
      .where('lease_owner', 'is', null)
      .where('attempts', '=', 0)
      .returning('id')
      .executeTakeFirst();
    if (!updated) return false;
    await tx
      .insertInto('post_transitions')
      .values({ post_id: postId, from_status: 'queued', to_status: 'queued', reason, at: now })
      .execute();
    return true;
  });
}
