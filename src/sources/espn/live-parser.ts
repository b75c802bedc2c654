import type { GameEvent, League } from '../../domain/index.ts';
import { parseOrThrow } from '../parse.ts';
import type { EventContext, EventStepper } from './event-base.ts';
import { footballStops } from './football-events.ts';
import { type EspnPlay, playSchema } from './schema.ts';
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
  /** Plays validated in earlier polls, by id, with what identified them. */
  #validated = new Map<string, { mark: string; play: EspnPlay }>();
  #seenThisPoll = new Set<string>();

  /**
   * Validates a play unless the same play (id, scores, period, clock, type, text,
   * participants) was validated in an earlier poll, which is then returned as is.
   */
  readonly #validatePlay = (raw: unknown, path: readonly PropertyKey[]): EspnPlay => {
    const mark = markOf(raw);
    const id = mark === undefined ? undefined : String((raw as { id: unknown }).id);
    const known = id === undefined ? undefined : this.#validated.get(id);
    let play: EspnPlay;
    if (known && known.mark === mark) play = known.play;
    else {
      play = parseOrThrow(playSchema, raw, {
        basePath: path,
        ...(this.#opts.file === undefined ? {} : { file: this.#opts.file }),
      });
      if (id !== undefined && mark !== undefined) this.#validated.set(id, { mark, play });
    }
    this.#seenThisPoll.add(play.id);
    return play;
  };

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
    const read = readSummary(json, this.#opts, this.#validatePlay);
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
    // Forget plays the feed no longer lists, so the cache holds one game's plays at most.
    if (this.#validated.size > this.#seenThisPoll.size)
      for (const id of this.#validated.keys()) if (!this.#seenThisPoll.has(id)) this.#validated.delete(id);
    this.#seenThisPoll.clear();
    return { facts, events: [...events] };
  }
}

/**
 * What identifies a raw play between polls: its id, scores, period, clock,
 * type, text and participants (undefined when it has no id to key it by).
 */
function markOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const p = raw as Record<string, unknown>;
  if (typeof p.id !== 'string' && typeof p.id !== 'number') return undefined;
  const period = p.period as { number?: unknown } | undefined;
  const clock = p.clock as { displayValue?: unknown } | undefined;
  const type = p.type as { text?: unknown } | undefined;
  const participants = Array.isArray(p.participants)
    ? p.participants.map((x) => (x as { athlete?: { id?: unknown } })?.athlete?.id).join(',')
    : '';
  const team = (p.team as { id?: unknown } | undefined)?.id;
  // Football states where a play started and ended; other sports send neither.
  const field =
    p.start === undefined && p.end === undefined ? '' : JSON.stringify([p.start, p.end, p.statYardage]);
  return `${p.awayScore}|${p.homeScore}|${period?.number}|${clock?.displayValue}|${type?.text}|${p.scoringPlay}|${p.scoreValue}|${p.shootingPlay}|${team}|${p.wallclock}|${p.text}|${participants}|${field}`;
}
