import { z } from 'zod';
import type { GameEvent, GameFacts, GameState, League } from '../../domain/index.ts';
import { LiveSummaryParser } from '../espn/index.ts';
import { type BreakerState, type FeedFetcher, isFetchError, RateLimitedError } from '../http/index.ts';
import { parseNbaLiveBoxscore, parseNbaLivePlayByPlay } from '../nbalive/index.ts';
import { FeedMerger } from './feed-merger.ts';
import { PlayDiffer, type RemovedPlay, type ScoreCorrection } from './play-differ.ts';
import {
  DEFAULT_POLLING,
  jittered,
  type PollingPolicy,
  type PollPhase,
  pollDelay,
  pollPhase,
} from './poll-policy.ts';
import { type Scheduler, systemScheduler, type TimerHandle } from './scheduler.ts';

/**
 * What a monitor hands to its sink: what changed in one game since the last
 * batch, from one source. Batches of a game arrive in order, one at a time.
 */
export interface GameBatch {
  /** Source-scoped game id of `facts` ("espn:401772994", "nbalive:0022000001"). */
  gameId: string;
  league: League;
  source: 'espn' | 'nbalive';
  /** The game as of this poll (box score so far). */
  facts: GameFacts;
  /** Plays never handed before, in feed order; each event id appears in exactly one batch. */
  events: GameEvent[];
  /** Plays whose score changed and held for `stablePolls` polls. */
  corrections: ScoreCorrection[];
  /** Plays gone from the feed for `stablePolls` polls. */
  removed: RemovedPlay[];
  /** The first batch of this game from this source (it catches up on every play so far). */
  initial: boolean;
  /** The game is over: this is the last batch of this source for the game. */
  final: boolean;
  /** Epoch ms of the poll that produced it. */
  polledAt: number;
}

/**
 * Receives batches. Awaited: the monitor polls no further until it resolves.
 * If it rejects, the same batch is offered again after a backoff (1 s doubling
 * to 30 s) until it is accepted, so a sink must be idempotent on event ids.
 */
export type BatchSink = (batch: GameBatch) => Promise<void>;

export const MONITOR_STATUSES = ['idle', 'polling', 'done', 'stopped'] as const;
export type MonitorStatusName = (typeof MONITOR_STATUSES)[number];

/** A monitor as listed by `games`. */
export interface MonitorStatus {
  league: League;
  gameId: string;
  espnId: string;
  status: MonitorStatusName;
  gameState?: GameState;
  phase?: PollPhase;
  /** Text of the latest play handed to the sink. */
  lastPlayText?: string;
  /** The delay chosen after the last poll. */
  pollIntervalMs?: number;
  lastPollAt?: number;
  nextPollAt?: number;
  /** Good polls in a row that brought nothing new while the game is on (a stalled feed shows here). */
  unchangedPolls: number;
  /** Failed polls in a row (fetch or parse errors of the ESPN summary). */
  consecutiveErrors: number;
  lastError?: string;
  /** Circuit breaker of the summary's host. */
  breaker: BreakerState;
  /** Events handed to the sink so far (all sources). */
  eventsHanded: number;
  /** Batches waiting for the sink to accept them. */
  pendingBatches: number;
}

/** cdn.nba.com liveData feeds of the same game, polled alongside the ESPN summary. */
export interface NbaLiveFeed {
  playByPlayUrl: string;
  /** Box score URL: names and rosters for the events; optional. */
  boxscoreUrl?: string;
}

/**
 * Finds the liveData feeds of the game (e.g. from the league's scoreboard);
 * asked at each poll until it answers, undefined meaning "not (yet) known".
 */
export type NbaLiveResolver = (signal: AbortSignal) => Promise<NbaLiveFeed | undefined>;

/** Polls after the ESPN final that the monitor still waits for the liveData feed's own end. */
const NBA_LIVE_FINAL_GRACE_POLLS = 3;

