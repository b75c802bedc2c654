import { createAnthropicClient } from './anthropic-client.ts';
import type { LlmBudgets } from './budget.ts';
import type { LlmConfig } from './config.ts';
import type { CostLedger } from './ledger.ts';
import { createOpenAiClient } from './openai-client.ts';
import { DEFAULT_PRICES, type PriceTable, priceOf, UnknownPriceError } from './prices.ts';
import { createProviderPolicy, type ResilienceOptions } from './resilience.ts';
import { createStructuredCaller, type StructuredCaller } from './structured-call.ts';
import { LLM_PROVIDER_KINDS, type LlmClient, type LlmProviderKind } from './types.ts';

/**
 * Structured callers outside the engine (the `verify` command, the accuracy bench): one provider and
 * one model, from the configuration's `llm.verify` or from environment variables.
 */

/** Everything needed to call one model of one provider. */
export interface CallerSpec {
  /** Provider name for the ledger ("openai", "local"). */
  provider: string;
  kind: LlmProviderKind;
  baseUrl?: string;
  apiKey: string;
  model: string;
  /** Milliseconds one attempt may take. */
  timeoutMs: number;
  /** Attempts per call including the first. */
  maxAttempts: number;
  prices: PriceTable;
}

/** Environment variables read by {@link callerSpecFromEnv}, after the prefix. */
const VARS = ['PROVIDER', 'BASE_URL', 'MODEL', 'API_KEY', 'PRICE', 'TIMEOUT_SECONDS'] as const;

/**
 * Reads a caller from `<prefix>_*` variables of `env` (default prefix `WIREREPORT_VERIFY`):
 * `_MODEL` and `_API_KEY` are required; `_PROVIDER` is `openai` (default; any OpenAI-compatible
 * server through `_BASE_URL`) or `anthropic`; `_PRICE` is "IN/OUT" in dollars per million tokens
 * (required when the model is not in the price table, "0/0" for a local server); `_TIMEOUT_SECONDS`
 * defaults to 60. Returns undefined when none of the variables is set.
 * @throws Error naming the variable when one is set but the set is incomplete or invalid.
 */
export function callerSpecFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  prefix = 'WIREREPORT_VERIFY',
): CallerSpec | undefined {
  const get = (name: (typeof VARS)[number]) => {
    const v = env[`${prefix}_${name}`];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  if (VARS.every((v) => get(v) === undefined)) return undefined;
  const kind = (get('PROVIDER') ?? 'openai') as LlmProviderKind;
  if (!LLM_PROVIDER_KINDS.includes(kind))
    throw new Error(`${prefix}_PROVIDER: expected ${LLM_PROVIDER_KINDS.join(' or ')}, got "${kind}"`);
  const model = get('MODEL');
  if (model === undefined) throw new Error(`${prefix}_MODEL: required (the model to verify with)`);
  const apiKey = get('API_KEY');
  if (apiKey === undefined)
    throw new Error(`${prefix}_API_KEY: required (any non-empty value for a server without keys)`);
  const baseUrl = get('BASE_URL');
  if (baseUrl !== undefined && !URL.canParse(baseUrl))
    throw new Error(`${prefix}_BASE_URL: not a URL: "${baseUrl}"`);
  let prices: PriceTable = DEFAULT_PRICES;
  const price = get('PRICE');
  if (price !== undefined) {
    const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(price);
    if (!m) throw new Error(`${prefix}_PRICE: expected "IN/OUT" dollars per million tokens, got "${price}"`);
    prices = {
      ...DEFAULT_PRICES,
      [model]: { input: Math.round(Number(m[1]) * 1e6), output: Math.round(Number(m[2]) * 1e6) },
    };
  }
  try {
    priceOf(prices, model);
  } catch (error) {
    if (!(error instanceof UnknownPriceError)) throw error;
    throw new Error(`${prefix}_PRICE: required for "${model}", which has no price in the table`);
  }
  const timeout = Number(get('TIMEOUT_SECONDS') ?? 60);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new Error(`${prefix}_TIMEOUT_SECONDS: expected a positive number of seconds`);
  return {
    provider: kind === 'openai' && baseUrl !== undefined ? 'openai-compatible' : kind,
    kind,
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    apiKey,
    model,
    timeoutMs: Math.round(timeout * 1000),
    maxAttempts: 3,
    prices,
  };
}

/**
 * The caller of the configuration's `llm.verify` (its provider's key, base URL, timeout and
 * attempts), or undefined when `llm.verify` is absent or `off`.
 */
export function callerSpecFromConfig(llm: LlmConfig): CallerSpec | undefined {
  const v = llm.verify;
  if (!v || v.mode === 'off') return undefined;
  const p = llm.providers.get(v.provider);
  if (!p) throw new Error(`llm.verify.provider: no provider "${v.provider}"`);
  return {
    provider: p.name,
    kind: p.kind,
    ...(p.baseUrl !== undefined ? { baseUrl: p.baseUrl } : {}),
    apiKey: p.apiKey,
    model: v.model,
    timeoutMs: p.timeoutMs,
    maxAttempts: p.maxAttempts,
    prices: llm.prices,
  };
}

/** Builds the SDK client of a spec (the official OpenAI or Anthropic SDK, retries off). */
export function clientForSpec(spec: CallerSpec): LlmClient {
  const common = {
    provider: spec.provider,
    apiKey: spec.apiKey,
    timeoutMs: spec.timeoutMs,
    ...(spec.baseUrl !== undefined ? { baseURL: spec.baseUrl } : {}),
  };
  return spec.kind === 'openai' ? createOpenAiClient(common) : createAnthropicClient(common);
}

export interface StandaloneDeps {
  ledger: CostLedger;
  /** Default: Date.now. */
  now?: () => number;
  /** Default: no limit (a command run by hand spends what it is asked to). */
  budgets?: LlmBudgets;
  /** Overrides of the resilience defaults (tests shorten backoffs). */
  resilience?: Omit<ResilienceOptions, 'timeoutMs' | 'maxAttempts'>;
  /** For tests: another client. Default: {@link clientForSpec}. */
  client?: LlmClient;
}

/** A structured caller for a spec, with its own policy (timeout, retries, breaker). */
export function createStandaloneCaller(spec: CallerSpec, deps: StandaloneDeps): StructuredCaller {
  return createStructuredCaller({
    client: deps.client ?? clientForSpec(spec),
    model: spec.model,
    policy: createProviderPolicy({
      ...deps.resilience,
      timeoutMs: spec.timeoutMs,
      maxAttempts: spec.maxAttempts,
    }),
    prices: spec.prices,
    ledger: deps.ledger,
    budgets: deps.budgets ?? {
      perAccountMicrosPerDay: Number.MAX_SAFE_INTEGER,
      overallMicrosPerDay: Number.MAX_SAFE_INTEGER,
    },
    ...(deps.now ? { now: deps.now } : {}),
  });
}
