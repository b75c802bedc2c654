import type { Platform } from '../../domain/platform.ts';
import { checkBudget, type LlmBudgets } from './budget.ts';
import { MalformedOutputError } from './errors.ts';
import type { CostLedger } from './ledger.ts';
import type { LlmWriter } from './llm-writer.ts';
import type { LlmMetrics } from './metrics.ts';
import { parseModelOutput } from './output.ts';
import { costMicros, type PriceTable, priceOf } from './prices.ts';
import type { BatchItemResult, LlmBatchClient, LlmPrompt } from './types.ts';

/**
 * The batch path (see ARCHITECTURE.md): a routine post is written by the template writer and queued at
 * once; its LLM request waits here, goes to the provider's batch API at half price, and when the result
 * comes back in time (the post still queued, never attempted, before the item's deadline) and passes
 * verification, it takes the template text's place. The post never waits for the batch, so no post can
 * be stuck behind it; a late or failed batch only means the template text goes out.
 */

export const BATCH_ITEM_STATUSES = [
  'pending',
  'submitted',
  'applied',
  'rejected',
  'gone',
  'late',
  'failed',
  'expired',
  'skipped',
] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

/** One post's request waiting for, or in, a batch. `postId` is the batch's custom id. */
export interface BatchItem {
  postId: string;
  accountId: string;
  provider: string;
  model: string;
  prompt: LlmPrompt;
  platform: Platform;
  maxLength: number;
  createdAt: Date;
  /** After this the result is not applied (and a pending item is not submitted). */
  deadline: Date;
}

/** A submitted batch. `id` is the provider's batch id. */
export interface BatchRecord {
  id: string;
  provider: string;
  model: string;
  submittedAt: Date;
  /** True once `cancel` was asked (every item late); polling goes on until the provider ends it. */
  cancelRequested: boolean;
}

/** Where batch items and batches are kept (store: `storeBatchRepository` in store/costs.ts). */
export interface BatchRepository {
  /** Adds an item; false when the post already has one (idempotent on `postId`). */
  add(item: BatchItem): Promise<boolean>;
  pending(provider: string, model: string): Promise<BatchItem[]>;
  markSubmitted(batch: BatchRecord, postIds: readonly string[]): Promise<void>;
  /** Batches not yet ended, with their submitted items. */
  open(provider: string): Promise<{ batch: BatchRecord; items: BatchItem[] }[]>;
  finishItems(postIds: readonly string[], status: BatchItemStatus, now: Date, detail?: string): Promise<void>;
  markCancelRequested(batchId: string): Promise<void>;
  finishBatch(batchId: string, status: 'ended' | 'failed' | 'expired', now: Date): Promise<void>;
}

/** Puts a batch result in place of a queued post's text (conductor side: verify, then update). */
export interface DraftApplier {
  /** The posts among `postIds` still queued and never attempted (a batch draft can still replace them). */
  stillReplaceable(postIds: readonly string[]): Promise<Set<string>>;
  /** Verifies `text` against the post's facts and, when it passes, replaces the post's text. */
  apply(item: BatchItem, text: string, writer: string): Promise<'applied' | 'rejected' | 'gone'>;
}

export interface BatchQueueOptions {
  client: LlmBatchClient;
  repo: BatchRepository;
  applier: DraftApplier;
  ledger: CostLedger;
  prices: PriceTable;
  budgets: LlmBudgets;
  /** The model batched (the cheap one). */
  model: string;
  /** Epoch ms now (the engine's clock). Default: Date.now. */
  now?: () => number;
  metrics?: LlmMetrics;
  /** Submit as soon as this many items wait. Default: 100. */
  maxItems?: number;
  /** Submit when the oldest pending item has waited this long (ms). Default: 30,000. */
  maxGatherMs?: number;
  /**
   * When an item's deadline passes before its result: `template` leaves the template text (default);
   * `direct` asks this writer once directly (full price) and applies its answer if the post is still
   * replaceable.
   */
  lateFallback?: { kind: 'template' } | { kind: 'direct'; writer: LlmWriter };
}

export interface TickReport {
  submitted: number;
  applied: number;
  late: number;
  failed: number;
}

/**
 * Gathers routine requests into provider batches and applies their results. `enqueue` is called by the
 * routed writer; `tick` by a periodic sweeper (every few seconds live, per event in replays). A tick:
 * 1. marks pending items past their deadline `late` (and runs the late fallback);
 * 2. submits pending items (only those whose post is still replaceable, within the budget) when enough
 *    wait or the oldest waited long enough;
 * 3. polls open batches: applies results in time, records every billed result in the ledger at batch
 *    price, marks the rest; a batch whose items are all late is cancelled and polled until it ends.
 */
