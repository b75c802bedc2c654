/** One LLM call as the cost ledger records it. Money in integer micro-dollars. */
export interface LlmCallRecord {
  at: Date;
  /** The account the post is for (null for calls made for no account). */
  accountId: string | null;
  /** The post the call was for, when known. */
  postId: string | null;
  provider: string;
  model: string;
  /** `batch` calls are charged half price. */
  mode: 'direct' | 'batch';
  tokensIn: number;
  tokensCached: number;
  tokensOut: number;
  /** Wall time of the call (for a batch item: submission to results). */
  latencyMs: number;
  usdMicros: number;
  /** Why the call was made and how it ended ("write", "repair", "malformed", "batch:late" ...). */
  detail: Record<string, unknown>;
}

/**
 * Where LLM spending is recorded and read back. The store's implementation (`storeCostLedger` in
 * `store/costs.ts`) writes `cost_ledger` rows of kind `llm` / `llm_batch`; `createMemoryLedger` is for
 * tests and benches without a database.
 */
export interface CostLedger {
  record(entry: LlmCallRecord): Promise<void>;
  /** Micro-dollars of LLM calls since `since` (inclusive), for one account or (undefined) all of them. */
  llmSpentSince(since: Date, accountId?: string): Promise<number>;
}

/** A ledger in memory: records kept in `entries`, in order. */
export function createMemoryLedger(): CostLedger & { entries: LlmCallRecord[] } {
  const entries: LlmCallRecord[] = [];
  return {
    entries,
    async record(entry) {
      entries.push(entry);
    },
    async llmSpentSince(since, accountId) {
      let sum = 0;
      for (const e of entries) {
        if (e.at.getTime() >= since.getTime() && (accountId === undefined || e.accountId === accountId))
          sum += e.usdMicros;
      }
      return sum;
    },
  };
}
