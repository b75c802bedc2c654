import type { Claim } from '../../domain/verdict.ts';
import { createDeterministicWriter } from '../deterministic.ts';
import type { WriteRequest, Writer, WrittenDraft } from '../writer.ts';
import { checkBudget, type LlmBudgets } from './budget.ts';
import { recordDirectCall } from './call-record.ts';
import { MalformedOutputError } from './errors.ts';
import type { CostLedger } from './ledger.ts';
import type { LlmMetrics } from './metrics.ts';
import { parseModelOutput } from './output.ts';
import { costMicros, type PriceTable, priceOf } from './prices.ts';
import { buildPrompt } from './prompt.ts';
import { isCircuitOpen, isTimeout, type ProviderPolicy } from './resilience.ts';
import type { LlmClient, LlmPrompt, ModelTier } from './types.ts';

/**
 * A write request with what the LLM path needs beyond `WriteRequest`: whom the money is charged to and
 * by when the post is needed. The Ingestor passes these; every field is optional for other callers.
 */
export interface LlmWriteRequest extends WriteRequest {
  /** The account the post is for: its daily budget applies and the ledger rows carry it. */
  accountId?: string;
  /** The post's content-derived id: ledger rows and batch items carry it. */
  postId?: string;
  /** Epoch ms after which the post is worthless (its expiry). */
  deadline?: number;
}

/** A writer that can be asked again with the contradictions of its draft named. */
export interface RepairingWriter extends Writer {
  /**
   * Writes the request again, telling the model what the verifier found contradicted in `draft`.
   * Returns undefined when there is nothing to ask (the draft came from the template writer, whose
   * output does not change on a second try).
   */
  repair(
    req: WriteRequest,
    draft: WrittenDraft,
    contradicted: readonly Claim[],
  ): Promise<WrittenDraft | undefined>;
  /** The writer used when the LLM cannot be (the template writer). */
  readonly fallback: Writer;
}

/** True when `writer` can repair its drafts. */
export function canRepair(writer: Writer): writer is RepairingWriter {
  return typeof (writer as Partial<RepairingWriter>).repair === 'function';
}

export interface LlmWriterOptions {
  client: LlmClient;
  model: string;
  tier: ModelTier;
  /** The provider's policy (timeouts, retries, circuit breaker), shared by its writers. */
  policy: ProviderPolicy;
  prices: PriceTable;
  ledger: CostLedger;
  budgets: LlmBudgets;
  /** Default: the template writer. */
  fallback?: Writer;
  /** Epoch ms now (the engine's clock, virtual in replays). Default: Date.now. */
  now?: () => number;
  metrics?: LlmMetrics;
  /** Further calls after a malformed answer (each is billed). Default: 1. */
  malformedRetries?: number;
}

/** Why an LLM draft could not be had, as the fallback metric counts it. */
export type FallbackReason = 'budget' | 'circuit_open' | 'timeout' | 'error' | 'malformed';

export type CompleteOutcome =
  | { ok: true; text: string; model: string }
  | { ok: false; reason: FallbackReason; error?: unknown };

/** An LLM writer: `write`, `repair`, and the raw `completeText` the batch sweeper falls back to. */
export interface LlmWriter extends RepairingWriter {
  readonly provider: string;
  readonly model: string;
  /**
   * One direct call for a ready prompt, budget-checked, retried, parsed and recorded in the ledger.
   * Never throws for provider failures: the outcome says why there is no text.
   */
  completeText(
    prompt: LlmPrompt,
    target: { platform: WriteRequest['platform']; maxLength: number; accountId?: string; postId?: string },
    purpose: string,
  ): Promise<CompleteOutcome>;
}

/**
 * A writer backed by one model of one provider. Each call:
 * 1. checks the ledger against the daily budgets (account and overall) with the call's estimated cost;
 *    over budget, the template writer writes instead and the `budgetExhausted` gauge shows it;
 * 2. calls the model under the provider's policy (timeout per attempt, 429/5xx/timeouts retried with
 *    backoff, circuit breaker); a call that still fails falls back to the template writer;
 * 3. records the call in the ledger (tokens in, cached, out, latency, cost from the price table);
 * 4. parses the JSON answer with zod; a malformed answer is asked again `malformedRetries` times, then
 *    falls back.
 * @throws UnknownPriceError at creation when the model has no price (spending must be countable).
 */
