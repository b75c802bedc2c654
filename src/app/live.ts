import type { Logger } from 'pino';
import type { League } from '../domain/league.ts';
import type { Clock } from '../pipeline/clock.ts';
import { LiveIngest } from '../pipeline/live.ts';
import { FeedFetcher } from '../sources/http/index.ts';
import { type LeagueFeedStatus, type MonitorStatus, SlateWatcher } from '../sources/live/index.ts';
import type { AppConfig } from './config.ts';
import type { Engine } from './engine.ts';

/** The live sources of a running engine: one slate watcher per feed base URL. */
export interface LiveSources {
  games(): MonitorStatus[];
  feeds(): LeagueFeedStatus[];
  stop(): Promise<void>;
}

/**
 * Starts watching the configured ESPN sources: scoreboards of each league,
 * a monitor per live game, every new play ingested exactly once.
 */
export function startLiveSources(
  config: AppConfig,
  engine: Engine,
  clock: Clock,
  logger: Logger,
): LiveSources {
  const byBase = new Map<string, League[]>();
  for (const source of config.sources) {
    if (!source.enabled || source.kind !== 'espn') continue;
    const leagues = byBase.get(source.baseUrl) ?? [];
    if (!leagues.includes(source.league)) leagues.push(source.league);
    byBase.set(source.baseUrl, leagues);
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
    const watcher = new SlateWatcher({
      fetcher: new FeedFetcher(),
      sink: live.sink,
      leagues,
      baseUrl,
    });
    watcher.start();
    logger.info({ baseUrl, leagues }, 'watching live games');
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
