import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type League, SPORT_OF } from '../../src/domain/index.ts';

/**
 * A real local HTTP server (node:http on 127.0.0.1, port 0) that plays recorded
 * ESPN files back as if the games were live, for tests of pollers:
 *
 * - `GET /{sport}/{league}/summary?event={id}`: the pre-game capture, then growing
 *   prefixes of the final play list (basketball `plays[]`, football
 *   `drives.previous[].plays[]` with the unfinished drive as `drives.current`)
 *   with the header's status, period, clock, scores and linescores set from the
 *   last play of the prefix, and finally the final file itself;
 * - `GET /{sport}/{league}/scoreboard`: every game of that league in the same
 *   state as its summary (pre → in → post in step);
 * - `GET /nbalive/playbyplay/playbyplay_{gameId}.json` and
 *   `/nbalive/boxscore/boxscore_{gameId}.json` (cdn.nba.com's liveData paths under
 *   `/nbalive`) for games registered with liveData files: growing prefixes of
 *   `actions[]` in step with the summary (`leadActions` ahead of it), and the box
 *   score (status 2 until the end);
 * - `GET /nbalive/scoreboard/todaysScoreboard_00.json` (`_10` for the WNBA): the
 *   liveData scoreboard of the games registered with `nbaLive.teams`.
 *
 * Time moves by `step()` (one step adds `playsPerStep` plays to every live game)
 * or on a timer with `play(intervalMs)`. Answers carry an `ETag` and honour
 * `If-None-Match` with a 304. Faults are injected per URL with `fault()`.
 */
export interface ReplayGame {
  league: League;
  /** The final summary (parsed JSON). */
  final: unknown;
  /** The pre-game capture; derived from the final file when absent. */
  pregame?: unknown;
  /** Serve the recording under this ESPN id instead of its own (to play one file as many games). */
  espnId?: string;
  /** Plays added per step. Default 25. */
  playsPerStep?: number;
  /** The step at which the game goes live (before it: pre-game). Default 1. */
  startStep?: number;
  /** Scheduled start to state in the pre-game header and scoreboard (ISO); default the recording's. */
  startTime?: string;
  /** cdn.nba.com liveData files of the same game, replayed in step. */
  nbaLive?: {
    gameId: string;
    playByPlay: unknown;
    boxscore?: unknown;
    /** Actions served ahead of the summary's plays (liveData runs ahead of ESPN). Default 0. */
    leadActions?: number;
    /** The teams as the league's scoreboard names them; the game is listed there only when given. */
    teams?: { away: NbaLiveTeam; home: NbaLiveTeam };
  };
}

/** A team in the liveData scoreboard. */
export interface NbaLiveTeam {
  teamId: number;
  teamTricode: string;
  teamName: string;
  teamCity: string;
}

export type ReplayFault =
  /** Answer with this status (e.g. 500, or 429 with Retry-After). */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; times?: number }
  /** Never answer; the request hangs until the client aborts it. */
  | { kind: 'timeout'; times?: number }
  /** 200 with the first half of the body (invalid JSON). */
  | { kind: 'truncate'; times?: number }
  /** Keep answering the body served when the stall began, whatever the step. */
  | { kind: 'stall'; times?: number }
  /** Serve the JSON as edited by `edit` (a score correction, a removed play...). */
  // biome-ignore lint/suspicious/noExplicitAny: tests edit recorded JSON structurally.
  | { kind: 'rewrite'; edit: (json: any) => unknown; times?: number };

export interface ReplayRequest {
  path: string;
  status: number | 'hung';
  fault?: ReplayFault['kind'];
}

