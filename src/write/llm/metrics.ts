import { Counter, Gauge, type Registry } from 'prom-client';

/** The LLM writers' metrics, registered on the registry passed in (never the global one). */
export interface LlmMetrics {
  /** Calls by provider, model, mode (direct/batch) and outcome (ok/malformed/error). */
  calls: Counter<'provider' | 'model' | 'mode' | 'outcome'>;
  /** Micro-dollars spent, by provider, model and mode. */
  costMicros: Counter<'provider' | 'model' | 'mode'>;
  /** Tokens by provider, model and kind (input/cached/output). */
  tokens: Counter<'provider' | 'model' | 'kind'>;
  /** Drafts the template writer made instead of an LLM, by reason (budget/error/malformed/circuit_open/timeout). */
  fallbacks: Counter<'reason'>;
  /** Retries of a call (429, 5xx, timeouts), by provider. */
  retries: Counter<'provider'>;
  /** 1 while a daily budget is spent, by scope ("overall" or the account id). */
  budgetExhausted: Gauge<'scope'>;
  /** Batch items by outcome (applied/rejected/gone/late/failed/expired/skipped). */
  batchItems: Counter<'outcome'>;
  /** Repairs asked after a contradicted claim, by outcome (fixed/still_wrong). */
  repairs: Counter<'outcome'>;
}

/** Creates and registers the metrics (`wirereport_llm_*`). Call once per registry. */
export function createLlmMetrics(registry: Registry): LlmMetrics {
  const registers = [registry];
  return {
    calls: new Counter({
      name: 'wirereport_llm_calls_total',
      help: 'LLM calls by provider, model, mode and outcome',
      labelNames: ['provider', 'model', 'mode', 'outcome'],
      registers,
    }),
    costMicros: new Counter({
      name: 'wirereport_llm_cost_usd_micros_total',
      help: 'LLM spending in micro-dollars',
      labelNames: ['provider', 'model', 'mode'],
      registers,
    }),
    tokens: new Counter({
      name: 'wirereport_llm_tokens_total',
      help: 'LLM tokens by kind (input includes cached)',
      labelNames: ['provider', 'model', 'kind'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'wirereport_llm_fallbacks_total',
      help: 'Drafts written by the template writer instead of an LLM, by reason',
      labelNames: ['reason'],
      registers,
    }),
    retries: new Counter({
      name: 'wirereport_llm_retries_total',
      help: 'Retried LLM calls (429, 5xx, timeouts)',
      labelNames: ['provider'],
      registers,
    }),
    budgetExhausted: new Gauge({
      name: 'wirereport_llm_budget_exhausted',
      help: '1 while the daily LLM budget of the scope (account id or overall) is spent',
      labelNames: ['scope'],
      registers,
    }),
    batchItems: new Counter({
      name: 'wirereport_llm_batch_items_total',
      help: 'Batch items by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    repairs: new Counter({
      name: 'wirereport_llm_repairs_total',
      help: 'Repairs of drafts with a contradicted claim, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
