import type { PriceTable } from './prices.ts';
import type { LlmProviderKind, ModelTier } from './types.ts';

/** The `llm` configuration section as the engine uses it: validated, secrets resolved, money in micros. */
export interface LlmConfig {
  providers: Map<
    string,
    {
      name: string;
      kind: LlmProviderKind;
      baseUrl?: string;
      apiKey: string;
      timeoutMs: number;
      maxAttempts: number;
    }
  >;
  models: Record<ModelTier, { provider: string; model: string }>;
  /** Defaults merged with the configured prices. */
  prices: PriceTable;
  budgets: { perAccountMicrosPerDay: number; overallMicrosPerDay: number };
  batch: {
    enabled: boolean;
    maxWaitMs: number;
    gatherMs: number;
    maxItems: number;
    lateFallback: 'template' | 'direct';
  };
  /** LLM-assisted verification of drafts after the deterministic verifier; absent = off. */
  verify?: LlmVerifyConfig;
}

/** When the LLM verification pass runs in the pipeline (see `src/verify/llm/`). */
export const LLM_VERIFY_MODES = ['off', 'suspicious', 'always'] as const;
export type LlmVerifyMode = (typeof LLM_VERIFY_MODES)[number];

/**
 * `llm.verify`: which model checks drafts after the deterministic verifier, and when.
 * - `off`: never (the default);
 * - `suspicious`: drafts an LLM wrote (free text the deterministic rules may not fully read);
 * - `always`: every draft that passed the deterministic checks, the template writer's too.
 */
export interface LlmVerifyConfig {
  /** A provider of `llm.providers`. */
  provider: string;
  model: string;
  mode: LlmVerifyMode;
  /** Whether the model may withdraw findings of the deterministic verifier. Default: false. */
  allowWithdraw: boolean;
}
