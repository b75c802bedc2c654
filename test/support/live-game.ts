import type { Engine } from '../../src/app/engine.ts';
import type { LiveIngest } from '../../src/pipeline/live.ts';
import { FeedFetcher } from '../../src/sources/http/index.ts';
import { type ManualScheduler, SlateWatcher } from '../../src/sources/live/index.ts';
import type { ReplayServer } from './replay-server.ts';

/** A fetcher that gives up on a failed request at once (the monitors retry on their own schedule). */
export function testFetcher(): FeedFetcher {
  return new FeedFetcher({ timeoutMs: 1000, maxAttempts: 1, backoff: { initialDelayMs: 1, maxDelayMs: 2 } });
}

/** A started slate watcher of the replay server's NBA scoreboard, feeding `live`, on virtual time. */
export function watchNba(server: ReplayServer, scheduler: ManualScheduler, live: LiveIngest): SlateWatcher {
  const watcher = new SlateWatcher({
    fetcher: testFetcher(),
    sink: live.sink,
    scheduler,
    baseUrl: server.baseUrl,
    leagues: ['nba'],
    scoreboardIntervalMs: 20_000,
    random: () => 0.5,
  });
  watcher.start();
  return watcher;
}

/**
 * Plays the recorded game `espnId` to its end on virtual time: a minute for
 * the watcher to find it, then one server step and ten seconds a round
 * (`onStep` runs after each step, before the clock moves), publishing what
 * falls due as the engine's loop does, until the game is final and no monitor
 * polls any more. Throws when the game has not finished after eight hours.
 */
export async function playUntilFinal(options: {
  server: ReplayServer;
  scheduler: ManualScheduler;
  engine: Engine;
  espnId: string;
  start: number;
  games: () => readonly { status: string }[];
  onStep?: () => Promise<void> | void;
}): Promise<void> {
  const { server, scheduler, engine } = options;
  await scheduler.advance(60_000);
  while (server.stateOf(options.espnId) !== 'post' || options.games().some((g) => g.status === 'polling')) {
    if (scheduler.now() > options.start + 8 * 3_600_000) throw new Error('the game did not finish');
    server.step();
    await options.onStep?.();
    await scheduler.advance(10_000);
    while (await engine.publisher.publishOne()) {
      /* keep publishing */
    }
  }
}
