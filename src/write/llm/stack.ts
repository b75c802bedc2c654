import type { Registry } from 'prom-client';
import { createDeterministicWriter } from '../deterministic.ts';
import type { Writer } from '../writer.ts';
import { createAnthropicClient } from './anthropic-client.ts';
import { BatchQueue, type BatchRepository, type DraftApplier } from './batch-queue.ts';
import type { LlmConfig } from './config.ts';
import type { CostLedger } from './ledger.ts';
import { createLlmWriter } from './llm-writer.ts';
import { createLlmMetrics, type LlmMetrics } from './metrics.ts';
import { createOpenAiClient } from './openai-client.ts';
import { createProviderPolicy, type ResilienceOptions } from './resilience.ts';
import { type DraftReviewFn, withReview } from './review-hook.ts';
import { createRoutedWriter } from './router.ts';
import { createStructuredCaller, type StructuredCaller } from './structured-call.ts';
import type { LlmBatchClient, LlmClient } from './types.ts';

export interface LlmStackDeps {
  ledger: CostLedger;
  /** Registry the `wirereport_llm_*` metrics are registered on. */
  registry: Registry;
  /** Epoch ms now (the engine's clock). */
  now: () => number;
  /** Needed when `config.batch.enabled`. */
  batches?: { repo: BatchRepository; applier: DraftApplier };
  /** Overrides of the resilience defaults (tests shorten backoffs). */
  resilience?: Omit<ResilienceOptions, 'timeoutMs' | 'maxAttempts'>;
  /**
   * Builds the LLM verification pass from its model's caller; required when `config.verify` is on
   * (`app/` passes `createVerdictReviewer` of `src/verify/llm/`, so writing does not import verifying).
   */
  reviewer?: (caller: StructuredCaller, verify: NonNullable<LlmConfig['verify']>) => DraftReviewFn;
  /** For tests: build clients another way. Default: the official SDKs. */
  clientFor?: (
    provider: LlmConfig['providers'] extends Map<string, infer P> ? P : never,
  ) => LlmClient & LlmBatchClient;
}

export interface LlmStack {
  /** The writer the Ingestor uses. */
  writer: Writer;
  metrics: LlmMetrics;
  /** The batch queue, when batching is on: call `tick()` every few seconds (or per replayed event). */
  batch?: BatchQueue;
}

/**
 * Builds the LLM writing stack from the resolved `llm` configuration: one SDK client and one resilience
 * policy (timeouts, retries, circuit breaker) per provider, the cheap and strong writers, the batch
 * queue when enabled, and the router in front. Without an `llm` section, callers use the template writer.
 */
export function createLlmStack(config: LlmConfig, deps: LlmStackDeps): LlmStack {
  const metrics = createLlmMetrics(deps.registry);
  const fallback = createDeterministicWriter();
  const clients = new Map<string, LlmClient & LlmBatchClient>();
  const policies = new Map<string, ReturnType<typeof createProviderPolicy>>();
  for (const [name, p] of config.providers) {
    const client = deps.clientFor
      ? deps.clientFor(p)
      : p.kind === 'openai'
        ? createOpenAiClient({
            provider: name,
            apiKey: p.apiKey,
            timeoutMs: p.timeoutMs,
            ...(p.baseUrl ? { baseURL: p.baseUrl } : {}),
          })
        : createAnthropicClient({
            provider: name,
            apiKey: p.apiKey,
            timeoutMs: p.timeoutMs,
            ...(p.baseUrl ? { baseURL: p.baseUrl } : {}),
          });
    clients.set(name, client);
    policies.set(
      name,
      createProviderPolicy({
        ...deps.resilience,
        timeoutMs: p.timeoutMs,
        maxAttempts: p.maxAttempts,
        onRetry: () => metrics.retries.inc({ provider: name }),
      }),
    );
  }
  const writerFor = (tier: 'cheap' | 'strong') => {
    const m = config.models[tier];
    const client = clients.get(m.provider);
    const policy = policies.get(m.provider);
    if (!client || !policy) throw new Error(`llm.models.${tier}.provider: no provider "${m.provider}"`);
    return createLlmWriter({
      client,
      model: m.model,
      tier,
      policy,
      prices: config.prices,
      ledger: deps.ledger,
      budgets: config.budgets,
      fallback,
      now: deps.now,
      metrics,
    });
  };
  const cheap = writerFor('cheap');
  const strong = writerFor('strong');
  let batch: BatchQueue | undefined;
  if (config.batch.enabled) {
    if (!deps.batches) throw new Error('llm.batch.enabled: the batch repository and applier are required');
    batch = new BatchQueue({
      client: clients.get(config.models.cheap.provider)!,
      repo: deps.batches.repo,
      applier: deps.batches.applier,
      ledger: deps.ledger,
      prices: config.prices,
      budgets: config.budgets,
      model: config.models.cheap.model,
      now: deps.now,
      metrics,
      maxItems: config.batch.maxItems,
      maxGatherMs: config.batch.gatherMs,
      lateFallback:
        config.batch.lateFallback === 'direct' ? { kind: 'direct', writer: cheap } : { kind: 'template' },
    });
  }
  const routed = createRoutedWriter({
    strong,
    cheap,
    ...(batch ? { batch } : {}),
    maxBatchWaitMs: config.batch.maxWaitMs,
    fallback,
    now: deps.now,
  });
  let writer: Writer = routed;
  const verify = config.verify;
  if (verify && verify.mode !== 'off') {
    if (!deps.reviewer) throw new Error('llm.verify: the reviewer is required');
    const client = clients.get(verify.provider);
    const policy = policies.get(verify.provider);
    if (!client || !policy) throw new Error(`llm.verify.provider: no provider "${verify.provider}"`);
    const caller = createStructuredCaller({
      client,
      model: verify.model,
      policy,
      prices: config.prices,
      ledger: deps.ledger,
      budgets: config.budgets,
      now: deps.now,
      metrics,
    });
    writer = withReview(routed, verify.mode, fallback.name, deps.reviewer(caller, verify));
  }
  return { writer, metrics, ...(batch ? { batch } : {}) };
}
