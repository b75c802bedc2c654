import { clockSeconds } from '../domain/clock.ts';
import type { GameEvent, League } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';

/** Length of a regulation period and of an overtime period, in seconds. */
const PERIOD_SECONDS: Record<League, { regulation: number; overtime: number; periods: number }> = {
  nba: { regulation: 12 * 60, overtime: 5 * 60, periods: 4 },
  wnba: { regulation: 10 * 60, overtime: 5 * 60, periods: 4 },
  nfl: { regulation: 15 * 60, overtime: 10 * 60, periods: 4 },
  nhl: { regulation: 20 * 60, overtime: 5 * 60, periods: 3 },
  // Baseball has no clock: progress is counted in innings.
  mlb: { regulation: 0, overtime: 0, periods: 9 },
};

/** Where an event sits in its game. */
export interface GameProgress {
  /** Share of regulation played, 0..1 (1 in overtime). */
  elapsed: number;
  /** Seconds left in the event's period, when the sport has a clock. */
  secondsLeftInPeriod?: number;
  overtime: boolean;
  /** In the last regulation period or in overtime. */
  finalPeriod: boolean;
}

export function progressOf(event: GameEvent): GameProgress {
  const table = PERIOD_SECONDS[event.league];
  const overtime = event.period > table.periods;
  const finalPeriod = event.period >= table.periods;
  if (table.regulation === 0) {
    return { elapsed: Math.min(1, Math.max(0, (event.period - 1) / table.periods)), overtime, finalPeriod };
  }
  const left = clockSeconds(event.clock);
  const length = overtime ? table.overtime : table.regulation;
  const inPeriod = left === undefined ? 0 : Math.max(0, length - left);
  const elapsed = overtime
    ? 1
    : Math.min(1, ((event.period - 1) * table.regulation + inPeriod) / (table.periods * table.regulation));
  const progress: GameProgress = { elapsed, overtime, finalPeriod };
  if (left !== undefined) progress.secondsLeftInPeriod = left;
  return progress;
}

/** "4th", "OT", "2OT" (baseball: "9th inning"). */
export function periodName(event: GameEvent): string {
  const periods = PERIOD_SECONDS[event.league].periods;
  if (event.period > periods) {
    const n = event.period - periods;
    return n === 1 ? 'OT' : `${n}OT`;
  }
  const ordinal = ordinalOf(event.period);
  return SPORT_OF[event.league] === 'baseball' ? `${ordinal} inning` : ordinal;
}

export function ordinalOf(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "with 2:10 left in the 4th", "in the 7th inning", "at the end of the 3rd". */
export function momentOf(event: GameEvent): string {
  const name = periodName(event);
  const the = name.endsWith('OT') ? '' : 'the ';
  if (PERIOD_SECONDS[event.league].regulation === 0 || !event.clock) return `in ${the}${name}`;
  const left = clockSeconds(event.clock);
  if (left === 0) return `at the end of ${the}${name}`;
  return `with ${event.clock} left in ${the}${name}`;
}

/** Regulation periods of the league (used for halftime and end of regulation). */
export function regulationPeriodsOf(league: League): number {
  return PERIOD_SECONDS[league].periods;
}
