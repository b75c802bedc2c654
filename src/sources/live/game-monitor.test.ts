import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { liveDataTwin } from '../../../test/support/nba-live-twin.ts';
import { type ReplayServer, startReplayServer } from '../../../test/support/replay-server.ts';
import { parseEspnSummary } from '../espn/index.ts';
import { FeedFetcher } from '../http/index.ts';
import { mergedEventId, sharedKey } from './feed-merger.ts';
import { type GameBatch, GameMonitor } from './game-monitor.ts';
import { ManualScheduler } from './scheduler.ts';

const fixture = (dir: string, name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/${dir}/${name}`, import.meta.url), 'utf8'));
const finalFile = 'nba_summary_401772994_IND-NYK_2025-05-31.json';
const final = fixture('espn', finalFile);
const pregame = fixture('espn', 'nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json');
const expected = parseEspnSummary(final, { league: 'nba', file: finalFile }).events.map((e) => e.id);
const START = Date.parse('2025-06-01T00:00:00Z');

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fastFetcher() {
  return new FeedFetcher({
    timeoutMs: 150,
    maxAttempts: 2,
    backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    breaker: { consecutiveFailures: 1000, halfOpenAfterMs: 10 },
  });
}

/** Steps the server and virtual time together until the monitor is done (or a step budget runs out). */
async function follow(
  srv: ReplayServer,
  scheduler: ManualScheduler,
  monitor: GameMonitor,
  each?: (step: number) => void,
): Promise<void> {
  monitor.start();
  for (let i = 0; i < 400 && monitor.status().status === 'polling'; i += 1) {
    each?.(i);
    await scheduler.runNext();
    if (srv.stateOf('401772994') !== 'pre' || scheduler.now() >= START - 60_000) srv.step();
  }
}

function monitorOf(srv: ReplayServer, scheduler: ManualScheduler, sink: (b: GameBatch) => Promise<void>) {
  return new GameMonitor({
    league: 'nba',
    espnId: '401772994',
    summaryUrl: `${srv.baseUrl}/basketball/nba/summary?event=401772994`,
    fetcher: fastFetcher(),
    sink,
    scheduler,
    random: () => 0.5,
  });
}

describe('GameMonitor over a replayed live NBA game', () => {
  it('hands every play of the final file once, in order, and stops after the final batch', async () => {
    server = await startReplayServer([{ league: 'nba', final, pregame, playsPerStep: 20 }]);
    const scheduler = new ManualScheduler(START - 30 * 60_000);
    const batches: GameBatch[] = [];
    const monitor = monitorOf(server, scheduler, async (b) => {
      batches.push(b);
    });
    await follow(server, scheduler, monitor);

    const ids = batches.flatMap((b) => b.events.map((e) => e.id));
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(batches[0]).toMatchObject({ initial: true, events: [], gameId: 'espn:401772994' });
    expect(batches[0]?.facts.state).toBe('pre');
    expect(batches.slice(1).every((b) => !b.initial)).toBe(true);
    expect(batches.at(-1)?.final).toBe(true);
    expect(batches.filter((b) => b.final)).toHaveLength(1);
    expect(batches.at(-1)?.facts.home.score).toBe(125);
    expect(batches.every((b) => b.corrections.length === 0 && b.removed.length === 0)).toBe(true);
    const status = monitor.status();
    expect(status).toMatchObject({
      status: 'done',
      gameState: 'post',
      consecutiveErrors: 0,
      breaker: 'closed',
    });
    expect(status.lastPlayText).toBe('End of Game');
    // The pre-game wait was idle, then live polling about every 10 s (± jitter, none here).
    const summaryRequests = server.requests.filter((r) => r.path.includes('summary'));
    expect(summaryRequests.some((r) => r.status === 304)).toBe(true);
  });

  it('recovers from 500s, timeouts and truncated JSON with no play lost or handed twice', async () => {
    server = await startReplayServer([{ league: 'nba', final, pregame, playsPerStep: 15 }]);
    const scheduler = new ManualScheduler(START - 10 * 60_000);
    const batches: GameBatch[] = [];
    const srv = server;
    const monitor = monitorOf(srv, scheduler, async (b) => {
      batches.push(b);
    });
    const errorsSeen: number[] = [];
    const unchangedSeen: number[] = [];
    // Faults are injected while the game is live, once each at these steps of the replay.
    const plan = new Map<number, () => void>([
      [3, () => srv.fault('summary', { kind: 'status', status: 500, times: 4 })],
      [7, () => srv.fault('summary', { kind: 'timeout', times: 4 })],
      [11, () => srv.fault('summary', { kind: 'truncate', times: 4 })],
      [15, () => srv.fault('summary', { kind: 'stall', times: 3 })],
    ]);
    await follow(srv, scheduler, monitor, () => {
      errorsSeen.push(monitor.status().consecutiveErrors);
      unchangedSeen.push(monitor.status().unchangedPolls);
      plan.get(srv.stepIndex)?.();
      plan.delete(srv.stepIndex);
    });
    const ids = batches.flatMap((b) => b.events.map((e) => e.id));
    expect(ids).toEqual(expected);
    const faults = new Set(srv.requests.flatMap((r) => (r.fault ? [r.fault] : [])));
    expect(faults).toEqual(new Set(['status', 'timeout', 'truncate', 'stall']));
    expect(Math.max(...errorsSeen)).toBeGreaterThanOrEqual(2);
    // The stalled feed shows as good polls bringing nothing new.
    expect(Math.max(...unchangedSeen)).toBeGreaterThanOrEqual(2);
    expect(monitor.status()).toMatchObject({ status: 'done', consecutiveErrors: 0 });
  });

  it('retries a failing sink with the same batch and never drops events', async () => {
    server = await startReplayServer([{ league: 'nba', final, pregame, playsPerStep: 40 }]);
    const scheduler = new ManualScheduler(START - 5 * 60_000);
    const accepted: GameBatch[] = [];
    let calls = 0;
    const monitor = monitorOf(server, scheduler, async (b) => {
      calls += 1;
      if (calls % 3 === 2) throw new Error('database unavailable');
      accepted.push(b);
    });
    await follow(server, scheduler, monitor);
    expect(accepted.flatMap((b) => b.events.map((e) => e.id))).toEqual(expected);
    expect(calls).toBeGreaterThan(accepted.length);
  });

  it('stops on demand: no further poll and no timer left', async () => {
    server = await startReplayServer([{ league: 'nba', final, pregame }]);
    const scheduler = new ManualScheduler(START);
    const monitor = monitorOf(server, scheduler, async () => {});
    monitor.start();
    await scheduler.runNext();
    await monitor.stop();
    expect(monitor.status().status).toBe('stopped');
    expect(scheduler.pending).toBe(0);
    const before = server.requests.length;
    await scheduler.advance(60_000);
    expect(server.requests.length).toBe(before);
  });

  it('reports a score correction once it held for 3 polls, and a removed play, through real polls', async () => {
    server = await startReplayServer([{ league: 'nba', final, pregame, playsPerStep: 100 }]);
    server.step();
    const scheduler = new ManualScheduler(START + 3_600_000);
    const batches: GameBatch[] = [];
    const monitor = monitorOf(server, scheduler, async (b) => {
      batches.push(b);
    });
    monitor.start();
    await scheduler.runNext();
    expect(batches.flatMap((b) => b.events)).toHaveLength(100);
    const events = batches[0]!.events;
    const target = events.find((e) => e.scoreValue > 0 && e.period === 1)!;
    // biome-ignore lint/suspicious/noExplicitAny: editing recorded JSON
    const bump = (json: any) => {
      for (const play of json.plays) if (`espn:401772994:play:${play.id}` === target.id) play.homeScore += 1;
      return json;
    };
    server.fault('summary', { kind: 'rewrite', edit: bump, times: 5 });
    const correctionsPerPoll: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const before = batches.length;
      await scheduler.runNext();
      correctionsPerPoll.push(batches.slice(before).reduce((n, b) => n + b.corrections.length, 0));
    }
    // Polls 1-5 serve the bumped score (reported at the third), polls 6-8 the original again (reported at the eighth).
    expect(correctionsPerPoll).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    const [up, down] = batches.flatMap((b) => b.corrections);
    expect(up).toMatchObject({
      eventId: target.id,
      current: { homeScore: target.homeScore + 1 },
      stablePolls: 3,
    });
    expect(down).toMatchObject({ eventId: target.id, current: { homeScore: target.homeScore } });

    const gone = events[42]!;
    // biome-ignore lint/suspicious/noExplicitAny: editing recorded JSON
    const drop = (json: any) => ({
      ...json,
      plays: json.plays.filter((p: { id: string }) => !gone.id.endsWith(`:${p.id}`)),
    });
    server.fault('summary', { kind: 'rewrite', edit: drop, times: 3 });
    for (let i = 0; i < 4; i += 1) await scheduler.runNext();
    expect(batches.flatMap((b) => b.removed.map((r) => r.eventId))).toEqual([gone.id]);
    expect(batches.flatMap((b) => b.events)).toHaveLength(100);
    await monitor.stop();
  });

  it('merges the NBA liveData play-by-play running ahead: each moment once, from the first feed to bring it', async () => {
    const twin = liveDataTwin(final, '0042400306');
    server = await startReplayServer([
      {
        league: 'nba',
        final,
        pregame,
        playsPerStep: 30,
        nbaLive: { gameId: '0042400306', playByPlay: twin.playByPlay, leadActions: 20 },
      },
    ]);
    // The box score is missing (404) and the play-by-play fails for a while: ESPN goes on regardless.
    server.fault('/nbalive/playbyplay', { kind: 'status', status: 500, times: 4 });
    const scheduler = new ManualScheduler(START - 5 * 60_000);
    const batches: GameBatch[] = [];
    const monitor = new GameMonitor({
      league: 'nba',
      espnId: '401772994',
      summaryUrl: `${server.baseUrl}/basketball/nba/summary?event=401772994`,
      nbaLive: {
        playByPlayUrl: `${server.baseUrl}/nbalive/playbyplay/playbyplay_0042400306.json`,
        boxscoreUrl: `${server.baseUrl}/nbalive/boxscore/boxscore_0042400306.json`,
      },
      fetcher: fastFetcher(),
      sink: async (b) => {
        batches.push(b);
      },
      scheduler,
      random: () => 0.5,
    });
    await follow(server, scheduler, monitor);
    const handed = batches.flatMap((b) => b.events);
    const espnEvents = parseEspnSummary(final, { league: 'nba' }).events;
    // Every ESPN play once: shared moments under their merged id, the rest under ESPN's.
    const want = espnEvents.map((e) => {
      const key = sharedKey(e);
      return key === undefined ? e.id : mergedEventId('espn:401772994', key);
    });
    expect(handed.map((e) => e.id).sort()).toEqual([...want].sort());
    const fromLive = batches.filter((b) => b.source === 'nbalive');
    expect(fromLive.flatMap((b) => b.events).length).toBeGreaterThan(20);
    expect(new Set(fromLive.map((b) => b.gameId))).toEqual(new Set(['espn:401772994']));
    expect(batches.filter((b) => b.final).map((b) => b.source)).toEqual(['espn']);
    expect(server.requests.filter((r) => r.fault === 'status').length).toBe(4);
    expect(monitor.status().status).toBe('done');
  });
});
