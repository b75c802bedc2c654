import { LEAGUES, type League, SPORT_OF } from '../../domain/index.ts';
import { parseEspnScoreboard, type ScoreboardGame } from '../espn/index.ts';
import { type BreakerState, type FeedFetcher, RateLimitedError } from '../http/index.ts';
import {
  type BatchSink,
  GameMonitor,
  type MonitorStatus,
  type NbaLiveFeed,
  type NbaLiveResolver,
} from './game-monitor.ts';
import { DEFAULT_POLLING, jittered, type PollingPolicy } from './poll-policy.ts';
import { type Scheduler, systemScheduler, type TimerHandle } from './scheduler.ts';

/** ESPN's public site API, the default `baseUrl`. */
export const ESPN_SITE_API = 'https://site.api.espn.com/apis/site/v2/sports';

/** `{sport}/{league}` path of each league on ESPN's site API. */
export function espnLeaguePath(league: League): string {
  return `${SPORT_OF[league]}/${league}`;
}

export function scoreboardUrl(baseUrl: string, league: League): string {
  return `${baseUrl}/${espnLeaguePath(league)}/scoreboard`;
}

export function summaryUrl(baseUrl: string, league: League, espnId: string): string {
  return `${baseUrl}/${espnLeaguePath(league)}/summary?event=${encodeURIComponent(espnId)}`;
}

export interface SlateWatcherOptions {
  fetcher: FeedFetcher;
  /** Receives every monitor's batches (see {@link BatchSink}). */
  sink: BatchSink;
  /** Default: the system scheduler. */
  scheduler?: Scheduler;
  /** Default: all five ({@link LEAGUES}). */
  leagues?: readonly League[];
  /** Default {@link ESPN_SITE_API}. */
  baseUrl?: string;
  /** Scoreboard poll period per league. Default 60000 ms (±10% jitter). */
  scoreboardIntervalMs?: number;
  /** Overrides of the monitors' polling policy; its `startWindowMs` (default 15 min) also decides when a monitor starts. */
  polling?: Partial<PollingPolicy>;
  /** Polls a correction or removal must hold (default 3). */
  stablePolls?: number;
  /** liveData feeds to poll alongside a game's summary, when wanted (e.g. NBA games mapped to cdn.nba.com ids). */
  nbaLive?: (game: ScoreboardGame, league: League) => NbaLiveFeed | NbaLiveResolver | undefined;
  /** Uniform random in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
}

/** One league's scoreboard feed as listed by `leagues()`. */
export interface LeagueFeedStatus {
  league: League;
  url: string;
  lastPollAt?: number;
  consecutiveErrors: number;
  lastError?: string;
  breaker: BreakerState;
  /** Games on the last scoreboard read. */
  games: number;
}

interface LeagueFeed {
  status: LeagueFeedStatus;
  /** The last scoreboard read: a 304 means it still holds, and time alone may make a game due. */
  games: ScoreboardGame[];
  timer?: TimerHandle;
  running?: Promise<void>;
}

/**
 * Watches whole slates: polls each league's ESPN scoreboard on its own timer and
 * starts a {@link GameMonitor} for every game that is live or starts within the
 * window (15 min by default); a monitor stops itself after the final and leaves
 * the active set. A finished game is never monitored again. A failing scoreboard
 * (or summary) only delays its own league (or game): errors are recorded in
 * `leagues()` / `games()` and the feed is polled again with backoff.
 */
export class SlateWatcher {
  readonly #o: SlateWatcherOptions & { scheduler: Scheduler; baseUrl: string };
  readonly #random: () => number;
  /** The live polling interval, over which the first polls of joining games are spread. */
  readonly #liveMs: number;
  readonly #interval: number;
  readonly #startWindowMs: number;
  readonly #feeds = new Map<League, LeagueFeed>();
  readonly #active = new Map<string, GameMonitor>();
  readonly #finished = new Map<string, MonitorStatus>();
  #stopped = false;

