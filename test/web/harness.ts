import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { resolveServerKeys } from '../../src/api/keys.ts';
import { busHooks, LiveBus } from '../../src/api/live-bus.ts';
import { buildServer } from '../../src/api/server.ts';
import { createServices, type Services } from '../../src/api/services.ts';
import { type AppConfig, parseConfig } from '../../src/app/config.ts';
import { createEngine, type Engine } from '../../src/app/engine.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import type { GameEvent } from '../../src/domain/event.ts';
import { type Clock, ScaledClock } from '../../src/pipeline/clock.ts';
import { replayScaled } from '../../src/pipeline/replay.ts';
import type { Store } from '../../src/store/store.ts';
import { ensureWebBuild } from '../../web/build-if-stale.ts';
import { openTestStore } from '../support/store.ts';

export const NBA = new URL(
  '../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json',
  import.meta.url,
).pathname;

/** `desk` holds every post for review (and never times out during a test); `wire` publishes by itself. */
export const WEB_CONFIG_YAML = `
voices:
  - id: desk
    persona: A neutral desk.
accounts:
  - id: desk
    platform: x
    handle: "@desk"
    voice: desk
    leagues: [nba]
    minSignificance: 0.55
    spacingSeconds: 0
    maxAgeSeconds: 100000000
    approval: { mode: review, timeoutSeconds: 100000000, onTimeout: drop }
  - id: wire
    platform: mastodon
    handle: "@wire@example"
    voice: desk
    leagues: [nba]
    minSignificance: 0.8
    spacingSeconds: 0
    maxAgeSeconds: 100000000
sources:
  - id: espn-nba
    kind: espn
    league: nba
`;

export const OPERATOR = { name: 'desk-operator', password: 'correct horse battery staple' };

/**
 * The engine and its HTTP server in this process, as `wirereport start` wires
 * them (live bus fed by the engine hooks, publishing loop), listening on a
 * free loopback port, with the recorded Knicks-Pacers game ready to replay
 * on a scaled clock when `replay()` is called.
 */
export interface WebHarness {
  url: string;
  store: Store;
  engine: Engine;
  config: AppConfig;
  services: Services;
  bus: LiveBus;
  events: GameEvent[];
  /** Starts replaying the game at `speed` times real time; resolves when the replay ends or is stopped. */
  replay(speed: number): Promise<void>;
  close(): Promise<void>;
}

/** `store`: an opened, migrated store (default: the test store; benches outside Vitest pass their own). */
export async function openWebHarness(options: { store?: Store } = {}): Promise<WebHarness> {
  ensureWebBuild();
  const store = options.store ?? (await openTestStore());
  const config = parseConfig(WEB_CONFIG_YAML, { file: '/tmp/wirereport-web-test.yaml', env: {} });
  const recording = await loadRecording(NBA);
  const events = recording.events;
  const start = events[0]!.occurredAt;
  // The clock stands at the first play until the replay starts, then runs scaled.
  let scaled: ScaledClock | undefined;
  const clock: Clock = { now: () => scaled?.now() ?? start };
  const bus = new LiveBus({ now: () => Date.now() });
  const hooks = busHooks(bus);
  const engine = await createEngine({
    config,
    clock,
    store,
    worker: 'web-test',
    hooks: { onPost: hooks.onPost, onPublished: hooks.onPublished, onPublishError: hooks.onPublishError },
  });
  const keys = resolveServerKeys({ WIREREPORT_SECRET_KEY: randomBytes(32).toString('base64') }, 'memory');
  const now = () => new Date(clock.now());
  const common = { accounts: config.accounts, voices: config.voices, sources: config.sources, keys, now };
  const services = createServices({ db: store.db, ...common });
  await services.createUser('test', OPERATOR.name, 'operator', OPERATOR.password);
  const app = buildServer({ store, ready: () => true, ...common, live: bus });
  // As `wirereport start` does; a replay has no live monitors.
  app.get('/api/live/games', async () => ({ games: [], feeds: [] }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  let stopping = false;
  const abort = new AbortController();
  const publishing = (async () => {
    while (!stopping) {
      try {
        while (!stopping && (await engine.publisher.publishOne())) {}
      } catch {
        // A publish error is the engine's to record; the loop goes on.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  let replaying: Promise<unknown> = Promise.resolve();

  return {
    url,
    store,
    engine,
    config,
    services,
    bus,
    events,
    replay(speed) {
      scaled = new ScaledClock(start, speed, () => Date.now());
      replaying = replayScaled(events, scaled, { ingestor: engine.ingestor }, abort.signal);
      return replaying.then(() => undefined);
    },
    async close() {
      stopping = true;
      abort.abort();
      await Promise.allSettled([publishing, replaying]);
      await app.close();
      await engine.close();
      await store.close();
    },
  };
}

/** The Chromium flags CI uses (Debian's /usr/bin/chromium, no sandbox, nothing phoning home). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM = process.env.WIREREPORT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium on a fresh profile folder (removed on close). A browser
 * that cannot start throws, naming the executable and how to install it.
 */
export async function launchBrowser(
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'wirereport-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      timeout: 30_000,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `headless Chromium did not start from ${CHROMIUM} (Debian: apt-get install -y chromium): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard at `url`, logging in as OPERATOR unless the browser's session cookie still holds. */
export async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('header.top, form input[name=name]');
  if (await page.locator('header.top').count()) return;
  await page.fill('input[name=name]', OPERATOR.name);
  await page.fill('input[name=password]', OPERATOR.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.top');
}

/** Collects what goes wrong on a page (console errors, 4xx/5xx answers, uncaught errors) into `problems`. */
export function watchProblems(page: Page, problems: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
}
