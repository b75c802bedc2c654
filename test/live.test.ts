import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.ts';
import { createEngine, type Engine } from '../src/app/engine.ts';
import { LiveIngest } from '../src/pipeline/live.ts';
import { scoreGame } from '../src/signals/score-game.ts';
import { parseEspnSummary } from '../src/sources/espn/summary.ts';
import { ManualScheduler } from '../src/sources/live/index.ts';
import type { Store } from '../src/store/store.ts';
import { playUntilFinal, watchNba } from './support/live-game.ts';
import { type ReplayServer, startReplayServer } from './support/replay-server.ts';
import { openTestStore } from './support/store.ts';

const read = (name: string): unknown => JSON.parse(readFileSync(`fixtures/espn/${name}`, 'utf8'));
const nbaFinal = read('nba_summary_401772994_IND-NYK_2025-05-31.json');
const nbaPregame = read('nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json');
const START = Date.parse('2025-06-01T00:00:00Z');

describe('live coverage of a replayed game through the whole pipeline', () => {
  let server: ReplayServer;
  let store: Store;
  let engine: Engine;

  beforeAll(async () => {
    server = await startReplayServer([
      {
        league: 'nba',
        final: nbaFinal,
        pregame: nbaPregame,
        playsPerStep: 40,
        startTime: new Date(START).toISOString(),
      },
    ]);
    store = await openTestStore();
    const scheduler = new ManualScheduler(START - 10 * 60_000);
    const config = loadConfig('demo/wirereport.yaml', { env: {} });
    engine = await createEngine({ config, clock: scheduler, store });
    const live = new LiveIngest({ store, ingestor: engine.ingestor, clock: scheduler });
    // The feed fails now and then: the monitor retries and the sink stays exactly-once.
    server.fault('/basketball/nba/summary', { kind: 'status', status: 500, times: 3 });
    const watcher = watchNba(server, scheduler, live);
    await playUntilFinal({
      server,
      scheduler,
      engine,
      espnId: '401772994',
      start: START,
      games: () => watcher.games(),
    });
    await watcher.stop();
  }, 120_000);

  afterAll(async () => {
    await server.close();
    await engine.close();
    await store.close();
  });

  it('stores exactly the events a replay of the final file produces, each once', async () => {
    const parsed = parseEspnSummary(nbaFinal, { league: 'nba' });
    const expected = scoreGame(parsed.events).map((s) => s.event.id);
    const rows = await store.db.selectFrom('events').select('id').execute();
    expect(rows.map((r) => r.id).sort()).toEqual([...expected].sort());
  });

  it('writes, verifies and publishes posts from the live feed, none twice', async () => {
    const posts = await store.db.selectFrom('posts').select(['id', 'status', 'account_id', 'text']).execute();
    expect(posts.length).toBeGreaterThan(10);
    expect(posts.filter((p) => p.status === 'rejected')).toEqual([]);
    const published = posts.filter((p) => p.status === 'published');
    expect(published.length).toBeGreaterThan(5);
    const outbox = await store.db.selectFrom('outbox_messages').select(['idempotency_key']).execute();
    expect(outbox.length).toBe(published.length);
    expect(new Set(outbox.map((m) => m.idempotency_key)).size).toBe(outbox.length);
    const game = await store.db
      .selectFrom('games')
      .selectAll()
      .where('id', '=', 'espn:401772994')
      .executeTakeFirstOrThrow();
    expect(game.state).toBe('post');
  });
});
