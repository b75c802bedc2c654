import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from '../../../test/support/replay-server.ts';
import { parseEspnSummary } from '../espn/index.ts';
import { FeedFetcher } from '../http/index.ts';
import type { GameBatch } from './game-monitor.ts';
import { ManualScheduler } from './scheduler.ts';
import { SlateWatcher } from './slate-watcher.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/espn/${name}`, import.meta.url), 'utf8'));
const nbaFile = 'nba_summary_401772994_IND-NYK_2025-05-31.json';
const nflFile = 'nfl_summary_401547417_GB-ATL_2023-09-17.json';
const nbaFinal = fixture(nbaFile);
const nbaPregame = fixture('nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json');
const nflFinal = fixture(nflFile);
const nbaIds = parseEspnSummary(nbaFinal, { league: 'nba', file: nbaFile }).events.map((e) => e.id);
const nflIds = parseEspnSummary(nflFinal, { league: 'nfl', file: nflFile }).events.map((e) => e.id);
/** The recording's event ids as served under another ESPN id. */
const idsAs = (ids: readonly string[], from: string, to: string) =>
  ids.map((id) => id.replace(`espn:${from}:`, `espn:${to}:`));

const START = Date.parse('2025-06-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fetcher() {
  return new FeedFetcher({ timeoutMs: 500, maxAttempts: 1, backoff: { initialDelayMs: 1, maxDelayMs: 2 } });
}

function collector() {
  const byGame = new Map<string, GameBatch[]>();
  const sink = async (batch: GameBatch) => {
    byGame.set(batch.gameId, [...(byGame.get(batch.gameId) ?? []), batch]);
  };
  const ids = (gameId: string) => (byGame.get(gameId) ?? []).flatMap((b) => b.events.map((e) => e.id));
  return { byGame, sink, ids };
}

describe('SlateWatcher', () => {
  it('starts monitors for live and imminent games only, follows them to the final, and survives a broken league feed', async () => {
    server = await startReplayServer([
      { league: 'nba', final: nbaFinal, pregame: nbaPregame, playsPerStep: 60, startTime: iso(START) },
      // Far in the future: never monitored while it is not live or within 15 minutes.
      {
        league: 'nba',
        final: nbaFinal,
        espnId: '900000001',
        startStep: 1000,
        startTime: iso(START + 86_400_000),
      },
      { league: 'nfl', final: nflFinal, playsPerStep: 30, startTime: iso(START) },
    ]);
    server.fault('/baseball/mlb/scoreboard', { kind: 'status', status: 500 });
    server.fault('/hockey/nhl/scoreboard', { kind: 'truncate' });
    const scheduler = new ManualScheduler(START - 30 * 60_000);
    const { sink, ids, byGame } = collector();
    const watcher = new SlateWatcher({
      fetcher: fetcher(),
      sink,
      scheduler,
      baseUrl: server.baseUrl,
      scoreboardIntervalMs: 20_000,
      random: () => 0.5,
    });
    watcher.start();

    // Thirty minutes before tip-off nothing is monitored.
    await scheduler.advance(60_000);
    expect(watcher.games()).toEqual([]);
    // Inside the window the two games starting at START are, the far one is not.
    await scheduler.advance(15 * 60_000);
    expect(
      watcher
        .games()
        .map((g) => g.gameId)
        .sort(),
    ).toEqual(['espn:401547417', 'espn:401772994']);

    const srv = server;
    const live = () => srv.stateOf('401772994') !== 'post' || srv.stateOf('401547417') !== 'post';
    while (live() || watcher.games().some((g) => g.status === 'polling')) {
      if (scheduler.now() > START + 6 * 3_600_000) throw new Error('slate did not finish');
      server.step();
      await scheduler.advance(10_000);
    }
    expect(server.stateOf('900000001')).toBe('pre');

    expect(ids('espn:401772994')).toEqual(nbaIds);
    expect(ids('espn:401547417')).toEqual(nflIds);
    expect(byGame.has('espn:900000001')).toBe(false);
    const games = watcher.games();
    expect(games.map((g) => [g.gameId, g.status, g.gameState])).toEqual(
      expect.arrayContaining([
        ['espn:401772994', 'done', 'post'],
        ['espn:401547417', 'done', 'post'],
      ]),
    );
    expect(games).toHaveLength(2);
    const leagues = Object.fromEntries(watcher.leagues().map((l) => [l.league, l]));
    expect(leagues.mlb?.consecutiveErrors).toBeGreaterThan(0);
    expect(leagues.mlb?.lastError).toMatch(/HTTP 500/);
    expect(leagues.nhl?.lastError).toMatch(/invalid JSON/);
    expect(leagues.nba).toMatchObject({ consecutiveErrors: 0, games: 2 });
    expect(leagues.wnba).toMatchObject({ consecutiveErrors: 0, games: 0 });

    await watcher.stop();
    expect(scheduler.pending).toBe(0);
  });

  it('follows 30 simultaneous games served by one replay server to the final', async () => {
    const games = Array.from({ length: 30 }, (_, i) => ({
      league: 'nba' as const,
      final: nbaFinal,
      pregame: nbaPregame,
      espnId: String(500000000 + i),
      playsPerStep: 40 + (i % 5) * 10,
      startStep: 1 + (i % 4),
      startTime: iso(START),
    }));
    server = await startReplayServer(games);
    const scheduler = new ManualScheduler(START - 10 * 60_000);
    const { sink, ids, byGame } = collector();
    const watcher = new SlateWatcher({
      // Thirty large summaries at once: a loaded CI machine needs more than the 500 ms of the other tests.
      fetcher: new FeedFetcher({
        timeoutMs: 10_000,
        maxAttempts: 1,
        backoff: { initialDelayMs: 1, maxDelayMs: 2 },
      }),
      sink,
      scheduler,
      baseUrl: server.baseUrl,
      leagues: ['nba'],
      scoreboardIntervalMs: 30_000,
      random: () => 0.5,
    });
    watcher.start();
    await scheduler.advance(1000);
    while (!server.allFinal() || watcher.games().some((g) => g.status === 'polling')) {
      if (scheduler.now() > START + 6 * 3_600_000) throw new Error('slate did not finish');
      server.step();
      await scheduler.advance(10_000);
    }
    const statuses = watcher.games();
    expect(statuses).toHaveLength(30);
    expect(statuses.every((s) => s.status === 'done' && s.gameState === 'post')).toBe(true);
    for (const game of games) {
      const gameId = `espn:${game.espnId}`;
      expect(ids(gameId)).toEqual(idsAs(nbaIds, '401772994', game.espnId));
      expect(byGame.get(gameId)?.filter((b) => b.final)).toHaveLength(1);
    }
    await watcher.stop();
  });
});
