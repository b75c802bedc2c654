/**
 * `npm run bench:live`: 30 recorded games served at the same time by the
 * replay server at accelerated speed (one step of 12 plays per second per game),
 * watched by the engine's slate watcher with accelerated polling (1 s live),
 * every play scored, written, verified and stored in the embedded store (a
 * data folder, the engine's default; `BENCH_STORE=memory` keeps it in memory).
 *
 * Prints the delay between a play being served and its event existing
 * (p50, p99), the part of it the engine adds after the poll that fetched the
 * play, CPU use and peak memory. Target: p99 at most 100 ms beyond the poll
 * interval.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/app/config.ts';
import { createEngine } from '../src/app/engine.ts';
import { systemClock } from '../src/pipeline/clock.ts';
import { LiveIngest } from '../src/pipeline/live.ts';
import { LiveSummaryParser, parseEspnSummary } from '../src/sources/espn/index.ts';
import { FeedFetcher } from '../src/sources/http/index.ts';
import { SlateWatcher, systemScheduler } from '../src/sources/live/index.ts';
import { openStore } from '../src/store/store.ts';
import { dataFolders } from './data-folders.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const GAMES = Number(process.env.BENCH_GAMES ?? 30);
const PLAYS_PER_STEP = 12;
const STEP_MS = 1000;
const POLL_MS = 1000;

const final = JSON.parse(
  readFileSync(root('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json'), 'utf8'),
);
const start = new Date(Date.now() + 60_000).toISOString();

// Same games as the server process registers (ids, start steps).
const games = Array.from({ length: GAMES }, (_, i) => ({
  espnId: String(700000000 + i),
  playsPerStep: PLAYS_PER_STEP,
  startStep: 2 + (i % 3),
}));
const child = fork(root('bench/replay-server-process.ts'), [String(GAMES), String(PLAYS_PER_STEP), start], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const baseUrl = await new Promise<string>((resolve, reject) => {
  child.once('error', reject);
  child.once('message', (m: { type: string; baseUrl: string }) => resolve(m.baseUrl));
});
let allFinal = false;
const folders = dataFolders();
const store = await openStore({ dataDir: folders.fresh() });
const config = loadConfig(root('demo/wirereport.yaml'), { env: {} });
const engine = await createEngine({ config, clock: systemClock, store });

// Index of each play in its game's feed, to know the step that first served it.
const playIndex = new Map<string, number>();
for (const [i, p] of (final as { plays: { id: string }[] }).plays.entries()) playIndex.set(p.id, i);
const stepTimes: number[] = [Date.now()];
const delays: number[] = [];
const engineAdded: number[] = [];
let events = 0;
let posts = 0;

const live = new LiveIngest({
  store,
  ingestor: engine.ingestor,
  clock: systemClock,
  onBatch: (batch, results, storedAt) => {
    const espnId = batch.gameId.split(':')[1]!;
    const game = games.find((g) => g.espnId === espnId)!;
    for (const event of batch.events) {
      const playId = event.id.split(':play:')[1];
      const index = playId === undefined ? undefined : playIndex.get(playId.replace(espnId, '401772994'));
      if (index === undefined) continue;
      const servedAt = stepTimes[game.startStep + Math.floor(index / game.playsPerStep)];
      if (servedAt === undefined) continue;
      delays.push(storedAt - servedAt);
      engineAdded.push(storedAt - batch.polledAt);
    }
    events += batch.events.length;
    posts += results.reduce((n, r) => n + r.posts.length, 0);
  },
});
const fetcher = new FeedFetcher({
  timeoutMs: 8000,
  perHostConcurrency: Number(process.env.BENCH_HOST_CONCURRENCY ?? 4),
});
// Count summary polls, for CPU time per poll (less sensitive to the machine's load than latency).
let polls = 0;
const fetchJson = fetcher.fetchJson.bind(fetcher);
fetcher.fetchJson = (url, options) => {
  if (url.includes('/summary')) polls += 1;
  return fetchJson(url, options);
};
const watcher = new SlateWatcher({
  fetcher,
  sink: live.sink,
  scheduler: systemScheduler(),
  baseUrl,
  leagues: ['nba'],
  scoreboardIntervalMs: 1000,
  polling: {
    liveMs: POLL_MS,
    clutchMs: POLL_MS,
    breakMs: POLL_MS,
    halftimeMs: POLL_MS,
    pregameMs: POLL_MS,
    jitter: 0.1,
  },
});

// Peak RSS as the kernel counts it (threads included; a timer sampling memoryUsage misses
// the bursts of V8 compiling PGlite's WebAssembly on background threads).
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const cpu0 = process.cpuUsage();
console.log(
  `load average at the start (1, 5, 15 min): ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
);
const t0 = performance.now();
console.log(
  `live benchmark: ${GAMES} games, ${PLAYS_PER_STEP} plays per game per ${STEP_MS} ms, polling every ${POLL_MS} ms, embedded store ${folders.description}`,
);
watcher.start();
child.on('message', (m: { type: string; at: number; allFinal: boolean }) => {
  if (m.type !== 'stepped') return;
  stepTimes.push(m.at);
  allFinal = m.allFinal;
});
const stepper = setInterval(() => child.send({ type: 'step' }), STEP_MS);
while (!allFinal || watcher.games().some((g) => g.status === 'polling')) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  if (performance.now() - t0 > 10 * 60_000) throw new Error('the slate did not finish in 10 minutes');
}
clearInterval(stepper);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await watcher.stop();
child.send({ type: 'close' });
await engine.close();
await store.close();
folders.dispose();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
};
console.log(
  `${events} events, ${posts} drafts from ${GAMES} games in ${seconds.toFixed(1)} s (${(events / seconds).toFixed(0)} events/s)`,
);
console.log(
  `served -> event stored: p50 ${pct(delays, 50).toFixed(0)} ms, p99 ${pct(delays, 99).toFixed(0)} ms (includes waiting for the next poll, interval ${POLL_MS} ms)`,
);
console.log(
  `added by the engine after the poll: p50 ${pct(engineAdded, 50).toFixed(0)} ms, p99 ${pct(engineAdded, 99).toFixed(0)} ms   (target p99 <= 100 ms)`,
);
console.log(`beyond the poll interval: p99 ${Math.max(0, pct(delays, 99) - POLL_MS).toFixed(0)} ms`);
console.log(
  `CPU: ${(((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100).toFixed(0)}% of one core (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s)`,
);
console.log(`peak RSS: ${(peakRss() / 1024 / 1024).toFixed(0)} MB`);
console.log(
  `CPU per summary poll: ${((cpu.user + cpu.system) / 1000 / Math.max(1, polls)).toFixed(1)} ms over ${polls} polls (whole process: fetch, parse, score, write, verify, store)`,
);
/**
 * Parsing alone, on one game's successive polls (12 more plays each): CPU time per poll of the
 * full parse every poll did before, and of the incremental parser. CPU time, so load matters little.
 * Run after the live scenario, so its garbage does not count in the scenario's peak memory.
 */
