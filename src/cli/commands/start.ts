import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { resolveServerKeys } from '../../api/keys.ts';
import { busHooks, LiveBus } from '../../api/live-bus.ts';
import { buildServer } from '../../api/server.ts';
import { createServices, postEvent } from '../../api/services.ts';
import { WebhookDispatcher } from '../../api/webhooks.ts';
import { loadConfig } from '../../app/config.ts';
import { createEngine } from '../../app/engine.ts';
import { UserInputError } from '../../app/errors.ts';
import { type LiveSources, startLiveSources } from '../../app/live.ts';
import { createLogger } from '../../app/logger.ts';
import { createMetrics, type Metrics } from '../../app/metrics.ts';
import { loadRecording } from '../../app/recordings.ts';
import { AlertWatcher, type ControlBot, createControlBot } from '../../bot/index.ts';
import type { GameEvent } from '../../domain/event.ts';
import { type Clock, ScaledClock, systemClock } from '../../pipeline/clock.ts';
import { mergeTimelines, replayScaled } from '../../pipeline/replay.ts';
import { createPublishTriggers, type PublishTriggers } from '../../queue/triggers.ts';
import { loopbackUrl, publishControl } from '../control.ts';
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
  const now = () => new Date(clock.now());
  const keys = resolveServerKeys(io.env, config.dataDir);
  const platformOf = new Map(config.accounts.map((a) => [a.id, a.platform as string]));
  // The hooks fire from the engine's loops; they reach the metrics and the
  // webhook dispatcher, which exist once the store is open (just below).
  let metrics: Metrics | undefined;
  // Live events for the dashboard's stream (and the control bot's alerts).
  const bus = new LiveBus({ now: () => clock.now() });
  const liveEvents = busHooks(bus);
  let webhooks: WebhookDispatcher | undefined;
  const emit = (event: ReturnType<typeof postEvent>) =>
    webhooks
      ?.emit(event)
      .catch((error: unknown) => logger.error({ err: error, event: event.id }, 'webhook emit failed'));
  const registry = new Registry();
  let triggers: PublishTriggers | undefined;
  const engine = await createEngine({
    config,
    clock,
    registry,
    ...(databaseUrl ? { databaseUrl } : {}),
    // X's rotated tokens and Bluesky sessions are kept encrypted under these keys.
    keyRing: () => keys.ring,
    hooks: {
      onCredentialStateProblem: (name, error) => {
        logger.warn(
          { credentialState: name, err: error },
          'stored credential state could not be read or saved',
        );
      },
      onPost: (p) => {
        logger.debug({ postId: p.id, accountId: p.accountId, status: p.status }, 'post created');
        if (p.status === 'queued') {
          void triggers
            ?.notify(p.accountId)
            .catch((error: unknown) => logger.warn({ err: error }, 'publish trigger not sent'));
        }
        metrics?.recordPost(p);
        liveEvents.onPost(p);
        if (p.status === 'rejected')
          void emit(
            postEvent(
              'post.rejected',
              { id: p.id, accountId: p.accountId, text: p.text, reason: p.verdict.reasons.join(', ') },
              now(),
            ),
          );
      },
      onPublished: (p) => {
        logger.info({ postId: p.id, accountId: p.accountId, platformPostId: p.platformPostId }, 'published');
        void emit(postEvent('post.published', p, now()));
        liveEvents.onPublished(p);
      },
      onPublishError: (p, error) => {
        logger.warn({ postId: p.id, accountId: p.accountId, err: error }, 'publish failed');
        liveEvents.onPublishError(p, error);
        if ((error as Error)?.name === 'RateLimitedError')
          metrics?.recordRateLimited(platformOf.get(p.accountId) ?? 'unknown');
      },
    },
  });
  metrics = createMetrics({ db: engine.store.db, registry });
  // LLM batches: submit gathered requests, poll running batches, apply results.
  const batchTicker = engine.llm?.batch
    ? setInterval(() => {
        engine.llm?.batch
          ?.tick()
          .catch((error: unknown) => logger.error({ err: error }, 'LLM batch tick failed'));
      }, 5_000)
    : undefined;
  webhooks = new WebhookDispatcher({
    db: engine.store.db,
    // Read at each delivery: `rotate-key` through this server replaces the ring.
    ring: () => keys.ring,
    now,
    onAttempt: (outcome, d, detail) => {
      metrics?.recordWebhook(outcome);
      if (outcome !== 'delivered')
        logger.warn({ delivery: d.id, endpoint: d.endpointId, outcome, detail }, 'webhook delivery');
    },
  });
  webhooks.start(1000, (error) => logger.error({ err: error }, 'webhook loop error'));
  // Engagement of published posts, read on a decaying schedule (stopped by engine.close()).
  engine.engagement.start(30_000, (error) => logger.error({ err: error }, 'engagement pass failed'));
  const operators = createServices({
    db: engine.store.db,
    keys,
    accounts: config.accounts,
    voices: config.voices,
    sources: config.sources,
    now,
    emit: (e) => emit(e),
  });
  let ready = false;
  let stopping = false;
  const server = buildServer({
    store: engine.store,
    ready: () => ready && !stopping,
    logger: logger.child({ component: 'http' }),
    accounts: config.accounts,
    voices: config.voices,
    sources: config.sources,
    keys,
    now,
    metrics,
    emit: (e) => emit(e),
    live: bus,
  });
  // The games being watched, for `wirereport games` and the dashboard.
  let live: LiveSources | undefined;
  server.get('/api/live/games', async () => ({ games: live?.games() ?? [], feeds: live?.feeds() ?? [] }));
  // Circuit breakers of this process: publishing (per platform and account) and live feeds (per host).
  server.get('/api/health/breakers', async () => ({
    publishing: engine.breakerStates(),
    feeds: (live?.feeds() ?? []).map((f) => ({ name: `feed:${f.league}`, state: f.breaker })),
  }));
  const breakerGauges = setInterval(() => {
    for (const b of engine.breakerStates()) metrics?.setBreakerState(b.name, b.state);
  }, 5_000);
  breakerGauges.unref();
  await server.listen({ host: config.http.host, port: config.http.port });
  const address = server.server.address();
  const url =
    typeof address === 'object' && address ? `http://${config.http.host}:${address.port}` : String(address);
  // The local control credential: commands on this machine reach the API
  // with it while this server owns the store (never logged).
  const control =
    config.dataDir === 'memory'
      ? undefined
      : await publishControl(
          operators,
          config.dataDir,
          loopbackUrl(
            config.http.host,
            typeof address === 'object' && address ? address.port : config.http.port,
          ),
        ).catch((error: unknown) => {
          logger.warn({ err: error, dataDir: config.dataDir }, 'local control credential not written');
          return undefined;
        });
  logger.info({ url, store: engine.store.kind, location: engine.store.location }, 'engine started');
  io.stderr(`Wire Report is running: dashboard ${url}/  health ${url}/healthz  (Ctrl-C stops)\n`);

  // The publishing loop: review timeouts, sweep, reconcile, publish while something is due.
  // Publishing: pg-boss triggers wake a drain as soon as a post is queued (in
  // this process or any worker sharing the store); the sweeper below runs the
  // same drain every few seconds, so a lost trigger only costs latency.
  const realDelay = (at: number) =>
    clock instanceof ScaledClock ? clock.realDelayUntil(at) : Math.max(0, at - clock.now());
  const drain = async () => {
    while (!stopping) {
      const began = performance.now();
      const done = await engine.publisher.publishOne();
      if (!done) break;
      const platform = platformOf.get(done.post.accountId) ?? 'unknown';
      metrics?.recordPublish(platform, done.outcome, (performance.now() - began) / 1000);
      if (done.outcome === 'failed') {
        void emit(
          postEvent(
            'post.failed',
            { id: done.post.id, accountId: done.post.accountId, text: done.post.text },
            now(),
          ),
        );
      }
    }
    // Wake up again when the next queued post falls due (spacing, not-before).
    const wake = await engine.publisher.nextWake();
    if (wake && !stopping) await triggers?.notify('wake', realDelay(wake.getTime()));
  };
  triggers = await createPublishTriggers(engine.store.db, {
    onError: (error) => logger.warn({ err: error }, 'publish trigger error'),
  });
  await triggers.work(() =>
    drain().catch((error: unknown) => logger.error({ err: error }, 'publish drain failed')),
  );
  const publishing = (async () => {
    while (!stopping) {
      try {
        await operators.expireApprovals();
        await engine.publisher.sweep();
        await engine.publisher.reconcile();
        await drain();
      } catch (error) {
        logger.error({ err: error }, 'publishing loop error');
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
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
  live = values.demo ? undefined : startLiveSources(config, engine, clock, logger);
  // The operators' Telegram bot and its alerts (when configured).
  let bot: ControlBot | undefined;
  let alerts: AlertWatcher | undefined;
  if (config.bot) {
    bot = createControlBot({
      token: config.bot.token,
      ...(config.bot.apiRoot ? { apiRoot: config.bot.apiRoot } : {}),
      allow: config.bot.allow,
      alertChatIds: config.bot.alertChatIds,
      services: operators,
      logger: logger.child({ component: 'bot' }),
    });
    const controlBot = bot;
    alerts = new AlertWatcher({
      services: operators,
      bus,
      send: (a) => controlBot.alert(a),
      feeds: () => live?.feeds() ?? [],
      now: () => clock.now(),
      platformOf: (id) => platformOf.get(id) ?? 'unknown',
      logger,
    });
    await bot.start().catch((error: unknown) => logger.error({ err: error }, 'control bot did not start'));
    alerts.start();
  }
  ready = true;

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Graceful stop: refuse new requests, no new work, finish the publish in
  // flight (bounded by the platform timeout), hand back unsent webhook
  // deliveries (pending again for the next start), then close the store.
  stopping = true;
  abort.abort();
  const watchdog = setTimeout(() => {
    io.stderr('wirereport: shutdown took longer than 15 s; exiting\n');
    process.exit(1);
  }, 15_000);
  watchdog.unref();
  if (batchTicker) clearInterval(batchTicker);
  clearInterval(breakerGauges);
  await Promise.allSettled([alerts?.stop(), bot?.stop()]);
  await Promise.allSettled([publishing, demo, server.close(), live?.stop(), triggers.stop()]);
  await control?.close().catch((error: unknown) => logger.error({ err: error }, 'control file not removed'));
  await webhooks.stop().catch((error: unknown) => logger.error({ err: error }, 'webhook stop failed'));
  await engine.close();
  clearTimeout(watchdog);
  logger.info('engine stopped');
  return 0;
}
