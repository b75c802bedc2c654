import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.ts';
import { SourceConfig } from '../src/app/config-schema.ts';
import { createEngine, type Engine } from '../src/app/engine.ts';
import { type LiveSources, startLiveSources } from '../src/app/live.ts';
import { scoreGame } from '../src/signals/score-game.ts';
import { parseEspnSummary } from '../src/sources/espn/summary.ts';
import { ManualScheduler, mergedEventId, sharedKey } from '../src/sources/live/index.ts';
import { readFacts } from '../src/store/facts-snapshot.ts';
import type { Store } from '../src/store/store.ts';
import { playUntilFinal, testFetcher } from './support/live-game.ts';
import { liveDataTwin } from './support/nba-live-twin.ts';
import { type ReplayServer, startReplayServer } from './support/replay-server.ts';
import { openTestStore } from './support/store.ts';

const read = (name: string): unknown => JSON.parse(readFileSync(`fixtures/espn/${name}`, 'utf8'));
const nbaFinal = read('nba_summary_401772994_IND-NYK_2025-05-31.json');
const nbaPregame = read('nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json');
const START = Date.parse('2025-06-01T00:00:00Z');
const NBA_GAME = '0042400306';

/** Event ids a replay of the final file gives, renamed by the merge's identity rule. */
function expectedIds(): string[] {
  const { events } = parseEspnSummary(nbaFinal, { league: 'nba' });
  const rename = new Map<string, string>();
  for (const event of events) {
    const key = sharedKey(event);
    if (key !== undefined) rename.set(event.id, mergedEventId('espn:401772994', key));
  }
  return scoreGame(events).map((s) => {
    const base = [...rename.keys()].find((id) => s.event.id === id || s.event.id.startsWith(`${id}:`));
    return base === undefined ? s.event.id : `${rename.get(base)}${s.event.id.slice(base.length)}`;
  });
}

describe('NBA liveData merged with the ESPN summary, from the configuration', () => {
  let server: ReplayServer;
  let store: Store;
  let engine: Engine;
  let live: LiveSources;

  beforeAll(async () => {
    const twin = liveDataTwin(nbaFinal, NBA_GAME);
    server = await startReplayServer([
      {
        league: 'nba',
        final: nbaFinal,
        pregame: nbaPregame,
        playsPerStep: 40,
        startTime: new Date(START).toISOString(),
        // liveData runs 15 plays ahead of the summary.
        nbaLive: { gameId: NBA_GAME, playByPlay: twin.playByPlay, leadActions: 15, teams: twin.teams },
      },
    ]);
    store = await openTestStore();
    const scheduler = new ManualScheduler(START - 10 * 60_000);
    const config = loadConfig('demo/wirereport.yaml', { env: {} });
    config.sources = [
      SourceConfig.parse({
        id: 'nba',
        kind: 'espn',
        league: 'nba',
        baseUrl: server.baseUrl,
        liveData: true,
        liveDataBaseUrl: `${server.baseUrl}/nbalive`,
      }),
    ];
    engine = await createEngine({ config, clock: scheduler, store });
    live = startLiveSources(config, engine, scheduler, pino({ level: 'silent' }), {
      scheduler,
      fetcher: testFetcher(),
    });
    const sources = live;
    await playUntilFinal({
      server,
      scheduler,
      engine,
      espnId: '401772994',
      start: START,
      games: () => sources.games(),
    });
    await live.stop();
  }, 180_000);

  afterAll(async () => {
    await server.close();
    await engine.close();
    await store.close();
  });

  it('accepts liveData for the NBA and WNBA only, with a clear error elsewhere', () => {
    const source = { id: 's', kind: 'espn', league: 'nfl', liveData: true };
    const result = SourceConfig.safeParse(source);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['liveData'],
      message: expect.stringMatching(/nba and wnba/),
    });
    expect(SourceConfig.parse({ ...source, league: 'wnba' }).liveData).toBe(true);
    expect(SourceConfig.parse({ ...source, league: 'nba', liveData: undefined }).liveData).toBe(false);
  });

  it('found the liveData game through the league scoreboard and polled it', () => {
    const paths = server.requests.map((r) => r.path);
    expect(paths.some((p) => p.startsWith('/nbalive/scoreboard/todaysScoreboard_00.json'))).toBe(true);
    expect(
      paths.filter((p) => p === `/nbalive/playbyplay/playbyplay_${NBA_GAME}.json`).length,
    ).toBeGreaterThan(5);
  });

  it('stores each moment once, the same events as a replay of the final file', async () => {
    const rows = await store.db.selectFrom('events').select(['id', 'source']).execute();
    // A milestone is reached on the first event showing it; liveData's stat lines run ahead,
    // so it may come with an earlier moment: each player's milestone still exactly once.
    const split = (ids: string[]) => ({
      moments: ids.filter((id) => !id.includes(':milestone:')).sort(),
      milestones: ids
        .map((id) => /:milestone:.*$/.exec(id)?.[0])
        .filter((m) => m !== undefined)
        .sort(),
    });
    expect(split(rows.map((r) => r.id))).toEqual(split(expectedIds()));
  });

  it('takes moments from liveData when it is ahead, grounded in ESPN team identity', async () => {
    const rows = await store.db
      .selectFrom('events')
      .leftJoin('fact_snapshots', 'fact_snapshots.hash', 'events.facts_hash')
      .select([
        'events.id',
        'events.source',
        'events.payload',
        'fact_snapshots.facts',
        'fact_snapshots.facts_deflated',
      ])
      .execute();
    const fromLive = rows.filter((r) => r.source === 'nbalive');
    expect(fromLive.length).toBeGreaterThan(50);
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
    for (const row of fromLive) {
      const payload = parse(row.payload) as { gameId: string; teamId?: string };
      expect(payload.gameId).toBe('espn:401772994');
      if (payload.teamId !== undefined) expect(['11', '18']).toContain(payload.teamId);
    }
    const grounded = fromLive.map((r) => readFacts(r)).filter((f) => f !== null);
    expect(grounded.length).toBeGreaterThan(0);
    for (const stored of grounded) {
      const facts = stored as unknown as {
        home: { abbreviation: string; id: string };
        away: { abbreviation: string };
      };
      expect([facts.home.abbreviation, facts.home.id, facts.away.abbreviation]).toEqual(['IND', '11', 'NY']);
    }
    const posts = await store.db.selectFrom('posts').select(['status', 'event_id', 'text']).execute();
    const liveIds = new Set(fromLive.map((r) => r.id));
    expect(posts.filter((p) => liveIds.has(p.event_id)).length).toBeGreaterThan(0);
    expect(posts.filter((p) => p.status === 'rejected')).toEqual([]);
  });
});
