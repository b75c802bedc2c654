import type { GameEvent, Significance, Sport } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';
import { momentOf, ordinalOf, progressOf, regulationPeriodsOf } from './game-clock.ts';
import type { Milestone } from './milestones.ts';

/** What the tracker knows about the moment, beyond the event itself. */
export interface RatingContext {
  /** In basketball clutch time (last 5 minutes of the 4th or OT, within 5 points). */
  clutch: boolean;
  /** The milestone a 'milestone' event announces. */
  milestone?: Milestone;
  /** Name of the player a milestone is about. */
  playerName?: string;
}

/** Significance at or above which an event is breaking (the final always is). */
export const BREAKING_AT = 0.8;

/** Kinds whose weight grows when the game is late and close. */
const STATE_WEIGHTED = new Set<GameEvent['kind']>([
  'lead_change',
  'tie',
  'score',
  'touchdown',
  'field_goal',
  'turnover',
  'run',
  'clutch',
]);

/** A margin at or beyond this is not close at all (points). */
const CLOSE_SPAN: Record<Sport, number> = { basketball: 15, football: 17, baseball: 5, hockey: 3 };

/**
 * How much an event matters, 0..1, with the reasons in words. Each kind has a
 * base weight; state-sensitive kinds (scores, lead changes, runs...) gain up to
 * 0.7 of the remaining headroom when the game is both late (share of regulation
 * played, cubed; overtime counts as fully late) and close (margin against
 * `CLOSE_SPAN`). The final is always 1 and breaking; anything else is breaking
 * from {@link BREAKING_AT}.
 */
export function rateEvent(event: GameEvent, context: RatingContext): Significance {
  const sport = SPORT_OF[event.league];
  const margin = Math.abs(event.awayScore - event.homeScore);
  const moment = momentOf(event);
  const { game } = event;
  const score = `${game.away.abbreviation} ${event.awayScore}, ${game.home.abbreviation} ${event.homeScore}`;
  const reasons: string[] = [];
  let base: number;

  switch (event.kind) {
    case 'final': {
      const overtime = event.period > regulationPeriodsOf(event.league);
      reasons.push(`final: ${score}`);
      if (overtime) reasons.push('decided in overtime');
      reasons.push(margin <= 3 ? `decided by ${margin}` : `margin ${margin}`);
      return { score: 1, reasons, breaking: true };
    }
    case 'game_start':
      base = 0.3;
      reasons.push('game underway');
      break;
    case 'period_end': {
      const periods = regulationPeriodsOf(event.league);
      if (event.period === periods && margin === 0) {
        base = 0.75;
        reasons.push(`tied at ${event.awayScore}-${event.homeScore} after regulation: overtime`);
      } else if (periods % 2 === 0 && event.period === periods / 2) {
        base = 0.35;
        reasons.push(`halftime: ${score}`);
      } else {
        base = 0.25;
        reasons.push(`end of the ${ordinalOf(event.period)}: ${score}`);
      }
      break;
    }
    case 'lead_change':
      base = 0.5;
      reasons.push(`lead change ${moment}, margin ${margin}`);
      break;
    case 'tie':
      base = 0.4;
      reasons.push(`tied at ${event.awayScore}-${event.homeScore} ${moment}`);
      break;
    case 'run': {
      const points = Number(event.detail.runPoints ?? 0);
      base = Math.min(0.65, 0.4 + Math.max(0, points - 10) * 0.02);
      const team = event.detail.runFor === game.home.id ? game.home.abbreviation : game.away.abbreviation;
      reasons.push(`${points}-${event.detail.runAgainst} run by ${team} ${moment}`);
      break;
    }
    case 'clutch':
      base = 0.5;
      reasons.push(
        margin === 0 ? `clutch time, tied ${moment}` : `clutch time: ${margin}-point game ${moment}`,
      );
      break;
    case 'milestone': {
      base = context.milestone?.weight ?? 0.4;
      const who = context.playerName ?? 'a player';
      reasons.push(`${who} reaches ${context.milestone?.label ?? 'a milestone'} ${moment}`);
      break;
    }
    case 'touchdown':
      base = 0.6;
      reasons.push(`touchdown ${moment}: ${score}`);
      break;
    case 'field_goal':
      base = 0.4;
      reasons.push(`field goal ${moment}: ${score}`);
      break;
    case 'turnover':
      base = sport === 'football' ? 0.45 : 0.06;
      reasons.push(`turnover ${moment}`);
      break;
    case 'score':
      base = sport === 'basketball' ? 0.1 : 0.5;
      reasons.push(`${event.scoreValue}-point score: ${score}`);
      break;
    case 'play':
      base = 0.02;
      reasons.push('routine play');
      break;
    default: {
      const never: never = event.kind;
      throw new Error(`unknown event kind ${String(never)}`);
    }
  }

  let value = base;
  if (STATE_WEIGHTED.has(event.kind)) {
    const progress = progressOf(event);
    const late = progress.overtime ? 1 : progress.elapsed ** 3;
    const close = Math.max(0, 1 - margin / CLOSE_SPAN[sport]);
    const bonus = 0.7 * late * close;
    value = base + (1 - base) * bonus;
    if (bonus >= 0.15) reasons.push(`late in a close game (margin ${margin})`);
    if (context.clutch && event.kind !== 'clutch') {
      value = Math.min(1, value + 0.05);
      reasons.push('in clutch time');
    }
  }
  value = Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
  return { score: value, reasons, breaking: value >= BREAKING_AT };
}