function parseCpuPerPoll(): void {
  const polls: string[] = [];
  for (let n = 0; n <= final.plays.length; n += PLAYS_PER_STEP) {
    const poll = structuredClone(final);
    poll.plays = final.plays.slice(0, n);
    poll.header.competitions[0].status.type.state = 'in';
    polls.push(JSON.stringify(poll));
  }
  const cpuPerPoll = (parse: (json: unknown) => unknown, fresh: () => void): number => {
    const rounds = 5;
    const before = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      fresh();
      for (const text of polls) parse(JSON.parse(text));
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / (rounds * polls.length);
  };
  const jsonOnly = cpuPerPoll(
    (j) => j,
    () => {},
  );
  const full = cpuPerPoll(
    (j) => parseEspnSummary(j, { league: 'nba' }),
    () => {},
  );
  let parser = new LiveSummaryParser({ league: 'nba' });
  const incremental = cpuPerPoll(
    (j) => parser.parse(j),
    () => {
      parser = new LiveSummaryParser({ league: 'nba' });
    },
  );
  console.log(
    `parse CPU per poll (${polls.length} polls of one game): JSON.parse ${jsonOnly.toFixed(2)} ms; with the full parse ${full.toFixed(2)} ms; with the incremental parser ${incremental.toFixed(2)} ms`,
  );
}
parseCpuPerPoll();
console.log(
  `load average at the end (1, 5, 15 min): ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
);
