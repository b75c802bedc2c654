import type { EventKind, EventPlayer, GameEvent, GameFacts } from '../../domain/index.ts';
import type { EspnPlay } from './schema.ts';
import { addWinProbability, type PlayWinProbability } from './win-probability.ts';

/** What every play-to-event conversion shares: the game and the running clock. */
export interface EventContext {
  /** The game as the file states it (the final event carries it). */
  facts: GameFacts;
  /** ESPN's own game id ("401772994"). */
  espnId: string;
  /** Win probability per play id (from `winprobability[]`); empty when the feed has none. */
  winProbability?: ReadonlyMap<string, PlayWinProbability>;
}

/**
 * Builds events play by play, keeping the running state of the game between
 * calls, so a live parser builds only the plays after its cursor. Plays must
 * be given in feed order, each once; `index` is the play's position in the feed.
 */
export interface EventStepper {
  step(play: EspnPlay, index: number): GameEvent;
  /** Takes the game as the latest poll states it (see `RunningGame.rebase`). */
  rebase(facts: GameFacts): void;
}

/** Stable event id of a play: the same play always gives the same id. */
export function playEventId(espnId: string, playId: string): string {
  return `espn:${espnId}:play:${playId}`;
}

/** Epoch ms of the play's wallclock, or `fallback` when absent or unreadable. */
export function occurredAt(play: EspnPlay, fallback: number): number {
  const time = play.wallclock === undefined ? Number.NaN : Date.parse(play.wallclock);
  return Number.isNaN(time) ? fallback : time;
}

/**
 * Assembles a `GameEvent` from a play and what the sport-specific code worked
 * out. The play's win probability, when the feed has one, is added to `detail`
 * (`homeWinPct`, `homeWinSwing`, `tiePct`; see `win-probability.ts`).
 */
export function buildEvent(
  ctx: EventContext,
  play: EspnPlay,
  index: number,
  parts: {
    kind: EventKind;
    occurredAt: number;
    teamId: string | undefined;
    scoreValue: number;
    players: EventPlayer[];
    detail: GameEvent['detail'];
    game: GameFacts;
  },
): GameEvent {
  const event: GameEvent = {
    id: playEventId(ctx.espnId, play.id),
    source: 'espn',
    league: ctx.facts.league,
    gameId: ctx.facts.gameId,
    kind: parts.kind,
    sequence: play.sequenceNumber ?? index,
    occurredAt: parts.occurredAt,
    text: (play.text ?? play.type?.text ?? '').trim(),
    period: play.period.number,
    clock: play.clock?.displayValue ?? '',
    awayScore: play.awayScore,
    homeScore: play.homeScore,
    scoreValue: parts.scoreValue,
    players: parts.players,
    detail: parts.detail,
    game: parts.game,
  };
  addWinProbability(event.detail, ctx.winProbability?.get(play.id));
  if (parts.teamId !== undefined) event.teamId = parts.teamId;
  return event;
}

/** The play type in one line ("Bad Pass\nTurnover" → "Bad Pass Turnover"). */
export function playType(play: EspnPlay): string {
  return (play.type?.text ?? '').replace(/\s+/g, ' ').trim();
}
