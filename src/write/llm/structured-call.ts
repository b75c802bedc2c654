import type { z } from 'zod';
import { checkBudget, type LlmBudgets } from './budget.ts';
import { recordDirectCall } from './call-record.ts';
import { MalformedOutputError } from './errors.ts';
import type { CostLedger } from './ledger.ts';
import type { FallbackReason } from './llm-writer.ts';
import type { LlmMetrics } from './metrics.ts';
import { parseJsonAnswer } from './output.ts';
import { costMicros, type PriceTable, priceOf } from './prices.ts';
import { isCircuitOpen, isTimeout, type ProviderPolicy } from './resilience.ts';
import type { LlmClient, LlmPrompt } from './types.ts';

/**
 * One LLM call whose answer is a JSON object checked by a zod schema, for uses other than writing a
 * post (verification, classification). The same discipline as the writers: budget checked before, the
 * provider's policy around the call (timeouts, 429/5xx retried with backoff, circuit breaker), every
 * answered call in the cost ledger with its purpose, malformed answers asked again and billed.
 */

export interface StructuredCallerOptions {
  client: LlmClient;
  model: string;
  /** The provider's policy, shared with its writers so one circuit breaker sees all its calls. */
  policy: ProviderPolicy;
  prices: PriceTable;
  ledger: CostLedger;
  budgets: LlmBudgets;
  /** Epoch ms now (the engine's clock). Default: Date.now. */
  now?: () => number;
  metrics?: LlmMetrics;
  /** Further calls after a malformed answer (each is billed). Default: 1. */
  malformedRetries?: number;
}

/** Whom a call is charged to (the account's daily budget applies) and what it was for. */
export interface CallTarget {
  accountId?: string;
  postId?: string;
}

/**
 * How a structured call ended. Never an exception for provider trouble: `ok: false` says why, and
 * `usdMicros` / `latencyMs` count what was spent on the way (malformed answers are billed).
 */
export type StructuredOutcome<T> =
  | { ok: true; value: T; model: string; usdMicros: number; latencyMs: number; calls: number }
  | {
      ok: false;
      reason: FallbackReason;
      error?: unknown;
      usdMicros: number;
      latencyMs: number;
      calls: number;
    };

/** A model of a provider, ready for structured calls. */
export interface StructuredCaller {
  readonly provider: string;
  readonly model: string;
  /**
   * Calls the model with `prompt` and parses its answer with `schema`. `purpose` goes into the ledger
   * row's detail ("verify", ...). Resolves with the outcome; rejects only on programming errors.
   */
  call<T>(
    prompt: LlmPrompt,
    schema: z.ZodType<T>,
    target: CallTarget,
    purpose: string,
  ): Promise<StructuredOutcome<T>>;
}

/**
 * A structured caller for one model of one provider.
 * @throws UnknownPriceError at creation when the model has no price (spending must be countable).
 */
export function createStructuredCaller(options: StructuredCallerOptions): StructuredCaller {
  const { client, model, policy, ledger, budgets, metrics } = options;
  const price = priceOf(options.prices, model);
  const now = options.now ?? Date.now;
  const retries = Math.max(0, options.malformedRetries ?? 1);

  async function call<T>(
    prompt: LlmPrompt,
    schema: z.ZodType<T>,
    target: CallTarget,
    purpose: string,
  ): Promise<StructuredOutcome<T>> {
    const estimate = costMicros(
      price,
      {
        input: Math.ceil((prompt.system.length + prompt.user.length) / 3),
        cached: 0,
        output: prompt.maxOutputTokens,
      },
      'direct',
    );
    let usdMicros = 0;
    let latencyMs = 0;
    let calls = 0;
    const budget = await checkBudget(ledger, budgets, target.accountId, estimate, now());
    if (!budget.ok) return { ok: false, reason: 'budget', usdMicros, latencyMs, calls };
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const started = performance.now();
      let completion: Awaited<ReturnType<LlmClient['complete']>>;
      try {
        completion = await policy.execute((signal) => client.complete(model, prompt, { signal }));
      } catch (error) {
        latencyMs += Math.round(performance.now() - started);
        metrics?.calls.inc({ provider: client.provider, model, mode: 'direct', outcome: 'error' });
        const reason: FallbackReason = isCircuitOpen(error)
          ? 'circuit_open'
          : isTimeout(error)
            ? 'timeout'
            : 'error';
        return { ok: false, reason, error, usdMicros, latencyMs, calls };
      }
      const elapsed = Math.round(performance.now() - started);
      latencyMs += elapsed;
      calls++;
      const usd = costMicros(price, completion.usage, 'direct');
      usdMicros += usd;
      let value: T | undefined;
      let parsed = false;
      try {
        value = parseJsonAnswer(completion.text, schema);
        parsed = true;
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
        latencyMs: elapsed,
        usdMicros: usd,
        ...(parsed ? {} : { malformed: (lastError as Error).message }),
      });
      if (parsed)
        return { ok: true, value: value as T, model: completion.model, usdMicros, latencyMs, calls };
    }
    return { ok: false, reason: 'malformed', error: lastError, usdMicros, latencyMs, calls };
  }

  return { provider: client.provider, model, call };
}
