import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.ts';
import { createEngine, type Engine } from '../src/app/engine.ts';
import { LiveIngest } from '../src/pipeline/live.ts';
import { ManualScheduler } from '../src/sources/live/index.ts';
import type { Store } from '../src/store/store.ts';
import { playUntilFinal, watchNba } from './support/live-game.ts';
import { type ReplayServer, startReplayServer } from './support/replay-server.ts';
import { openTestStore } from './support/store.ts';

const read = (name: string): unknown => JSON.parse(readFileSync(`fixtures/espn/${name}`, 'utf8'));
const nbaFinal = read('nba_summary_401772994_IND-NYK_2025-05-31.json') as {
  plays: {
    id: string;
    scoringPlay?: boolean;
    scoreValue?: number;
    homeScore: number;
    team?: { id: string };
  }[];
};
const nbaPregame = read('nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json');
const START = Date.parse('2025-06-01T00:00:00Z');
const HOME = '11';

// biome-ignore lint/suspicious/noExplicitAny: the served JSON is edited structurally.
type Json = any;

/** The n-th home basket of `value` points after play `from` (a play the scorer can re-value). */
function homeBasket(from: number, value: number): { index: number; id: string } {
  const index = nbaFinal.plays.findIndex(
    (p, i) => i >= from && p.scoringPlay && p.scoreValue === value && p.team?.id === HOME,
  );
  return { index, id: nbaFinal.plays[index]!.id };
}

/** The scorer re-values a home basket: it and every later play (and the header) gain `delta` home points. */
function revalue(playId: string, delta: number) {
  return (json: Json): Json => {
    const plays: Json[] = json.plays ?? [];
    const k = plays.findIndex((p) => p.id === playId);
    if (k < 0) return json;
    plays[k].scoreValue += delta;
    for (const play of plays.slice(k)) play.homeScore = Number(play.homeScore) + delta;
    const home = json.header.competitions[0].competitors.find((c: Json) => c.homeAway === 'home');
    home.score = String(Number(home.score) + delta);
    return json;
  };
}

describe('score corrections from a live feed', () => {
  let server: ReplayServer;
  let store: Store;
  let engine: Engine;
  let flapServed = 0;
  // Shown by step 5 (200 plays) and step 8 (320 plays) respectively.
  const flapped = homeBasket(100, 3);
  const corrected = homeBasket(250, 2);

  beforeAll(async () => {
    expect(flapped.index).toBeLessThan(190);
    expect(corrected.index).toBeLessThan(310);
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
    const watcher = watchNba(server, scheduler, live);
    await playUntilFinal({
      server,
      scheduler,
      engine,
      espnId: '401772994',
      start: START,
      games: () => watcher.games(),
      onStep: async () => {
        if (server.stepIndex === 5) {
          // Every play shown is reported; then a three is ruled a two for two polls only
          // (shorter than the 3-poll hold), with no new play served meanwhile.
          await scheduler.advance(10_000);
          server.fault('/summary', { kind: 'rewrite', edit: revalue(flapped.id, -1), times: 2 });
          await scheduler.advance(20_000);
          flapServed = server.requests.filter((r) => r.fault === 'rewrite').length;
        }
        // A two becomes a three for good.
        if (server.stepIndex === 8)
          server.fault('/summary', { kind: 'rewrite', edit: revalue(corrected.id, 1) });
      },
    });
    await watcher.stop();
  }, 180_000);

  afterAll(async () => {
    await server.close();
    await engine.close();
    await store.close();
  });

  it('posts a held correction once, as a score_correction event with the old and new score', async () => {
    const events = await store.db
      .selectFrom('events')
      .select(['id', 'kind'])
      .where('kind', '=', 'score_correction')
      .execute();
    expect(events.map((e) => e.id)).toEqual([
      expect.stringMatching(new RegExp(`^espn:401772994:play:${corrected.id}:correction:`)),
    ]);
    const play = nbaFinal.plays[corrected.index]!;
    const row = await store.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', events[0]!.id)
      .executeTakeFirstOrThrow();
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Json;
    expect(payload.detail).toMatchObject({
      correctedEventId: `espn:401772994:play:${corrected.id}`,
      previousHomeScore: play.homeScore,
      correctedHomeScore: play.homeScore + 1,
      homeShift: 1,
      awayShift: 0,
    });
    const posts = await store.db
      .selectFrom('posts')
      .select(['status', 'text', 'account_id'])
      .where('event_id', '=', events[0]!.id)
      .execute();
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.filter((p) => p.status === 'rejected')).toEqual([]);
    expect(new Set(posts.map((p) => p.account_id)).size).toBe(posts.length);
    for (const post of posts) expect(post.text).toMatch(/correct|change/i);
    console.log(posts.map((p) => `${p.account_id}: ${p.text}`).join('\n'));
  });

  it('posts nothing for a score that flapped back within the hold', async () => {
    const flaps = await store.db
      .selectFrom('events')
      .select('id')
      .where('id', 'like', `espn:401772994:play:${flapped.id}:correction%`)
      .execute();
    expect(flapServed).toBe(2);
    expect(flaps).toEqual([]);
  });
});
