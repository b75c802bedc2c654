import type { CostLedger } from './ledger.ts';
import type { LlmMetrics } from './metrics.ts';
import type { LlmCompletion } from './types.ts';

/** One direct (not batched) model call, as the ledger and the metrics keep it. */
export interface DirectCall {
  at: Date;
  accountId: string | null;
  postId: string | null;
  provider: string;
  /** The model asked for (the answer names the one that answered). */
  model: string;
  purpose: string;
  completion: LlmCompletion;
  latencyMs: number;
  usdMicros: number;
  /** Why the answer could not be used, when it was malformed. */
  malformed?: string;
}

/**
 * Records a direct call in the cost ledger (tokens, latency, cost, purpose)
 * and, when given, in the metrics (calls by outcome, cost, tokens by kind).
 */
export async function recordDirectCall(
  ledger: CostLedger,
  metrics: LlmMetrics | undefined,
  call: DirectCall,
): Promise<void> {
  const { provider, model, completion } = call;
  await ledger.record({
    at: call.at,
    accountId: call.accountId,
    postId: call.postId,
    provider,
    model,
    mode: 'direct',
    tokensIn: completion.usage.input,
    tokensCached: completion.usage.cached,
    tokensOut: completion.usage.output,
    latencyMs: call.latencyMs,
    usdMicros: call.usdMicros,
    detail: {
      purpose: call.purpose,
      answeredBy: completion.model,
      ...(call.malformed === undefined ? {} : { malformed: call.malformed }),
    },
  });
  if (!metrics) return;
  metrics.calls.inc({
    provider,
    model,
    mode: 'direct',
    outcome: call.malformed === undefined ? 'ok' : 'malformed',
  });
  metrics.costMicros.inc({ provider, model, mode: 'direct' }, call.usdMicros);
  metrics.tokens.inc({ provider, model, kind: 'input' }, completion.usage.input);
  metrics.tokens.inc({ provider, model, kind: 'cached' }, completion.usage.cached);
  metrics.tokens.inc({ provider, model, kind: 'output' }, completion.usage.output);
}
