import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildServer } from '../../api/server.ts';
import { loadConfig } from '../../app/config.ts';
import { createEngine } from '../../app/engine.ts';
import { UserInputError } from '../../app/errors.ts';
import { createLogger } from '../../app/logger.ts';
import { loadRecording } from '../../app/recordings.ts';
import type { GameEvent } from '../../domain/event.ts';
import { type Clock, ScaledClock, systemClock } from '../../pipeline/clock.ts';
import { mergeTimelines, replayScaled } from '../../pipeline/replay.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_CONFIG, DEMO_CONFIG, DEMO_RECORDINGS } from './defaults.ts';

/** Time-shifts a recording so that its first event happens at `start`. */
function shift(events: readonly GameEvent[], start: number): GameEvent[] {
  const first = events[0]?.occurredAt ?? start;
  return events.map((e) => ({ ...e, occurredAt: e.occurredAt - first + start }));
}

/**
 * `wirereport start [--config FILE] [--demo] [--speed N] [--data DIR] [--port N]`
 *
 * Runs the engine: the store, the HTTP server (/healthz, /readyz, the
 * dashboard) and the publishing loop. With --demo it runs the demo network
 * on a fresh data folder and replays the bundled games, time-shifted to now
 * and sped up (default 20x), so posts flow within a minute.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
      speed: { type: 'string', default: '20' },
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    },
  });
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new UserInputError(`--speed: expected a positive number, got "${values.speed}"`);
  const config = loadConfig(values.config ?? (values.demo ? DEMO_CONFIG : DEFAULT_CONFIG), {
    env: io.env,
    ...(values.data ? { dataDir: values.data } : {}),
  });
  if (values.port !== undefined) config.http.port = Number(values.port);
  if (values.host !== undefined) config.http.host = values.host;
  const databaseUrl = io.env.DATABASE_URL;
  if (values.demo && !values.data && !databaseUrl) {
    // The demo's own folder starts empty every time, so its posts flow again.
    rmSync(config.dataDir, { recursive: true, force: true });
  }
  const logger = createLogger({ level: io.env.LOG_LEVEL ?? 'info' });
  const recordings = values.demo ? await Promise.all(DEMO_RECORDINGS.map((f) => loadRecording(f))) : [];
  const start = Date.now();
  const clock: Clock = values.demo ? new ScaledClock(start, speed, () => Date.now()) : systemClock;
  const engine = await createEngine({
    config,
    clock,
    ...(databaseUrl ? { databaseUrl } : {}),
    hooks: {
      onPost: (p) => logger.debug({ postId: p.id, accountId: p.accountId, status: p.status }, 'post created'),
      onPublished: (p) =>
        logger.info({ postId: p.id, accountId: p.accountId, platformPostId: p.platformPostId }, 'published'),
      onPublishError: (p, error) =>
        logger.warn({ postId: p.id, accountId: p.accountId, err: error }, 'publish failed'),
    },
  });
  let ready = false;
  let stopping = false;
  const server = buildServer({ store: engine.store, ready: () => ready && !stopping });
  await server.listen({ host: config.http.host, port: config.http.port });
  const address = server.server.address();
  const url =
    typeof address === 'object' && address ? `http://${config.http.host}:${address.port}` : String(address);
  logger.info({ url, store: engine.store.kind, location: engine.store.location }, 'engine started');
  io.stderr(`Wire Report is running: dashboard ${url}/  health ${url}/healthz  (Ctrl-C stops)\n`);

  // The publishing loop: sweep, reconcile, publish while something is due.
  const publishing = (async () => {
    while (!stopping) {
      try {
        await engine.publisher.sweep();
        await engine.publisher.reconcile();
        while (!stopping && (await engine.publisher.publishOne())) {
          // keep going while posts are due
        }
      } catch (error) {
        logger.error({ err: error }, 'publishing loop error');
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();

  const abort = new AbortController();
  const demo = values.demo
    ? (async () => {
        const timeline = mergeTimelines(recordings.map((r) => shift(r.events, start)));
        io.stderr(
          `demo: replaying ${recordings.length} recorded games (${timeline.length} events) at ${speed}x; posts go to the outbox\n`,
        );
        const stats = await replayScaled(
          timeline,
          clock as ScaledClock,
          { ingestor: engine.ingestor },
          abort.signal,
        );
        logger.info({ events: stats.events, posts: stats.posts.length }, 'demo replay finished');
      })().catch((error: unknown) => logger.error({ err: error }, 'demo replay failed'))
    : Promise.resolve();
  if (!values.demo && config.sources.length > 0) {
    logger.warn(
      { sources: config.sources.map((s) => s.id) },
      'live sources are configured but not watched by this version',
    );
  }
  ready = true;

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Graceful stop: no new work, finish the publish in flight, then close.
  stopping = true;
  abort.abort();
  const watchdog = setTimeout(() => {
    io.stderr('wirereport: shutdown took longer than 15 s; exiting\n');
    process.exit(1);
  }, 15_000);
  watchdog.unref();
  await Promise.allSettled([publishing, demo]);
  await server.close();
  await engine.close();
  clearTimeout(watchdog);
  logger.info('engine stopped');
  return 0;
}
