import type { League, Sport } from './league.ts';

/**
 * Facts are what every draft is grounded in. A source turns its payloads into
 * these plain values; the writer only says what is here, and the verifier checks
 * every claim of a draft against them.
 *
 * Stat lines are maps of canonical stat names to numbers:
 * - basketball (no prefix): minutes, points, rebounds, offensiveRebounds,
 *   defensiveRebounds, assists, steals, blocks, turnovers, fouls, plusMinus,
 *   fieldGoalsMade, fieldGoalsAttempted, threePointFieldGoalsMade,
 *   threePointFieldGoalsAttempted, freeThrowsMade, freeThrowsAttempted
 * - football: ESPN's box-score key prefixed by its category, compound keys
 *   split ("passing.completions", "passing.passingAttempts",
 *   "passing.passingYards", "passing.passingTouchdowns", "passing.interceptions",
 *   "rushing.rushingYards", "receiving.receptions", "defensive.sacks",
 *   "interceptions.interceptions", "kicking.fieldGoalsMade", ...)
 */
export type StatLine = Record<string, number>;

export interface TeamFacts {
  id: string;
  /** "Pacers" */
  name: string;
  /** "Indiana" */
  location: string;
  /** "Indiana Pacers" */
  displayName: string;
  /** "IND" */
  abbreviation: string;
  homeAway: 'home' | 'away';
  score: number;
  /** Points per period, in order; overtime periods follow regulation. */
  linescores: number[];
  /** Overall record as the feed gives it ("50-32"), when known. */
  record?: string;
  winner?: boolean;
  /** Team totals, same canonical names as player stat lines. */
  stats: StatLine;
}

export interface PlayerFacts {
  id: string;
  /** "Tyrese Haliburton" */
  name: string;
  /** "T. Haliburton" */
  shortName: string;
  teamId: string;
  jersey?: string;
  position?: string;
  starter: boolean;
  didNotPlay: boolean;
  stats: StatLine;
}

export const GAME_STATES = ['pre', 'in', 'post'] as const;
export type GameState = (typeof GAME_STATES)[number];

/** Everything known about one game at one moment. */
export interface GameFacts {
  /** Source-scoped game id, e.g. "espn:401772994". */
  gameId: string;
  league: League;
  sport: Sport;
  state: GameState;
  /** ISO date-time of the scheduled start (UTC). */
  startTime: string;
  period: number;
  /** Clock as displayed ("4:31", "0.0"). */
  clock: string;
  /** Regulation periods of the sport (4 quarters, 9 innings, 3 periods). */
  regulationPeriods: number;
  venue?: { name: string; city?: string; state?: string };
  attendance?: number;
  /** Series or season context the feed states ("IND leads series 3-2"). */
  note?: string;
  away: TeamFacts;
  home: TeamFacts;
  players: PlayerFacts[];
}

export function teamById(facts: GameFacts, teamId: string): TeamFacts | undefined {
  if (facts.home.id === teamId) return facts.home;
  if (facts.away.id === teamId) return facts.away;
  return undefined;
}

export function opponentOf(facts: GameFacts, teamId: string): TeamFacts | undefined {
  if (facts.home.id === teamId) return facts.away;
  if (facts.away.id === teamId) return facts.home;
  return undefined;
}
