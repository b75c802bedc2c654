import type { GameEvent, Sport } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';
import { progressOf } from './game-clock.ts';

/** A margin at or beyond this is not close at all (points, runs, goals). */
export const CLOSE_SPAN: Record<Sport, number> = { basketball: 15, football: 17, baseball: 5, hockey: 3 };

/** Late in the game, a margin at or beyond this is out of reach when no win probability says otherwise. */
const GARBAGE_MARGIN: Record<Sport, number> = { basketball: 20, football: 24, baseball: 7, hockey: 4 };

/** Late in the game, a side this likely to win (percent) has decided it. */
export const DECIDED_PCT = 97;

/** A swing of this many percentage points or more counts in full. */
export const FULL_SWING = 25;

/** How much the moment of an event weighs, from the game state alone. */
export interface Leverage {
  /** Share of regulation played, cubed (1 in overtime): only the end of a game is late. */
  late: number;
  /** 1 when level, 0 from `CLOSE_SPAN` on. */
  close: number;
  /** Absolute score margin. */
  margin: number;
  overtime: boolean;
  /**
   * The game is decided and the clock runs out: the last period (or the 7th
   * inning on) with a side at least {@link DECIDED_PCT}% to win, or (without
   * win probability) ahead by `GARBAGE_MARGIN`.
   */
  garbage: boolean;
}

/** Win probability an event carries (see `sources/espn/win-probability.ts`). */
export interface EventWinProbability {
  /** Home team's chance after the play, percent. */
  homePct: number;
  /** Change since the previous play, percentage points, positive toward home; 0 when unknown. */
  swing: number;
}

/** The win probability in an event's detail, when the feed stated one. */
export function winProbabilityOf(event: GameEvent): EventWinProbability | undefined {
  const pct = event.detail.homeWinPct;
  if (typeof pct !== 'number') return undefined;
  const swing = event.detail.homeWinSwing;
  return { homePct: pct, swing: typeof swing === 'number' ? swing : 0 };
}

/** Leverage of the moment an event happened in (see {@link Leverage}). */
export function leverageOf(event: GameEvent, wp = winProbabilityOf(event)): Leverage {
  const sport = SPORT_OF[event.league];
  const progress = progressOf(event);
  const margin = Math.abs(event.awayScore - event.homeScore);
  const late = progress.overtime ? 1 : progress.elapsed ** 3;
  const close = Math.max(0, 1 - margin / CLOSE_SPAN[sport]);
  const endgame = sport === 'baseball' ? event.period >= 7 : progress.finalPeriod && !progress.overtime;
  const decided =
    wp !== undefined
      ? Math.max(wp.homePct, 100 - wp.homePct) >= DECIDED_PCT
      : margin >= GARBAGE_MARGIN[sport];
  return { late, close, margin, overtime: progress.overtime, garbage: endgame && decided && margin > 0 };
}