  constructor(options: SlateWatcherOptions) {
    this.#o = {
      ...options,
      scheduler: options.scheduler ?? systemScheduler(),
      baseUrl: (options.baseUrl ?? ESPN_SITE_API).replace(/\/+$/, ''),
    };
    this.#random = options.random ?? Math.random;
    this.#interval = options.scoreboardIntervalMs ?? 60_000;
    this.#startWindowMs = options.polling?.startWindowMs ?? 15 * 60_000;
    this.#liveMs = options.polling?.liveMs ?? DEFAULT_POLLING.liveMs;
    for (const league of options.leagues ?? LEAGUES) {
      const url = scoreboardUrl(this.#o.baseUrl, league);
      this.#feeds.set(league, {
        status: { league, url, consecutiveErrors: 0, breaker: 'closed', games: 0 },
        games: [],
      });
    }
  }

  /** Starts polling every league's scoreboard at once. */
  start(): void {
    if (this.#stopped) return;
    for (const feed of this.#feeds.values()) this.#schedule(feed, 0);
  }

  /** Cancels every timer and fetch, stops every monitor and waits for work in flight to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const feed of this.#feeds.values()) {
      if (feed.timer) this.#o.scheduler.clearTimer(feed.timer);
      feed.timer = undefined;
    }
    await Promise.all([...this.#feeds.values()].map((f) => f.running));
    await Promise.all([...this.#active.values()].map((m) => m.stop()));
  }

  /** Every game followed: active monitors first, then finished ones. */
  games(): MonitorStatus[] {
    return [...[...this.#active.values()].map((m) => m.status()), ...this.#finished.values()];
  }

  /** The scoreboard feeds. */
  leagues(): LeagueFeedStatus[] {
    return [...this.#feeds.values()].map((f) => ({
      ...f.status,
      breaker: this.#o.fetcher.breakerState(f.status.url),
    }));
  }

  #schedule(feed: LeagueFeed, delayMs: number): void {
    if (this.#stopped) return;
    feed.timer = this.#o.scheduler.setTimer(() => {
      feed.timer = undefined;
      feed.running = this.#pollLeague(feed);
      return feed.running;
    }, delayMs);
  }

  async #pollLeague(feed: LeagueFeed): Promise<void> {
    const { league, url } = feed.status;
    const now = this.#o.scheduler.now();
    feed.status.lastPollAt = now;
    let delay = jittered(this.#interval, 0.1, this.#random);
    try {
      const result = await this.#o.fetcher.fetchJson(url);
      if (result.kind === 'ok') {
        feed.games = parseEspnScoreboard(result.json, { league, file: url });
        feed.status.games = feed.games.length;
      }
      for (const game of feed.games) this.#consider(league, game, now);
      feed.status.consecutiveErrors = 0;
      delete feed.status.lastError;
    } catch (error) {
      feed.status.consecutiveErrors += 1;
      feed.status.lastError = error instanceof Error ? error.message : String(error);
      delay =
        error instanceof RateLimitedError
          ? Math.max(error.retryAfterMs, this.#interval)
          : jittered(
              Math.min(10 * this.#interval, this.#interval * 2 ** (feed.status.consecutiveErrors - 1)),
              0.1,
              this.#random,
            );
    }
    this.#schedule(feed, delay);
  }

  /** Starts a monitor for a game that is live or about to start, unless one runs or ran. */
  #consider(league: League, game: ScoreboardGame, now: number): void {
    if (this.#stopped || this.#active.has(game.gameId) || this.#finished.has(game.gameId)) return;
    const startsIn = Date.parse(game.startTime) - now;
    const due = game.state === 'in' || (game.state === 'pre' && startsIn <= this.#startWindowMs);
    if (!due) return;
    const nbaLive = this.#o.nbaLive?.(game, league);
    const monitor = new GameMonitor({
      league,
      espnId: game.espnId,
      summaryUrl: summaryUrl(this.#o.baseUrl, league, game.espnId),
      fetcher: this.#o.fetcher,
      sink: this.#o.sink,
      scheduler: this.#o.scheduler,
      random: this.#random,
      startTime: game.startTime,
      ...(nbaLive ? { nbaLive } : {}),
      ...(this.#o.polling ? { polling: this.#o.polling } : {}),
      ...(this.#o.stablePolls === undefined ? {} : { stablePolls: this.#o.stablePolls }),
      onDone: (status) => {
        this.#active.delete(game.gameId);
        this.#finished.set(game.gameId, status);
      },
    });
    // The first game polls at once; games joining others start at a random point
    // of one live polling interval, so thirty games of a slate do not all poll
    // (and store) in the same instant, again and again.
    const stagger = this.#active.size === 0 ? 0 : this.#random() * this.#liveMs;
    this.#active.set(game.gameId, monitor);
    monitor.start(stagger);
  }
}
