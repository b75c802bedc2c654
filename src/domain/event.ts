import type { GameFacts, StatLine } from './facts.ts';
import type { League } from './league.ts';

/**
 * Kinds of event a source emits. `play` is any play the feed reports; the
 * significance stage promotes it to something worth a post (or not).
 */
export const EVENT_KINDS = [
  'game_start',
  'score',
  'lead_change',
  'tie',
  'run',
  'clutch',
  'period_end',
  'final',
  'milestone',
  'touchdown',
  'field_goal',
  'turnover',
  'play',
  /** A scoring change the feed made to a play already reported, held over several polls. */
  'score_correction',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A player involved in an event, with the stat line as of that moment. */
export interface EventPlayer {
  id: string;
  name: string;
  teamId: string;
  /** Stats accumulated up to and including this event. */
  stats: StatLine;
}

export interface GameEvent {
  /** Stable and unique: the same play always yields the same id ("espn:401772994:play:40177299413"). */
  id: string;
  source: string;
  league: League;
  gameId: string;
  kind: EventKind;
  /** Order within the game (the feed's sequence number). */
  sequence: number;
  /** When it happened (epoch ms, from the feed's wallclock when given). */
  occurredAt: number;
  /** The feed's own words for the play, kept for grounding and display. */
  text: string;
  period: number;
  clock: string;
  awayScore: number;
  homeScore: number;
  /** Team that made the play, when any. */
  teamId?: string;
  /** Points the play scored. */
  scoreValue: number;
  players: EventPlayer[];
  /** Extra facts particular to the kind (run length, milestone stat, yards...). */
  detail: Record<string, string | number | boolean>;
  /**
   * Snapshot of the game at this event: box score so far for live events,
   * the final box score for the final. The verifier grounds against it.
   */
  game: GameFacts;
}

/** How much an event matters, and why. */
export interface Significance {
  /** 0 (ignore) to 1 (breaking). */
  score: number;
  reasons: string[];
  /** Breaking events jump the queue and go to the strong model. */
  breaking: boolean;
}
