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
}
