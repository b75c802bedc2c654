import type { LlmUsage } from './types.ts';

/**
 * Prices in integer micro-dollars per million tokens ($0.05 / M tokens = 50,000). `cachedInput` is
 * the price of input tokens served from the prompt cache; default: the `input` price (no discount
 * assumed, so costs are never under-counted when a provider's cache price is not configured).
 */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Standard-tier prices from docs/platforms.md (late 2026). Prices change: configuration overrides
 * these (`llm.prices`), and every ledger row stores what was charged when it was written.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-5-nano': { input: 50_000, output: 400_000 },
  'gpt-4.1-nano': { input: 100_000, output: 400_000 },
  'gpt-4o-mini': { input: 150_000, output: 600_000 },
  'gpt-5-mini': { input: 250_000, output: 2_000_000 },
  'gpt-4.1-mini': { input: 400_000, output: 1_600_000 },
  'gpt-4.1': { input: 2_000_000, output: 8_000_000 },
  'claude-haiku-4-5': { input: 1_000_000, output: 5_000_000 },
  'claude-sonnet-4-5': { input: 3_000_000, output: 15_000_000 },
  'claude-sonnet-4': { input: 3_000_000, output: 15_000_000 },
};

/** Thrown when a model has no price: calling it would spend money the ledger cannot count. */
export class UnknownPriceError extends Error {
  readonly model: string;
  constructor(model: string) {
    super(`no price for model "${model}" in the price table (llm.prices)`);
    this.name = 'UnknownPriceError';
    this.model = model;
  }
}

/**
 * Looks a model up by exact name, then by the longest table key that prefixes it, so a dated snapshot
 * ("gpt-4o-mini-2024-07-18", "claude-haiku-4-5-20251001") takes its family's price.
 * @throws UnknownPriceError when nothing matches.
 */
export function priceOf(table: PriceTable, model: string): ModelPrice {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  if (best === undefined) throw new UnknownPriceError(model);
  return table[best]!;
}

/**
 * Cost of one call in integer micro-dollars, rounded up (money is never under-counted):
 * (uncached input x input + cached x cachedInput + output x output) / 1,000,000, halved for batch calls.
 */
export function costMicros(price: ModelPrice, usage: LlmUsage, mode: 'direct' | 'batch'): number {
  const cached = Math.min(usage.cached, usage.input);
  const uncached = usage.input - cached;
  const numerator =
    uncached * price.input + cached * (price.cachedInput ?? price.input) + usage.output * price.output;
  const divisor = mode === 'batch' ? 2_000_000 : 1_000_000;
  return Math.ceil(numerator / divisor);
}