export interface GameMonitorOptions {
  league: League;
  /** ESPN's event id ("401772994"). */
  espnId: string;
  /** `${baseUrl}/{sport}/{league}/summary?event={espnId}`. */
  summaryUrl: string;
  fetcher: FeedFetcher;
  sink: BatchSink;
  /** Default: the system scheduler (real timers). */
  scheduler?: Scheduler;
  /**
   * The league's liveData feeds of the game, or how to find them. When set, the
   * two feeds are merged into one stream of the ESPN game (see `FeedMerger`):
   * moments both report are handed once, from whichever is first, under ids
   * that do not depend on which; batches of either carry the ESPN game id.
   */
  nbaLive?: NbaLiveFeed | NbaLiveResolver;
  /** Overrides of {@link DEFAULT_POLLING}. */
  polling?: Partial<PollingPolicy>;
  /** Polls a score change or a removal must hold before it is reported. Default 3. */
  stablePolls?: number;
  /** Uniform random in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Scheduled start (ISO), used until the first summary arrives (e.g. from the scoreboard). */
  startTime?: string;
  /** Called once when the monitor finished (after the final batch was accepted). */
  onDone?: (status: MonitorStatus) => void;
}

const SINK_BACKOFF_MS = { initial: 1000, max: 30_000 };

/** The status name ESPN gives a game ("STATUS_HALFTIME"), read leniently: it only tunes polling. */
const statusNameSchema = z.object({
  header: z.object({
    competitions: z.array(
      z.object({ status: z.object({ type: z.object({ name: z.string().optional() }) }) }),
    ),
  }),
});

/**
 * Follows one game until its final: polls the ESPN summary (and the NBA liveData
 * play-by-play when configured) through the fetcher, diffs each poll with a
 * {@link PlayDiffer}, and hands what is new to the sink as {@link GameBatch}es.
 *
 * Contracts:
 * - every play is handed once, in feed order, whatever the feed re-sends;
 * - a failed poll (HTTP error, timeout, truncated or malformed JSON) loses
 *   nothing: the next good poll carries every play since; a 304 counts as a
 *   poll that confirms the previous content;
 * - the sink is awaited; a rejected batch is retried before any new poll, so
 *   batches stay in order and are never dropped;
 * - polling adapts to the game (see `poll-policy.ts`), with ±10% jitter;
 *   errors back off exponentially from `liveMs`, and a rate limit waits what the
 *   host asked;
 * - after the final batch is accepted the monitor stops and calls `onDone`.
 *   Failures of the liveData feed never affect the ESPN one.
 */
export class GameMonitor {
  readonly #o: GameMonitorOptions & { scheduler: Scheduler };
  readonly #policy: PollingPolicy;
  readonly #random: () => number;
  readonly #espn: PlayDiffer;
  /** Builds events only for plays after its cursor (see `LiveSummaryParser`). */
  readonly #parser: LiveSummaryParser;
  readonly #nba: PlayDiffer;
  readonly #pending: GameBatch[] = [];
  readonly #abort = new AbortController();
  #timer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #status: MonitorStatusName = 'idle';
  #facts: GameFacts | undefined;
  #statusName: string | undefined;
  #lastEvents: GameEvent[] = [];
  #nbaFacts: GameFacts | undefined;
  #nbaBox: GameFacts | undefined;
  #nbaEvents: GameEvent[] = [];
  #espnHanded = false;
  #nbaHanded = false;
  #nbaFinal = false;
  #nbaFeed: NbaLiveFeed | undefined;
  readonly #merger: FeedMerger | undefined;
  #pollsAfterFinal = 0;
  #finalSeen = false;
  #errors = 0;
  #sinkErrors = 0;
  #lastError: string | undefined;
  #lastPlayText: string | undefined;
  #lastPollAt: number | undefined;
  #nextPollAt: number | undefined;
  #interval: number | undefined;
  #handed = 0;
  #unchanged = 0;

