import type { GameEvent, Significance } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';
import { momentOf, ordinalOf, regulationPeriodsOf } from './game-clock.ts';
import { type Situation, situationsOf } from './league-rules.ts';
import { DECIDED_PCT, FULL_SWING, leverageOf, winProbabilityOf } from './leverage.ts';
import type { Milestone } from './milestones.ts';

/** What the tracker knows about the moment, beyond the event itself. */
export interface RatingContext {
  /** In basketball clutch time (last 5 minutes of the 4th or OT, within 5 points). */
  clutch: boolean;
  /** The milestone a 'milestone' event announces. */
  milestone?: Milestone;
  /** Name of the player a milestone is about. */
  playerName?: string;
  /**
   * Situations only the game so far reveals (red-zone trip, two-minute drill:
   * see `DriveWatcher`); the ones the event states itself are found here.
   */
  situations?: readonly Situation[];
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

/** Kinds a win-probability swing says nothing more about (the final is 1 anyway). */
const NO_SWING = new Set<GameEvent['kind']>([
  'final',
  'game_start',
  'period_end',
  'milestone',
  'score_correction',
]);

/**
 * A score correction is worth a post to the accounts that follow the game: they
 * may have posted the old score. Not weighted by the game state (it changes a
 * past play, not the moment).
 */
const CORRECTION_WEIGHT = 0.5;

/** Share of the remaining headroom a full swing ({@link FULL_SWING} points) adds. */
const SWING_WEIGHT = 0.6;

/** What garbage time leaves of an event's weight. */
const GARBAGE_FACTOR = 0.5;

/**
 * How much an event matters, 0..1, with the reasons in words, in four steps:
 *
 * 1. Each kind has a base weight. League rules (`situationsOf`, plus the
 *    tracker's `context.situations`) can raise it: the heaviest situation
 *    replaces a lighter base, each further one adds 0.05, and each says why.
 * 2. Leverage: state-sensitive kinds (scores, lead changes, runs ...) and any
 *    event with a situation gain up to 0.7 of the remaining headroom when the
 *    game is both late (share of regulation played, cubed; overtime counts as
 *    fully late) and close (margin against `CLOSE_SPAN`).
 * 3. Win probability: when the feed states one, the swing of the play adds up
 *    to 0.6 of the remaining headroom (in full from a 25-point swing), with the
 *    reason "win probability swung 18 points to the Falcons" (from 5 points).
 *    Routine plays are not weighed by their swing: the feed's model moves on
 *    kickoffs and timeouts too.
 * 4. Garbage time: a state-sensitive event in the last period (baseball: the
 *    7th inning on) of a decided game (a side 97% to win, or ahead by the
 *    sport's out-of-reach margin without win probability) keeps half its weight.
 *
 * The final is always 1 and breaking; anything else is breaking from
 * {@link BREAKING_AT}.
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
      if (event.detail.milestone === 'noHitter') {
        const pitching = event.teamId === game.home.id ? game.home.name : game.away.name;
        reasons.push(
          `no-hitter in progress: the ${pitching} have allowed no hit through ${Number(event.detail.innings)} innings`,
        );
        break;
      }
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
    case 'score_correction': {
      base = CORRECTION_WEIGHT;
      const before = `${event.detail.previousAwayScore}-${event.detail.previousHomeScore}`;
      const after = `${event.detail.correctedAwayScore}-${event.detail.correctedHomeScore}`;
      reasons.push(`score corrected: a play once ${before} is now ${after}; ${score} now`);
      break;
    }
    default: {
      const never: never = event.kind;
      throw new Error(`unknown event kind ${String(never)}`);
    }
  }

  const situations = [...situationsOf(event), ...(context.situations ?? [])].sort(
    (a, b) => b.weight - a.weight,
  );
  let value = base;
  // A play a league rule singles out is no longer routine: its situation is the reason.
  if (event.kind === 'play' && situations.length > 0) reasons.length = 0;
  situations.forEach((situation, i) => {
    value = i === 0 ? Math.max(value, situation.weight) : value + 0.05;
    reasons.push(situation.reason);
  });

  const wp = winProbabilityOf(event);
  const leverage = leverageOf(event, wp);
  const weighted = STATE_WEIGHTED.has(event.kind) || situations.length > 0;
  if (weighted) {
    const bonus = 0.7 * leverage.late * leverage.close;
    value += (1 - value) * bonus;
    if (bonus >= 0.15) reasons.push(`late in a close game (margin ${margin})`);
    if (context.clutch && event.kind !== 'clutch') {
      value = Math.min(1, value + 0.05);
      reasons.push('in clutch time');
    }
  }
  if (wp && wp.swing !== 0 && !NO_SWING.has(event.kind) && (event.kind !== 'play' || situations.length > 0)) {
    const swing = Math.abs(wp.swing);
    value += (1 - value) * SWING_WEIGHT * Math.min(1, swing / FULL_SWING);
    if (swing >= 5) {
      const toward = wp.swing > 0 ? game.home.name : game.away.name;
      reasons.push(`win probability swung ${Math.round(swing)} points to the ${toward}`);
    }
  }
  if (weighted && leverage.garbage) {
    value *= GARBAGE_FACTOR;
    const leader = event.homeScore > event.awayScore ? game.home : game.away;
    const pct = wp ? Math.max(wp.homePct, 100 - wp.homePct) : undefined;
    reasons.push(
      pct !== undefined && pct >= DECIDED_PCT
        ? `garbage time: the ${leader.name} are ${Math.floor(pct)}% to win`
        : `garbage time: the ${leader.name} lead by ${margin}`,
    );
  }
  value = Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
  return { score: value, reasons, breaking: value >= BREAKING_AT };
}
