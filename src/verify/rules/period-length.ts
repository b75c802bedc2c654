import type { League } from '../../domain/league.ts';
import { NUMBER_WORD_SOURCE, parseNumber } from '../text.ts';
import { addClaim, isFree, type RuleContext } from './context.ts';

/** Minutes in a regulation period, per league (league rules, not game facts). */
const PERIOD_MINUTES: Partial<Record<League, number>> = { nba: 12, wnba: 10, nfl: 15, nhl: 20 };

/** "over the final 12 minutes", "the first 24 minutes": a stretch of the game named by its length. */
const STRETCH = new RegExp(
  `\\b(?:final|last|first|opening|closing)\\s+(${NUMBER_WORD_SOURCE})\\s+minutes\\b`,
  'gi',
);

/**
 * A stretch of the game named by its length ("outscored them 38-19 over the final 12 minutes") is
 * whole periods when its length is a whole number of regulation periods: the number is then the
 * league's period length, true of every game ("12 minutes" is a quarter in the NBA). Any other length
 * is a stretch within a period, which a box score does not hold, and is left to the other rules.
 */
export function periodLengthClaims(ctx: RuleContext): void {
  const minutes = PERIOD_MINUTES[ctx.facts.league];
  if (minutes === undefined) return;
  for (const m of ctx.text.matchAll(STRETCH)) {
    const n = parseNumber(m[1] ?? '');
    if (n === undefined || n <= 0 || n % minutes !== 0 || n / minutes > ctx.facts.regulationPeriods) continue;
    const start = m.index + m[0].length - `${m[1]} minutes`.length;
    const span = { start, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const periods = n / minutes;
    addClaim(ctx, 'number', span, {
      status: 'supported',
      groundedIn: `${periods} period${periods === 1 ? '' : 's'} of ${minutes} minutes`,
    });
  }
}
