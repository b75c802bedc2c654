import type { CostLedger } from './ledger.ts';

/** Daily LLM budgets in integer micro-dollars. A budget of 0 forbids LLM calls. */
export interface LlmBudgets {
  /** Per account per UTC day. Default (in configuration): $0.50. */
  perAccountMicrosPerDay: number;
  /** All accounts together per UTC day. Default (in configuration): $10. */
  overallMicrosPerDay: number;
}

export type BudgetCheck =
  | { ok: true }
  | { ok: false; scope: 'account' | 'overall'; spent: number; limit: number };

/** Midnight UTC of the day containing `now`. */
export function utcDayStart(now: number): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/**
 * Checks the ledger before a call: the call may go ahead when what was spent today plus its estimated
 * cost stays within both the account's and the overall budget. The estimate keeps a single call from
 * overshooting much; concurrent calls can still overshoot by the calls in flight (the ledger is read,
 * not reserved), which at a few hundred micro-dollars a call is accepted.
 */
export async function checkBudget(
  ledger: CostLedger,
  budgets: LlmBudgets,
  accountId: string | undefined,
  estimateMicros: number,
  now: number,
): Promise<BudgetCheck> {
  const since = utcDayStart(now);
  const overall = await ledger.llmSpentSince(since);
  if (overall + estimateMicros > budgets.overallMicrosPerDay) {
    return { ok: false, scope: 'overall', spent: overall, limit: budgets.overallMicrosPerDay };
  }
  if (accountId !== undefined) {
    const mine = await ledger.llmSpentSince(since, accountId);
    if (mine + estimateMicros > budgets.perAccountMicrosPerDay) {
      return { ok: false, scope: 'account', spent: mine, limit: budgets.perAccountMicrosPerDay };
    }
  }
  return { ok: true };
}
