import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEspnScoreboard, parseEspnSummary } from '../../src/sources/espn/index.ts';
import { type ReplayServer, startReplayServer } from './replay-server.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/espn/${name}`, import.meta.url), 'utf8'));
const nbaFinal = fixture('nba_summary_401772994_IND-NYK_2025-05-31.json');
const nbaPregame = fixture('nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json');
const nflFinal = fixture('nfl_summary_401547417_GB-ATL_2023-09-17.json');
const nbaEvents = parseEspnSummary(nbaFinal, { league: 'nba' }).events;
const nflEvents = parseEspnSummary(nflFinal, { league: 'nfl' }).events;

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  return { status: response.status, etag: response.headers.get('etag'), text: await response.text() };
};

describe('replay server', () => {
  it('serves pre-game, growing prefixes with a consistent header, then the final; the scoreboard in step', async () => {
    server = await startReplayServer([
      { league: 'nba', final: nbaFinal, pregame: nbaPregame, playsPerStep: 100 },
      { league: 'nfl', final: nflFinal, playsPerStep: 60, startStep: 2 },
    ]);
    const nba = `${server.baseUrl}/basketball/nba/summary?event=401772994`;
    const nfl = `${server.baseUrl}/football/nfl/summary?event=401547417`;
    const board = `${server.baseUrl}/basketball/nba/scoreboard`;
    const summary = async (url: string, league: 'nba' | 'nfl') =>
      parseEspnSummary(JSON.parse((await get(url)).text), { league });
    const boardState = async () =>
      parseEspnScoreboard(JSON.parse((await get(board)).text), { league: 'nba' })[0]?.state;

    expect((await summary(nba, 'nba')).facts.state).toBe('pre');
    expect(await boardState()).toBe('pre');
    server.step();
    const first = await summary(nba, 'nba');
    expect(first.facts.state).toBe('in');
    expect(first.events.map((e) => e.id)).toEqual(nbaEvents.slice(0, 100).map((e) => e.id));
    const last = nbaEvents[99]!;
    expect([first.facts.away.score, first.facts.home.score, first.facts.period, first.facts.clock]).toEqual([
      last.awayScore,
      last.homeScore,
      last.period,
      last.clock,
    ]);
    expect(first.facts.home.linescores.reduce((a, b) => a + b, 0)).toBe(last.homeScore);
    expect(await boardState()).toBe('in');
    expect((await summary(nfl, 'nfl')).facts.state).toBe('pre');

    server.step();
    const football = await summary(nfl, 'nfl');
    expect(football.events.map((e) => e.id)).toEqual(nflEvents.slice(0, 60).map((e) => e.id));
    expect(football.facts.away.score + football.facts.home.score).toBe(
      nflEvents[59]!.awayScore + nflEvents[59]!.homeScore,
    );

    server.step(server.stepsToFinal());
    expect(server.allFinal()).toBe(true);
    const done = await summary(nba, 'nba');
    expect(done.facts.state).toBe('post');
    expect(done.events).toHaveLength(nbaEvents.length);
    expect((await summary(nfl, 'nfl')).events).toHaveLength(nflEvents.length);
    expect(await boardState()).toBe('post');
  });

  it('answers a prepared step exactly as it would have built it on request', async () => {
    const games = [{ league: 'nba' as const, final: nbaFinal, pregame: nbaPregame, playsPerStep: 40 }];
    server = await startReplayServer(games);
    const lazy = await startReplayServer(games);
    try {
      const path = '/basketball/nba/summary?event=401772994';
      for (let step = 0; step < 3; step++) {
        await server.prepare();
        server.step();
        lazy.step();
        const [ready, built] = [await get(server.baseUrl + path), await get(lazy.baseUrl + path)];
        expect(ready.etag).toBe(built.etag);
        expect(JSON.parse(ready.text).plays).toHaveLength(40 * (step + 1));
        expect(ready.text).toBe(built.text);
      }
    } finally {
      await lazy.close();
    }
  });

  it('answers 304 to a matching If-None-Match, and injects faults per URL', async () => {
    server = await startReplayServer([{ league: 'nba', final: nbaFinal, pregame: nbaPregame }]);
    const url = `${server.baseUrl}/basketball/nba/summary?event=401772994`;
    const first = await get(url);
    expect(first.etag).toBeTruthy();
    expect((await get(url, { 'if-none-match': first.etag ?? '' })).status).toBe(304);
    server.step();
    expect((await get(url, { 'if-none-match': first.etag ?? '' })).status).toBe(200);

    server.fault('summary', { kind: 'status', status: 500, times: 1 });
    expect((await get(url)).status).toBe(500);
    server.fault('summary', { kind: 'truncate', times: 1 });
    const truncated = await get(url);
    expect(() => JSON.parse(truncated.text)).toThrow(SyntaxError);
    server.fault('summary', { kind: 'stall', times: 2 });
    const stalled = await get(url);
    server.step();
    expect((await get(url)).text).toBe(stalled.text);
    expect((await get(url)).text).not.toBe(stalled.text);
    server.fault('summary', { kind: 'timeout', times: 1 });
    await expect(fetch(url, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(server.requests.map((r) => r.fault ?? r.status)).toEqual([
      200,
      304,
      200,
      'status',
      'truncate',
      'stall',
      'stall',
      200,
      'timeout',
    ]);
    expect((await get(`${server.baseUrl}/basketball/nba/summary?event=1`)).status).toBe(404);
  });

  it('steps on a timer at a chosen speed', async () => {
    server = await startReplayServer([{ league: 'nba', final: nbaFinal }]);
    server.play(5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    server.pause();
    const at = server.stepIndex;
    expect(at).toBeGreaterThan(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.stepIndex).toBe(at);
  });
});