export function createLlmWriter(options: LlmWriterOptions): LlmWriter {
  const { client, model, policy, ledger, budgets, metrics } = options;
  const price = priceOf(options.prices, model);
  const fallback = options.fallback ?? createDeterministicWriter();
  const now = options.now ?? Date.now;
  const retries = Math.max(0, options.malformedRetries ?? 1);
  const name = `${client.provider}:${model}`;

  async function completeText(
    prompt: LlmPrompt,
    target: { platform: WriteRequest['platform']; maxLength: number; accountId?: string; postId?: string },
    purpose: string,
  ): Promise<CompleteOutcome> {
    const estimate = costMicros(
      price,
      {
        input: Math.ceil((prompt.system.length + prompt.user.length) / 3),
        cached: 0,
        output: prompt.maxOutputTokens,
      },
      'direct',
    );
    const budget = await checkBudget(ledger, budgets, target.accountId, estimate, now());
    if (!budget.ok) {
      metrics?.budgetExhausted.set(
        { scope: budget.scope === 'overall' ? 'overall' : (target.accountId ?? 'overall') },
        1,
      );
      return { ok: false, reason: 'budget' };
    }
    metrics?.budgetExhausted.set({ scope: 'overall' }, 0);
    if (target.accountId !== undefined) metrics?.budgetExhausted.set({ scope: target.accountId }, 0);
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const started = performance.now();
      let completion: Awaited<ReturnType<LlmClient['complete']>>;
      try {
        completion = await policy.execute((signal) => client.complete(model, prompt, { signal }));
      } catch (error) {
        metrics?.calls.inc({ provider: client.provider, model, mode: 'direct', outcome: 'error' });
        const reason: FallbackReason = isCircuitOpen(error)
          ? 'circuit_open'
          : isTimeout(error)
            ? 'timeout'
            : 'error';
        return { ok: false, reason, error };
      }
      const latencyMs = Math.round(performance.now() - started);
      const usd = costMicros(price, completion.usage, 'direct');
      let text: string | undefined;
      try {
        text = parseModelOutput(completion.text, target.platform, target.maxLength);
      } catch (error) {
        if (!(error instanceof MalformedOutputError)) throw error;
        lastError = error;
      }
      await recordDirectCall(ledger, metrics, {
        at: new Date(now()),
        accountId: target.accountId ?? null,
        postId: target.postId ?? null,
        provider: client.provider,
        model,
        purpose,
        completion,
        latencyMs,
        usdMicros: usd,
        ...(text === undefined ? { malformed: (lastError as Error).message } : {}),
      });
      if (text !== undefined) return { ok: true, text, model: completion.model };
    }
    return { ok: false, reason: 'malformed', error: lastError };
  }

  async function draft(
    req: WriteRequest,
    prompt: LlmPrompt,
    purpose: 'write' | 'repair',
  ): Promise<WrittenDraft> {
    const extra = req as LlmWriteRequest;
    const outcome = await completeText(
      prompt,
      {
        platform: req.platform,
        maxLength: req.maxLength,
        ...(extra.accountId !== undefined ? { accountId: extra.accountId } : {}),
        ...(extra.postId !== undefined ? { postId: extra.postId } : {}),
      },
      purpose,
    );
    if (outcome.ok) {
      return {
        text: outcome.text,
        writer: name,
        templateId: `llm.${options.tier}.${req.event.kind}${purpose === 'repair' ? ':repaired' : ''}`,
        variant: req.variant,
      };
    }
    metrics?.fallbacks.inc({ reason: outcome.reason });
    return fallback.write(req);
  }

  return {
    name,
    provider: client.provider,
    model,
    fallback,
    completeText,
    write: (req) => draft(req, buildPrompt(req), 'write'),
    async repair(req, previous, contradicted) {
      if (previous.writer === fallback.name) return undefined;
      return draft(req, buildPrompt(req, { previous: previous.text, contradicted }), 'repair');
    },
  };
}
