import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { resolveServerKeys, type ServerKeys } from '../../src/api/keys.ts';
import { buildServer } from '../../src/api/server.ts';
import { createServices, type Services, type WebhookEvent } from '../../src/api/services.ts';
import { type AppConfig, parseConfig } from '../../src/app/config.ts';
import { createEngine, type Engine } from '../../src/app/engine.ts';
import { createLogger } from '../../src/app/logger.ts';
import { createMetrics } from '../../src/app/metrics.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { replayAtFullSpeed } from '../../src/pipeline/replay.ts';
import type { Store } from '../../src/store/store.ts';
import type { Role } from '../../src/store/tokens.ts';
import { openTestStore } from '../support/store.ts';

export const NBA = new URL(
  '../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json',
  import.meta.url,
).pathname;

/**
 * A small network for the API tests: `review` holds every post for a human
 * (timeouts drop), `review-pub` holds them but publishes on timeout, `auto`
 * publishes by itself. All follow the NBA and post to the outbox.
 */
export const CONFIG_YAML = `
voices:
  - id: desk
    persona: A neutral desk.
    avoidWords: [guaranteed]
accounts:
  - id: review
    platform: x
    handle: "@review"
    voice: desk
    leagues: [nba]
    minSignificance: 0.4
    spacingSeconds: 0
    maxAgeSeconds: 100000000
    approval: { mode: review, timeoutSeconds: 600, onTimeout: drop }
  - id: review-pub
    platform: bluesky
    handle: reviewpub.example
    voice: desk
    leagues: [nba]
    teams: [IND]
    minSignificance: 0.6
    spacingSeconds: 0
    maxAgeSeconds: 100000000
    approval: { mode: review, timeoutSeconds: 300, onTimeout: publish }
  - id: auto
    platform: mastodon
    handle: "@auto@example"
    voice: desk
    leagues: [nba]
    minSignificance: 0.7
    spacingSeconds: 0
sources:
  - id: espn-nba
    kind: espn
    league: nba
`;

export interface Harness {
  store: Store;
  engine: Engine;
  config: AppConfig;
  clock: ManualClock;
  keys: ServerKeys;
  services: Services;
  app: ReturnType<typeof buildServer>;
  /** Everything the server logged, as written. */
  logs: () => string;
  emitted: WebhookEvent[];
  /** Makes a token of a role and returns it (through the same service the CLI uses). */
  token(role: Role, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Truncates the operator tables (resetStore from the shared support knows only the core tables). */
export async function resetOperatorTables(store: Store): Promise<void> {
  await sql
    .raw(
      'TRUNCATE api_tokens, sessions, users, audit_log, idempotency_keys, webhook_deliveries, webhook_endpoints, platform_pauses, secrets RESTART IDENTITY CASCADE',
    )
    .execute(store.db);
}

/**
 * A migrated test store with the recorded Knicks-Pacers game replayed
 * through the real pipeline (so posts have real facts, verdicts and
 * histories), and the API server over it, in process.
 */
export async function openHarness(
  options: { rateLimitPerMinute?: number; replay?: boolean } = {},
): Promise<Harness> {
  const store = await openTestStore();
  const config = parseConfig(CONFIG_YAML, { file: '/tmp/wirereport-api-test.yaml', env: {} });
  const recording = await loadRecording(NBA);
  const start = recording.events[0]!.occurredAt;
  const clock = new ManualClock(start);
  const engine = await createEngine({ config, clock, store, worker: 'test' });
  if (options.replay !== false) {
    await replayAtFullSpeed(recording.events, clock, {
      ingestor: engine.ingestor,
      publisher: engine.publisher,
    });
  }
  const keys = resolveServerKeys({ WIREREPORT_SECRET_KEY: randomBytes(32).toString('base64') }, 'memory');
  let logText = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const emitted: WebhookEvent[] = [];
  const now = () => new Date(clock.now());
  const metrics = createMetrics({ db: store.db, processMetrics: false });
  const common = {
    accounts: config.accounts,
    voices: config.voices,
    sources: config.sources,
    keys,
    now,
    emit: (e: WebhookEvent) => {
      emitted.push(e);
    },
  };
  const app = buildServer({
    store,
    ready: () => true,
    logger,
    metrics,
    ...common,
    ...(options.rateLimitPerMinute ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
  });
  await app.ready();
  const services = createServices({ db: store.db, ...common });
  return {
    store,
    engine,
    config,
    clock,
    keys,
    services,
    app,
    logs: () => logText,
    emitted,
    async token(role, name = `${role}-tester`) {
      return (await services.createToken('test', name, role)).token;
    },
    async close() {
      await app.close();
      await engine.close();
      await store.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
