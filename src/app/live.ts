import type { Logger } from 'pino';
import type { League } from '../domain/league.ts';
import type { Clock } from '../pipeline/clock.ts';
import { LiveIngest } from '../pipeline/live.ts';
import type { ScoreboardGame } from '../sources/espn/index.ts';
import { FeedFetcher } from '../sources/http/index.ts';
import {
  type LeagueFeedStatus,
  type MonitorStatus,
  NbaLiveDirectory,
  type Scheduler,
  SlateWatcher,
} from '../sources/live/index.ts';
import type { AppConfig } from './config.ts';
import type { Engine } from './engine.ts';

/** The live sources of a running engine: one slate watcher per feed base URL. */
export interface LiveSources {
  games(): MonitorStatus[];
  feeds(): LeagueFeedStatus[];
  stop(): Promise<void>;
}

/** What tests may replace: timers and time, and the HTTP client of the feeds. */
export interface LiveSourcesOptions {
  /** Default: the system scheduler (real timers). */
  scheduler?: Scheduler;
  /** Default: a new `FeedFetcher` per feed base URL. */
  fetcher?: FeedFetcher;
}

/**
 * Starts watching the configured ESPN sources: scoreboards of each league,
 * a monitor per live game, every new play ingested exactly once. A source with
 * `liveData: true` (NBA, WNBA) also polls the league's liveData feed of each
 * game, found through the league's scoreboard, and merges it into the game's
 * events (see `FeedMerger`).
 */
export function startLiveSources(
  config: AppConfig,
  engine: Engine,
  clock: Clock,
  logger: Logger,
  options: LiveSourcesOptions = {},
): LiveSources {
  const byBase = new Map<string, League[]>();
  const liveData = new Map<string, Map<League, string | undefined>>();
  for (const source of config.sources) {
    if (!source.enabled || source.kind !== 'espn') continue;
    const leagues = byBase.get(source.baseUrl) ?? [];
    if (!leagues.includes(source.league)) leagues.push(source.league);
    byBase.set(source.baseUrl, leagues);
    if (source.liveData) {
      const roots = liveData.get(source.baseUrl) ?? new Map<League, string | undefined>();
      roots.set(source.league, source.liveDataBaseUrl);
      liveData.set(source.baseUrl, roots);
    }
  }
  const live = new LiveIngest({
    store: engine.store,
    ingestor: engine.ingestor,
    clock,
    onBatch: (batch, results) =>
      logger.debug(
        {
          gameId: batch.gameId,
          events: batch.events.length,
          posts: results.reduce((n, r) => n + r.posts.length, 0),
        },
        'live batch stored',
      ),
    onCorrection: (batch) =>
      logger.warn(
        { gameId: batch.gameId, corrections: batch.corrections.length, removed: batch.removed.length },
        'feed corrected plays',
      ),
  });
  const watchers = [...byBase].map(([baseUrl, leagues]) => {
    const fetcher = options.fetcher ?? new FeedFetcher();
    const directories = new Map<League, NbaLiveDirectory>();
    for (const [league, root] of liveData.get(baseUrl) ?? []) {
      directories.set(
        league,
        new NbaLiveDirectory({ fetcher, clock, league, ...(root === undefined ? {} : { baseUrl: root }) }),
      );
    }
    const watcher = new SlateWatcher({
      fetcher,
      sink: live.sink,
      leagues,
      baseUrl,
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(directories.size > 0
        ? { nbaLive: (game: ScoreboardGame, league: League) => directories.get(league)?.resolver(game) }
        : {}),
    });
    watcher.start();
    logger.info({ baseUrl, leagues, liveData: [...directories.keys()] }, 'watching live games');
    return watcher;
  });
  return {
    games: () => watchers.flatMap((w) => w.games()),
    feeds: () => watchers.flatMap((w) => w.leagues()),
    async stop() {
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
}
