import type { GameEvent, League } from '../../domain/index.ts';
import type { EventContext, EventStepper } from './event-base.ts';
import { footballStops } from './football-events.ts';
import type { ParsedGame } from './summary.ts';
import { eventStepper, type ReadSummary, readSummary } from './summary.ts';
import { winProbabilityByPlay } from './win-probability.ts';

/** How the last poll was parsed: how many plays were built and how many reused. */
export interface LiveParseStats {
  built: number;
  reused: number;
  /** The cached prefix no longer matched (a play's id or score changed, plays were removed): all rebuilt. */
  rebuilt: boolean;
}

/**
 * Parses the successive polls of one game's ESPN summary, building events only
 * for the plays after its cursor. Each poll is validated and its facts read in
 * full (the JSON is new each time), but the events of plays already built are
 * reused as long as the feed still lists the same plays, in the same order,
 * with the same scores; the running stat lines stay in the builder between
 * polls. Anything else (a score changed, a play removed or inserted, the game
 * just ended) rebuilds every event from scratch, as {@link parseEspnSummary}
 * does, so the result equals a full parse of the same poll for every event
 * whose play and everything before it are unchanged.
 *
 * Contract: `parse(json)` returns what `parseEspnSummary(json, opts)` returns;
 * events of plays seen in an earlier poll are the objects returned then (the
 * differ only reads their ids and scores).
 */
export class LiveSummaryParser {
  readonly #opts: { league?: League; file?: string };
  #ctx: EventContext | undefined;
  #stepper: EventStepper | undefined;
  #football = { drives: new Map() as ReadSummary['drives'], stoppedOnDowns: new Set<string>() };
  #events: GameEvent[] = [];
  #state: string | undefined;
  #stats: LiveParseStats = { built: 0, reused: 0, rebuilt: false };

  constructor(opts: { league?: League; file?: string }) {
    this.#opts = opts;
  }

  /** How the last poll was parsed. */
  get stats(): LiveParseStats {
    return this.#stats;
  }

  /**
   * Parses one poll.
   * @throws SourceFormatError as {@link parseEspnSummary}; the cursor is kept, so the next good poll resumes.
   */
  parse(json: unknown): ParsedGame {
    const read = readSummary(json, this.#opts);
    const { facts, plays } = read;
    const cached = this.#events;
    const sameGame = this.#ctx?.facts.gameId === facts.gameId && this.#state === facts.state;
    let keep = sameGame && plays.length >= cached.length ? cached.length : 0;
    for (let i = 0; i < keep; i++) {
      const play = plays[i]!;
      const event = cached[i]!;
      if (
        event.id.endsWith(`:play:${play.id}`) &&
        event.awayScore === play.awayScore &&
        event.homeScore === play.homeScore
      )
        continue;
      keep = 0;
    }
    const winProbability = winProbabilityByPlay(plays, read.winProbability);
    this.#football.drives = read.drives;
    this.#football.stoppedOnDowns =
      facts.sport === 'football' ? footballStops(plays, read.drives) : new Set();
    let ctx = this.#ctx;
    let stepper = this.#stepper;
    if (keep === 0 || !ctx || !stepper) {
      ctx = { facts, espnId: read.espnId, winProbability };
      stepper = eventStepper(ctx, this.#football);
      this.#ctx = ctx;
      this.#stepper = stepper;
      this.#events = [];
      keep = 0;
    } else {
      ctx.facts = facts;
      ctx.winProbability = winProbability;
      stepper.rebase(facts);
    }
    this.#stats = { built: plays.length - keep, reused: keep, rebuilt: cached.length > 0 && keep === 0 };
    const events = keep === cached.length ? cached : cached.slice(0, keep);
    for (let i = keep; i < plays.length; i++) events.push(stepper.step(plays[i]!, i));
    this.#events = events;
    this.#state = facts.state;
    return { facts, events: [...events] };
  }
}