export interface ReplayServer {
  /** "http://127.0.0.1:<port>"; ESPN-style URLs are `${baseUrl}/{sport}/{league}/...`. */
  readonly baseUrl: string;
  /** Steps taken so far (0 at start). */
  readonly stepIndex: number;
  /** Every request answered (or hung), in order. */
  readonly requests: ReplayRequest[];
  /** Advances every game by `count` steps. */
  step(count?: number): void;
  /**
   * Builds every game's summary answer at step `at` (default: the next) ahead
   * of time, as a CDN has its bytes ready: a step then costs nothing at request time.
   * One game per turn of the event loop, so requests are answered meanwhile.
   */
  prepare(at?: number): Promise<void>;
  /** Whether every registered game is final at the current step. */
  allFinal(): boolean;
  /** State of one game at the current step. */
  stateOf(espnId: string): 'pre' | 'in' | 'post';
  /** Steps until every game is final. */
  stepsToFinal(): number;
  /** Steps automatically every `intervalMs` until `pause()` or `close()`. */
  play(intervalMs: number): void;
  pause(): void;
  /** Injects a fault for requests whose path (with query) contains `match` or matches it. `times` defaults to unlimited. */
  fault(match: string | RegExp, fault: ReplayFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface Registered {
  game: ReplayGame;
  espnId: string;
  sport: string;
  final: Summary;
  pregame: Summary;
  plays: number;
  playsPerStep: number;
  startStep: number;
  /** Summary answers by plays shown, with their entity tags. */
  frames: Map<number, Frame>;
}

interface Frame {
  text: string;
  etag: string;
  /** The summary's competition header, for the scoreboard. */
  competition: Summary;
}

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON is edited structurally here, typed by the parsers under test.
type Summary = any;

interface ActiveFault {
  match: string | RegExp;
  fault: ReplayFault;
  remaining: number;
  stalled?: Map<string, string>;
}

/** Starts a replay server for `games`. Close it with `close()`. */
export async function startReplayServer(
  games: readonly ReplayGame[],
  options: { etags?: boolean } = {},
): Promise<ReplayServer> {
  const etags = options.etags ?? true;
  const registered = games.map(register);
  const byId = new Map(registered.map((r) => [r.espnId, r]));
  const faults: ActiveFault[] = [];
  const requests: ReplayRequest[] = [];
  const hung = new Set<ServerResponse>();
  let stepIndex = 0;
  let timer: NodeJS.Timeout | undefined;

  /** Plays shown at step `at` (default the current); -1 before the game, `plays` when final. */
  const shown = (r: Registered, at = stepIndex): number => {
    const local = at - r.startStep;
    if (local < 0) return -1;
    return Math.min(r.plays, (local + 1) * r.playsPerStep);
  };
  const stateOf = (r: Registered) => {
    const n = shown(r);
    return n < 0 ? 'pre' : n >= r.plays ? 'post' : 'in';
  };

  const summaryFrame = (r: Registered, at = stepIndex): Frame => {
    const n = shown(r, at);
    let frame = r.frames.get(n);
    if (frame === undefined) {
      const summary = n < 0 ? r.pregame : n >= r.plays ? r.final : prefixSummary(r.final, n, r.sport);
      const text = JSON.stringify(summary);
      frame = { text, etag: entityTag(text), competition: summary.header.competitions[0] };
      r.frames.set(n, frame);
    }
    return frame;
  };

  // A scoreboard changes only when the step does: build it once per step and league.
  const scoreboards = new Map<string, { step: number; text: string }>();
  const scoreboardText = (sport: string, league: string): string => {
    const key = `${sport}/${league}`;
    const cached = scoreboards.get(key);
    if (cached?.step === stepIndex) return cached.text;
    const text = buildScoreboardText(sport, league);
    scoreboards.set(key, { step: stepIndex, text });
    return text;
  };

  const buildScoreboardText = (sport: string, league: string): string => {
    const events = registered
      .filter((r) => r.sport === sport && r.game.league === league)
      .map((r) => {
        const { competition } = summaryFrame(r);
        return {
          id: r.espnId,
          date: competition.date,
          status: competition.status,
          competitions: [
            {
              id: r.espnId,
              date: competition.date,
              status: competition.status,
              competitors: competition.competitors,
            },
          ],
        };
      });
    return JSON.stringify({ leagues: [{ slug: league }], events });
  };

  const nbaLiveText = (kind: string, gameId: string): string | undefined => {
    const r = registered.find((x) => x.game.nbaLive?.gameId === gameId);
    const live = r?.game.nbaLive;
    if (!r || !live) return undefined;
    const n = shown(r);
    if (kind === 'boxscore') {
      if (!live.boxscore) return undefined;
      const box = structuredClone(live.boxscore) as Summary;
      if (n < r.plays) box.game.gameStatus = n < 0 ? 1 : 2;
      return JSON.stringify(box);
    }
    const pbp = live.playByPlay as Summary;
    const actions: unknown[] = pbp.game.actions;
    const count =
      n < 0
        ? 0
        : n >= r.plays
          ? actions.length
          : Math.min(actions.length, Math.floor((actions.length * n) / r.plays) + (live.leadActions ?? 0));
    return JSON.stringify({ ...pbp, game: { ...pbp.game, actions: actions.slice(0, count) } });
  };

  const nbaScoreboardText = (code: string): string => {
    const league = code === '10' ? 'wnba' : 'nba';
    const games = registered
      .filter((r) => r.game.league === league && r.game.nbaLive?.teams)
      .map((r) => {
        const live = r.game.nbaLive!;
        const n = shown(r);
        return {
          gameId: live.gameId,
          gameStatus: n < 0 ? 1 : n >= r.plays ? 3 : 2,
          gameTimeUTC: r.pregame.header.competitions[0].date,
          homeTeam: live.teams!.home,
          awayTeam: live.teams!.away,
        };
      });
    return JSON.stringify({ scoreboard: { gameDate: '', leagueId: code, games } });
  };

  const route = (url: URL): Frame | string | undefined => {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'nbalive' && parts.length === 3) {
      const file = parts[2] ?? '';
      if (parts[1] === 'scoreboard') {
        const code = /^todaysScoreboard_(\d\d)\.json$/.exec(file)?.[1];
        return code === undefined ? undefined : nbaScoreboardText(code);
      }
      const id = new RegExp(`^${parts[1]}_(\\w+)\\.json$`).exec(file)?.[1];
      return id === undefined ? undefined : nbaLiveText(parts[1] ?? '', id);
    }
    if (parts.length !== 3) return undefined;
    const [sport, league, what] = parts as [string, string, string];
    if (what === 'scoreboard') return scoreboardText(sport, league);
    if (what === 'summary') {
      const r = byId.get(url.searchParams.get('event') ?? '');
      if (!r || r.sport !== sport || r.game.league !== league) return undefined;
      return summaryFrame(r);
    }
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const url = new URL(path, 'http://127.0.0.1');
    const answer = route(url);
    const body = typeof answer === 'string' ? answer : answer?.text;
    const active = faults.find((f) => f.remaining > 0 && matches(f.match, path));
    if (active) active.remaining -= 1;
    const log = (status: number | 'hung') =>
      requests.push({ path, status, ...(active ? { fault: active.fault.kind } : {}) });
    if (active?.fault.kind === 'timeout') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      log('hung');
      return;
    }
    if (active?.fault.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (active.fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(active.fault.retryAfterSeconds);
      res.writeHead(active.fault.status, headers).end('{"error":"injected"}');
      log(active.fault.status);
      return;
    }
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      log(404);
      return;
    }
    let text = body;
    if (active?.fault.kind === 'stall') {
      active.stalled ??= new Map();
      text = active.stalled.get(path) ?? body;
      active.stalled.set(path, text);
    }
    if (active?.fault.kind === 'rewrite') text = JSON.stringify(active.fault.edit(JSON.parse(text)));
    if (active?.fault.kind === 'truncate') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(text.slice(0, Math.floor(text.length / 2)));
      log(200);
      return;
    }
    const etag = typeof answer === 'object' && text === answer.text ? answer.etag : entityTag(text);
    if (etags && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      log(304);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...(etags ? { etag } : {}) }).end(text);
    log(200);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get stepIndex() {
      return stepIndex;
    },
    requests,
    step(count = 1) {
      stepIndex += count;
    },
    async prepare(at = stepIndex + 1) {
      for (const r of registered) {
        summaryFrame(r, at);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    allFinal: () => registered.every((r) => stateOf(r) === 'post'),
    stateOf(espnId) {
      const r = byId.get(espnId);
      if (!r) throw new Error(`replay server: no game ${espnId}`);
      return stateOf(r);
    },
    stepsToFinal: () =>
      Math.max(
        0,
        ...registered.map((r) => r.startStep + Math.ceil(r.plays / r.playsPerStep) - 1 - stepIndex),
      ),
    play(intervalMs) {
      clearInterval(timer);
      timer = setInterval(() => {
        stepIndex += 1;
      }, intervalMs);
    },
    pause() {
      clearInterval(timer);
      timer = undefined;
    },
    fault(match, fault) {
      faults.push({ match, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults.length = 0;
    },
    async close() {
      clearInterval(timer);
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function entityTag(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url')}"`;
}

function matches(match: string | RegExp, path: string): boolean {
  return typeof match === 'string' ? path.includes(match) : match.test(path);
}

function register(game: ReplayGame): Registered {
  const final: Summary = structuredClone(game.final);
  const espnId = game.espnId ?? String(final.header.id);
  setId(final, espnId);
  const pregame: Summary = game.pregame ? structuredClone(game.pregame) : derivePregame(final);
  setId(pregame, espnId);
  if (game.startTime) {
    for (const s of [pregame, final]) s.header.competitions[0].date = game.startTime;
  }
  const sport = SPORT_OF[game.league];
  return {
    game,
    espnId,
    sport,
    final,
    pregame,
    plays: flatPlays(final).length,
    playsPerStep: game.playsPerStep ?? 25,
    startStep: game.startStep ?? 1,
    frames: new Map(),
  };
}

function setId(summary: Summary, espnId: string): void {
  summary.header.id = espnId;
  summary.header.competitions[0].id = espnId;
}

function derivePregame(final: Summary): Summary {
  const pre = structuredClone(final);
  delete pre.plays;
  delete pre.drives;
  delete pre.scoringPlays;
  pre.boxscore = { teams: pre.boxscore?.teams ?? [] };
  const competition = pre.header.competitions[0];
  competition.status = {
    type: { id: '1', name: 'STATUS_SCHEDULED', state: 'pre', completed: false, detail: 'Scheduled' },
  };
  for (const c of competition.competitors) {
    delete c.score;
    delete c.linescores;
    delete c.winner;
  }
  return pre;
}

/** The plays of a summary in feed order (football drives flattened, each play once). */
function flatPlays(summary: Summary): Summary[] {
  if (Array.isArray(summary.plays)) return summary.plays;
  const seen = new Set<string>();
  const out: Summary[] = [];
  for (const drive of [
    ...(summary.drives?.previous ?? []),
    ...(summary.drives?.current ? [summary.drives.current] : []),
  ])
    for (const play of drive.plays ?? []) {
      if (seen.has(play.id)) continue;
      seen.add(play.id);
      out.push(play);
    }
  return out;
}

const ORDINALS = ['1st', '2nd', '3rd', '4th'];

/** The final summary cut to its first `n` plays, with the header as it stood after play `n`. */
function prefixSummary(final: Summary, n: number, sport: string): Summary {
  const summary = structuredClone(final);
  const all = flatPlays(final);
  const plays = all.slice(0, n);
  if (Array.isArray(final.plays)) {
    summary.plays = plays;
  } else {
    const ids = new Set(plays.map((p) => p.id));
    const previous: Summary[] = [];
    let current: Summary | undefined;
    for (const drive of final.drives?.previous ?? []) {
      const all: Summary[] = drive.plays ?? [];
      const kept = all.filter((p) => ids.has(p.id));
      if (kept.length === 0) break;
      if (kept.length === all.length) {
        previous.push(drive);
        continue;
      }
      // The drive under way: ESPN lists it as `drives.current`, without a result yet.
      current = { ...drive, plays: kept };
      delete current.result;
      break;
    }
    summary.drives = { previous, ...(current ? { current } : {}) };
    if (Array.isArray(final.scoringPlays))
      summary.scoringPlays = final.scoringPlays.filter((p: Summary) => ids.has(p.id));
  }
  const last = plays.at(-1);
  const competition = summary.header.competitions[0];
  const period: number = last?.period?.number ?? 1;
  const clock: string = last?.clock?.displayValue ?? '';
  const type = String(last?.type?.text ?? '').toLowerCase();
  const unit = sport === 'hockey' ? 'Period' : sport === 'baseball' ? 'Inning' : 'Quarter';
  const periodName = `${ORDINALS[period - 1] ?? `OT${period - 4}`} ${unit}`;
  const endOfPeriod = type === 'end period' || type.startsWith('end of');
  const halftime = endOfPeriod && period === 2 && (sport === 'basketball' || sport === 'football');
  competition.status = {
    period,
    displayClock: clock,
    type: {
      id: '2',
      name: halftime ? 'STATUS_HALFTIME' : endOfPeriod ? 'STATUS_END_PERIOD' : 'STATUS_IN_PROGRESS',
      state: 'in',
      completed: false,
      detail: halftime ? 'Halftime' : endOfPeriod ? `End of ${periodName}` : `${clock} - ${periodName}`,
      shortDetail: halftime ? 'Halftime' : `${clock} - ${period}`,
    },
  };
  for (const competitor of competition.competitors) {
    const side = competitor.homeAway === 'home' ? 'homeScore' : 'awayScore';
    competitor.score = String(last?.[side] ?? 0);
    const lines: number[] = [];
    let before = 0;
    for (const play of plays) {
      const score = Number(play[side]);
      const p = play.period?.number ?? 1;
      while (lines.length < p) lines.push(0);
      lines[p - 1] = (lines[p - 1] ?? 0) + (score - before);
      before = score;
    }
    competitor.linescores = lines.map((value) => ({ displayValue: String(value) }));
    delete competitor.winner;
  }
  if (summary.meta) summary.meta.gameState = 'in';
  return summary;
}
