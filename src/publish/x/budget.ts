import { PRIORITY } from '../../domain/post.ts';

/**
 * An account's spending cap on a paying platform (X). Every field is
 * optional: an absent cap is no cap. Configured in the X credentials'
 * `settings` (strings): `budgetPostsPerDay`, `budgetPostsPerMonth`,
 * `budgetUsdPerDay`, `budgetUsdPerMonth` (dollars), `budgetReserveShare`
 * (default 0.2).
 */
export interface PlatformBudget {
  postsPerDay?: number;
  postsPerMonth?: number;
  usdMicrosPerDay?: number;
  usdMicrosPerMonth?: number;
  /**
   * Share of every cap kept for high-significance posts (priority at or
   * below `reservedForPriorityAtMost`): others may spend only the rest.
   * Default: 0.2.
   */
  reserveShare: number;
  /** Default: PRIORITY.high (10): breaking and high posts may use the reserve. */
  reservedForPriorityAtMost: number;
}

/** Reads a budget from X credentials settings; null when no cap is set. Throws naming a bad field. */
export function budgetFromSettings(settings: Record<string, string>, label: string): PlatformBudget | null {
  const num = (key: string): number | undefined => {
    const raw = settings[key];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0)
      throw new Error(`${label}.settings.${key}: expected a number >= 0, got "${raw}"`);
    return n;
  };
  const b = {
    postsPerDay: num('budgetPostsPerDay'),
    postsPerMonth: num('budgetPostsPerMonth'),
    usdPerDay: num('budgetUsdPerDay'),
    usdPerMonth: num('budgetUsdPerMonth'),
    reserve: num('budgetReserveShare'),
  };
  if (b.reserve !== undefined && b.reserve > 1)
    throw new Error(`${label}.settings.budgetReserveShare: expected 0 to 1`);
  if ([b.postsPerDay, b.postsPerMonth, b.usdPerDay, b.usdPerMonth].every((v) => v === undefined)) return null;
  return {
    ...(b.postsPerDay !== undefined ? { postsPerDay: b.postsPerDay } : {}),
    ...(b.postsPerMonth !== undefined ? { postsPerMonth: b.postsPerMonth } : {}),
    ...(b.usdPerDay !== undefined ? { usdMicrosPerDay: Math.round(b.usdPerDay * 1e6) } : {}),
    ...(b.usdPerMonth !== undefined ? { usdMicrosPerMonth: Math.round(b.usdPerMonth * 1e6) } : {}),
    reserveShare: b.reserve ?? 0.2,
    reservedForPriorityAtMost: PRIORITY.high,
  };
}

/** Start of the UTC day and month containing `now`, and the next ones. */
export function budgetPeriods(now: Date): {
  dayStart: Date;
  monthStart: Date;
  nextDay: Date;
  nextMonth: Date;
} {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  return {
    dayStart: new Date(Date.UTC(y, m, d)),
    nextDay: new Date(Date.UTC(y, m, d + 1)),
    monthStart: new Date(Date.UTC(y, m, 1)),
    nextMonth: new Date(Date.UTC(y, m + 1, 1)),
  };
}

export type BudgetDecision = { ok: true } | { ok: false; reason: string; until: Date };

/**
 * Whether a post costing `feeUsdMicros` fits the budget, given what was spent
 * today and this month (UTC). Lower-priority posts may use only
 * `1 - reserveShare` of each cap; high-significance ones all of it. When it
 * does not fit, says until when (the next UTC day or month). Pure.
 */
export function budgetDecision(
  budget: PlatformBudget,
  spent: { day: { posts: number; usdMicros: number }; month: { posts: number; usdMicros: number } },
  post: { feeUsdMicros: number; priority: number },
  now: Date,
): BudgetDecision {
  const share = post.priority <= budget.reservedForPriorityAtMost ? 1 : 1 - budget.reserveShare;
  const { nextDay, nextMonth } = budgetPeriods(now);
  const checks: [number | undefined, number, string, Date][] = [
    [budget.postsPerDay, spent.day.posts + 1, 'posts today', nextDay],
    [budget.usdMicrosPerDay, spent.day.usdMicros + post.feeUsdMicros, 'dollars today', nextDay],
    [budget.postsPerMonth, spent.month.posts + 1, 'posts this month', nextMonth],
    [budget.usdMicrosPerMonth, spent.month.usdMicros + post.feeUsdMicros, 'dollars this month', nextMonth],
  ];
  let worst: { reason: string; until: Date } | null = null;
  for (const [cap, after, what, until] of checks) {
    if (cap === undefined) continue;
    if (after > Math.floor(cap * share)) {
      const reason = `budget of ${what} spent${share < 1 ? ` (the last ${Math.round(budget.reserveShare * 100)}% is kept for high-significance posts)` : ''}`;
      if (!worst || until > worst.until) worst = { reason, until };
    }
  }
  return worst ? { ok: false, ...worst } : { ok: true };
}