export class BatchQueue {
  readonly #o: BatchQueueOptions;
  readonly #now: () => number;

  constructor(options: BatchQueueOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    priceOf(options.prices, options.model);
  }

  get provider(): string {
    return this.#o.client.provider;
  }

  /** Holds a request for the next batch. False when the post already has an item. */
  async enqueue(item: Omit<BatchItem, 'provider' | 'model' | 'createdAt'>): Promise<boolean> {
    return this.#o.repo.add({
      ...item,
      provider: this.#o.client.provider,
      model: this.#o.model,
      createdAt: new Date(this.#now()),
    });
  }

  async tick(): Promise<TickReport> {
    const report: TickReport = { submitted: 0, applied: 0, late: 0, failed: 0 };
    await this.#submit(report);
    await this.#poll(report);
    return report;
  }

  async #submit(report: TickReport): Promise<void> {
    const { repo, client, model } = this.#o;
    const now = this.#now();
    const pending = await repo.pending(client.provider, model);
    const late = pending.filter((i) => i.deadline.getTime() <= now);
    if (late.length > 0) await this.#late(late, report);
    let waiting = pending.filter((i) => i.deadline.getTime() > now);
    if (waiting.length === 0) return;
    const oldest = Math.min(...waiting.map((i) => i.createdAt.getTime()));
    if (waiting.length < (this.#o.maxItems ?? 100) && now - oldest < (this.#o.maxGatherMs ?? 30_000)) return;
    const replaceable = await this.#o.applier.stillReplaceable(waiting.map((i) => i.postId));
    const gone = waiting.filter((i) => !replaceable.has(i.postId));
    if (gone.length > 0) {
      await repo.finishItems(
        gone.map((i) => i.postId),
        'gone',
        new Date(now),
        'post no longer queued before submission',
      );
      this.#o.metrics?.batchItems.inc({ outcome: 'gone' }, gone.length);
    }
    waiting = waiting.filter((i) => replaceable.has(i.postId));
    // Budget: admit items in order while the estimated batch cost fits.
    const price = priceOf(this.#o.prices, model);
    const admitted: BatchItem[] = [];
    const skipped: BatchItem[] = [];
    let estimate = 0;
    for (const item of waiting) {
      const cost = costMicros(
        price,
        {
          input: Math.ceil((item.prompt.system.length + item.prompt.user.length) / 3),
          cached: 0,
          output: item.prompt.maxOutputTokens,
        },
        'batch',
      );
      const check = await checkBudget(this.#o.ledger, this.#o.budgets, item.accountId, estimate + cost, now);
      if (check.ok) {
        admitted.push(item);
        estimate += cost;
      } else {
        skipped.push(item);
        this.#o.metrics?.budgetExhausted.set(
          { scope: check.scope === 'overall' ? 'overall' : item.accountId },
          1,
        );
      }
    }
    if (skipped.length > 0) {
      await repo.finishItems(
        skipped.map((i) => i.postId),
        'skipped',
        new Date(now),
        'over the daily LLM budget',
      );
      this.#o.metrics?.batchItems.inc({ outcome: 'skipped' }, skipped.length);
      this.#o.metrics?.fallbacks.inc({ reason: 'budget' }, skipped.length);
    }
    if (admitted.length === 0) return;
    let batchId: string;
    try {
      batchId = await client.submit(
        admitted.map((i) => ({ customId: i.postId, model: i.model, prompt: i.prompt })),
      );
    } catch {
      // Submission failed (provider down): items stay pending and are tried again next tick until late.
      this.#o.metrics?.fallbacks.inc({ reason: 'error' });
      return;
    }
    await repo.markSubmitted(
      { id: batchId, provider: client.provider, model, submittedAt: new Date(now), cancelRequested: false },
      admitted.map((i) => i.postId),
    );
    report.submitted += admitted.length;
  }

  async #poll(report: TickReport): Promise<void> {
    const { repo, client } = this.#o;
    for (const { batch, items } of await repo.open(client.provider)) {
      const now = this.#now();
      let poll: Awaited<ReturnType<LlmBatchClient['poll']>>;
      try {
        poll = await client.poll(batch.id);
      } catch {
        poll = { state: 'pending' };
      }
      switch (poll.state) {
        case 'pending': {
          const late = items.filter((i) => i.deadline.getTime() <= now);
          if (late.length > 0) await this.#late(late, report);
          if (late.length === items.length && !batch.cancelRequested) {
            await client.cancel(batch.id).catch(() => undefined);
            await repo.markCancelRequested(batch.id);
          }
          break;
        }
        case 'failed': {
          await repo.finishItems(
            items.map((i) => i.postId),
            'failed',
            new Date(now),
            poll.reason,
          );
          await repo.finishBatch(batch.id, 'failed', new Date(now));
          this.#o.metrics?.batchItems.inc({ outcome: 'failed' }, items.length);
          report.failed += items.length;
          break;
        }
        case 'ended':
        case 'expired': {
          await this.#results(batch, items, poll.results, poll.state, report);
          await repo.finishBatch(batch.id, poll.state, new Date(now));
          break;
        }
        default: {
          const never: never = poll;
          throw new Error(`batch ${batch.id}: unknown poll state ${JSON.stringify(never)}`);
        }
      }
    }
  }

  async #results(
    batch: BatchRecord,
    items: BatchItem[],
    results: BatchItemResult[],
    state: 'ended' | 'expired',
    report: TickReport,
  ): Promise<void> {
    const { repo, ledger, metrics } = this.#o;
    const now = this.#now();
    const byId = new Map(results.map((r) => [r.customId, r]));
    const price = priceOf(this.#o.prices, batch.model);
    for (const item of items) {
      const result = byId.get(item.postId);
      if (!result?.ok) {
        const status = state === 'expired' ? 'expired' : 'failed';
        await repo.finishItems(
          [item.postId],
          status,
          new Date(now),
          result && !result.ok ? result.error : 'no result',
        );
        metrics?.batchItems.inc({ outcome: status });
        report.failed++;
        continue;
      }
      const { completion } = result;
      const usd = costMicros(price, completion.usage, 'batch');
      let text: string | undefined;
      let malformed: string | undefined;
      try {
        text = parseModelOutput(completion.text, item.platform, item.maxLength);
      } catch (error) {
        if (!(error instanceof MalformedOutputError)) throw error;
        malformed = error.message;
      }
      await ledger.record({
        at: new Date(now),
        accountId: item.accountId,
        postId: item.postId,
        provider: batch.provider,
        model: batch.model,
        mode: 'batch',
        tokensIn: completion.usage.input,
        tokensCached: completion.usage.cached,
        tokensOut: completion.usage.output,
        latencyMs: Math.max(0, now - batch.submittedAt.getTime()),
        usdMicros: usd,
        detail: {
          purpose: 'batch',
          batchId: batch.id,
          answeredBy: completion.model,
          ...(malformed ? { malformed } : {}),
        },
      });
      metrics?.calls.inc({
        provider: batch.provider,
        model: batch.model,
        mode: 'batch',
        outcome: text ? 'ok' : 'malformed',
      });
      metrics?.costMicros.inc({ provider: batch.provider, model: batch.model, mode: 'batch' }, usd);
      let status: BatchItemStatus;
      if (item.deadline.getTime() <= now) status = 'late';
      else if (text === undefined) status = 'failed';
      else status = await this.#o.applier.apply(item, text, `${batch.provider}:${batch.model}:batch`);
      await repo.finishItems([item.postId], status, new Date(now), malformed);
      metrics?.batchItems.inc({ outcome: status });
      if (status === 'applied') report.applied++;
      else if (status === 'late') report.late++;
      else if (status === 'failed') report.failed++;
    }
  }

  /** Items whose deadline passed without a result: the template text stands, or one direct call. */
  async #late(items: BatchItem[], report: TickReport): Promise<void> {
    const now = new Date(this.#now());
    await this.#o.repo.finishItems(
      items.map((i) => i.postId),
      'late',
      now,
      'deadline passed before the batch result',
    );
    this.#o.metrics?.batchItems.inc({ outcome: 'late' }, items.length);
    report.late += items.length;
    const fallback = this.#o.lateFallback;
    if (!fallback || fallback.kind === 'template') return;
    const replaceable = await this.#o.applier.stillReplaceable(items.map((i) => i.postId));
    for (const item of items) {
      if (!replaceable.has(item.postId)) continue;
      const outcome = await fallback.writer.completeText(
        item.prompt,
        {
          platform: item.platform,
          maxLength: item.maxLength,
          accountId: item.accountId,
          postId: item.postId,
        },
        'batch-late',
      );
      if (outcome.ok) await this.#o.applier.apply(item, outcome.text, fallback.writer.name);
      else this.#o.metrics?.fallbacks.inc({ reason: outcome.reason });
    }
  }
}