  constructor(options: GameMonitorOptions) {
    this.#o = { ...options, scheduler: options.scheduler ?? systemScheduler() };
    this.#policy = { ...DEFAULT_POLLING, ...options.polling };
    this.#random = options.random ?? Math.random;
    const stable = options.stablePolls === undefined ? {} : { stablePolls: options.stablePolls };
    this.#espn = new PlayDiffer(stable);
    this.#parser = new LiveSummaryParser({ league: options.league, file: options.summaryUrl });
    if (options.nbaLive) {
      this.#merger = new FeedMerger(`espn:${options.espnId}`);
      if (typeof options.nbaLive !== 'function') this.#nbaFeed = options.nbaLive;
    }
    this.#nba = new PlayDiffer(stable);
  }

  get gameId(): string {
    return `espn:${this.#o.espnId}`;
  }

  /**
   * Starts polling, at once or after `delayMs` (a watcher spreads the first
   * polls of many games over a polling interval, so their polls do not all
   * land together). Calling it again, or after `stop()`, does nothing.
   */
  start(delayMs = 0): void {
    if (this.#status !== 'idle') return;
    this.#status = 'polling';
    this.#schedule(Math.max(0, delayMs));
  }

  /**
   * Cancels the next poll and any fetch in flight, and waits for the tick under
   * way to end. Batches the sink has not accepted stay in `pendingBatches`.
   */
  async stop(): Promise<void> {
    if (this.#status === 'polling' || this.#status === 'idle') this.#status = 'stopped';
    if (this.#timer) this.#o.scheduler.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#nextPollAt = undefined;
    this.#abort.abort(new Error(`monitor of ${this.gameId} stopped`));
    await this.#running;
  }

  /** The monitor as listed by `games`. */
  status(): MonitorStatus {
    const facts = this.#facts;
    const out: MonitorStatus = {
      league: this.#o.league,
      gameId: this.gameId,
      espnId: this.#o.espnId,
      status: this.#status,
      unchangedPolls: this.#unchanged,
      consecutiveErrors: this.#errors,
      breaker: this.#o.fetcher.breakerState(this.#o.summaryUrl),
      eventsHanded: this.#handed,
      pendingBatches: this.#pending.length,
    };
    if (facts) {
      out.gameState = facts.state;
      out.phase = pollPhase(this.#situation(facts), this.#o.scheduler.now(), this.#policy);
    }
    if (this.#lastPlayText !== undefined) out.lastPlayText = this.#lastPlayText;
    if (this.#interval !== undefined) out.pollIntervalMs = this.#interval;
    if (this.#lastPollAt !== undefined) out.lastPollAt = this.#lastPollAt;
    if (this.#nextPollAt !== undefined) out.nextPollAt = this.#nextPollAt;
    if (this.#lastError !== undefined) out.lastError = this.#lastError;
    return out;
  }

  #schedule(delayMs: number): void {
    if (this.#status !== 'polling') return;
    this.#nextPollAt = this.#o.scheduler.now() + delayMs;
    this.#timer = this.#o.scheduler.setTimer(() => {
      this.#timer = undefined;
      this.#running = this.#tick();
      return this.#running;
    }, delayMs);
  }

  async #tick(): Promise<void> {
    if (this.#status !== 'polling') return;
    if (!(await this.#deliver())) return;
    let delay: number | undefined;
    try {
      delay = await this.#poll();
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      delay = this.#failed(error);
    }
    if (this.#status !== 'polling') return;
    if (!(await this.#deliver())) return;
    if (this.#finalSeen) this.#pollsAfterFinal += 1;
    // After ESPN's final, liveData is waited for a few polls at most (it may never end, or never have been found).
    const nbaDone = this.#nbaFinal || !this.#nbaFeed || this.#pollsAfterFinal > NBA_LIVE_FINAL_GRACE_POLLS;
    if (this.#finalSeen && nbaDone) {
      this.#status = 'done';
      this.#nextPollAt = undefined;
      this.#o.onDone?.(this.status());
      return;
    }
    this.#interval = delay;
    this.#schedule(delay);
  }

  /** Offers pending batches in order; false (and a retry scheduled) when the sink failed. */
  async #deliver(): Promise<boolean> {
    while (this.#pending.length > 0) {
      const batch = this.#pending[0]!;
      try {
        await this.#o.sink(batch);
      } catch (error) {
        this.#sinkErrors += 1;
        this.#lastError = `sink: ${message(error)}`;
        const wait = Math.min(SINK_BACKOFF_MS.max, SINK_BACKOFF_MS.initial * 2 ** (this.#sinkErrors - 1));
        this.#interval = wait;
        this.#schedule(jittered(wait, this.#policy.jitter, this.#random));
        return false;
      }
      this.#pending.shift();
      this.#sinkErrors = 0;
      this.#handed += batch.events.length;
      const last = batch.events.at(-1);
      if (last && batch.source === 'espn') this.#lastPlayText = last.text;
    }
    return true;
  }

  /** One poll of every feed; returns the delay until the next. */
  async #poll(): Promise<number> {
    const now = this.#o.scheduler.now();
    this.#lastPollAt = now;
    const signal = this.#abort.signal;
    const nba = this.#o.nbaLive && !this.#nbaFinal ? this.#pollNbaLive(now) : undefined;
    let result: Awaited<ReturnType<FeedFetcher['fetchJson']>>;
    try {
      result = await this.#o.fetcher.fetchJson(this.#o.summaryUrl, { signal });
    } finally {
      // The liveData poll never rejects; wait for it so its batch is queued within this tick.
      await nba;
    }
    if (result.kind === 'ok') {
      const parsed = this.#parser.parse(result.json);
      const name = statusNameSchema.safeParse(result.json);
      this.#statusName = name.success ? name.data.header.competitions[0]?.status.type.name : undefined;
      this.#lastEvents = parsed.events;
      this.#queue('espn', parsed.facts, parsed.events, now);
    } else if (this.#facts) {
      this.#queue('espn', this.#facts, this.#lastEvents, now);
    }
    this.#errors = 0;
    this.#lastError = undefined;
    const facts = this.#facts;
    if (!facts) return jittered(this.#policy.liveMs, this.#policy.jitter, this.#random);
    return pollDelay(this.#situation(facts), now, this.#policy, this.#random) ?? 0;
  }

  /** Diffs one source's poll and queues a batch when something changed. */
  #queue(source: 'espn' | 'nbalive', facts: GameFacts, events: readonly GameEvent[], now: number): void {
    const differ = source === 'espn' ? this.#espn : this.#nba;
    const previous = source === 'espn' ? this.#facts : this.#nbaFacts;
    const diff = differ.next(events);
    const final = facts.state === 'post';
    if (source === 'espn') this.#facts = facts;
    else this.#nbaFacts = facts;
    const stateChanged = previous?.state !== facts.state;
    const changed = diff.added.length + diff.corrections.length + diff.removed.length > 0;
    if (source === 'espn') this.#unchanged = changed || facts.state !== 'in' ? 0 : this.#unchanged + 1;
    const handed = source === 'espn' ? this.#espnHanded : this.#nbaHanded;
    const merger = this.#merger;
    if (merger && source === 'nbalive') {
      // Merged: liveData hands only the moments ESPN has not, as events of the ESPN game;
      // its corrections and removals are left to the ESPN summary's differ.
      const added = merger.fromNbaLive(diff.added, this.#facts);
      if (final) this.#nbaFinal = true;
      if (added.length === 0 || !this.#facts) return;
      this.#nbaHanded = true;
      this.#pending.push({
        gameId: this.#facts.gameId,
        league: this.#o.league,
        source,
        facts: this.#facts,
        events: added,
        corrections: [],
        removed: [],
        initial: !handed,
        final: false,
        polledAt: now,
      });
      return;
    }
    if (!changed && !stateChanged) return;
    this.#pending.push({
      gameId: facts.gameId,
      league: this.#o.league,
      source,
      facts,
      events: merger ? merger.fromEspn(diff.added) : diff.added,
      corrections: diff.corrections,
      removed: diff.removed,
      initial: !handed,
      final,
      polledAt: now,
    });
    if (source === 'espn') {
      this.#espnHanded = true;
      if (final) this.#finalSeen = true;
    } else {
      this.#nbaHanded = true;
      if (final) this.#nbaFinal = true;
    }
  }

  /** Polls the liveData feeds (finding them first when needed); their failures are recorded and never fail the ESPN poll. */
  async #pollNbaLive(now: number): Promise<void> {
    const signal = this.#abort.signal;
    try {
      const option = this.#o.nbaLive;
      if (!this.#nbaFeed && typeof option === 'function') this.#nbaFeed = await option(signal);
      const feed = this.#nbaFeed;
      if (!feed) return;
      if (feed.boxscoreUrl && this.#nbaBox?.state !== 'post') {
        // The box score only names players: without it the play-by-play is still read.
        try {
          const box = await this.#o.fetcher.fetchJson(feed.boxscoreUrl, { signal });
          if (box.kind === 'ok')
            this.#nbaBox = parseNbaLiveBoxscore(box.json, { league: this.#o.league, file: feed.boxscoreUrl });
        } catch (error) {
          if (signal.aborted) throw error;
          this.#lastError = `nbalive box score: ${message(error)}`;
        }
      }
      const pbp = await this.#o.fetcher.fetchJson(feed.playByPlayUrl, { signal });
      if (pbp.kind === 'ok') {
        const parsed = parseNbaLivePlayByPlay(pbp.json, {
          league: this.#o.league,
          file: feed.playByPlayUrl,
          ...(this.#nbaBox ? { box: this.#nbaBox } : {}),
        });
        // The box score may say final before the last actions are in: the game is over for this source only at "Game End".
        const over = parsed.events.at(-1)?.kind === 'final';
        const facts: GameFacts = over
          ? parsed.facts
          : { ...parsed.facts, state: parsed.events.length > 0 ? 'in' : 'pre' };
        this.#nbaEvents = parsed.events;
        this.#queue('nbalive', facts, parsed.events, now);
      } else if (this.#nbaFacts) {
        this.#queue('nbalive', this.#nbaFacts, this.#nbaEvents, now);
      }
    } catch (error) {
      if (!signal.aborted) this.#lastError = `nbalive: ${message(error)}`;
    }
  }

  /** Records a failed poll; returns the backoff until the next. */
  #failed(error: unknown): number {
    this.#errors += 1;
    this.#lastError = message(error);
    // A body we could not use must not be answered "not modified" next time.
    if (!isFetchError(error)) this.#o.fetcher.forget(this.#o.summaryUrl);
    if (error instanceof RateLimitedError) return Math.max(error.retryAfterMs, this.#policy.liveMs);
    const backoff = Math.min(this.#policy.errorBackoffMaxMs, this.#policy.liveMs * 2 ** (this.#errors - 1));
    return jittered(backoff, this.#policy.jitter, this.#random);
  }

  #situation(facts: GameFacts) {
    return {
      sport: facts.sport,
      state: facts.state,
      startTime: this.#o.startTime && facts.state === 'pre' ? this.#o.startTime : facts.startTime,
      period: facts.period,
      clock: facts.clock,
      regulationPeriods: facts.regulationPeriods,
      awayScore: facts.away.score,
      homeScore: facts.home.score,
      ...(this.#statusName ? { statusName: this.#statusName } : {}),
    };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
