/**
 * `npm run bench`: replays the recorded NBA and NFL games at full speed
 * through the whole pipeline on a fresh embedded store and prints:
 *
 * - ingestion: events per second from feed events to checked, queued posts
 *   (significance, routing, writing, verification, storing), and the latency
 *   of each post from the start of its event's ingestion to being queued;
 * - the interleaved replay, as `wirereport replay` runs it (publishing between
 *   events so spacing and expiry behave as live): events per second, and the
 *   publishing part of it in posts per second from the queue to the outbox
 *   (claim, lease, publish, record);
 * - peak RSS of the process.
 *
 * Targets on a 2-core machine: ingestion >= 2,000 events/s, p99 <= 50 ms,
 * peak RSS <= 400 MB. `BENCH_ROUNDS` (default 3) sets the measured rounds;
 * one warm-up round runs first and is reported but not counted.
 *
 * The store is the embedded default, a PGlite data folder (in a temporary
 * directory): each round starts from a copy of one migrated folder, which a
 * child process creates so that PGlite's one-time initdb is not counted in
 * this process's memory.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/app/config.ts';
import { createEngine } from '../src/app/engine.ts';
import { loadRecording } from '../src/app/recordings.ts';
import { ManualClock } from '../src/pipeline/clock.ts';
import { mergeTimelines, replayAtFullSpeed } from '../src/pipeline/replay.ts';
import { pgliteWasmTier } from '../src/store/pglite-wasm.ts';
import { openStore } from '../src/store/store.ts';
import { dataFolders } from './data-folders.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const files = [
  root('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json'),
  root('fixtures/espn/nfl_summary_401547417_GB-ATL_2023-09-17.json'),
];

const folders = dataFolders();
const freshFolder = () => folders.fresh();

/**
 * Peak RSS as the kernel counts it (getrusage's maximum resident set size),
 * threads included. Sampling `process.memoryUsage()` on a timer misses peaks
 * such as V8's compile bursts on background threads (with
 * `WIREREPORT_PGLITE_WASM=optimizing`, one of a few hundred megabytes).
 */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * A running engine has one store: the rounds before this one leave only
 * garbage, which is collected before the next round opens its store (run with
 * --expose-gc). A closed PGlite is unreachable only a turn or two after its
 * close resolves; one collection right away sometimes finds it still held, and
 * then two instances' WebAssembly memories (about 140 MB each) overlap.
 */
async function releaseClosedStore(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  for (let attempt = 0; attempt < 100; attempt++) {
    gc();
    if (process.memoryUsage().external < 100 * 1024 * 1024) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const config = loadConfig(root('demo/wirereport.yaml'), { env: {} });
const recordings = await Promise.all(files.map((f) => loadRecording(f)));
const timeline = mergeTimelines(recordings.map((r) => r.events));
console.log(
  `replay benchmark: ${timeline.length} feed events from ${files.length} recorded games, ` +
    `${config.accounts.length} accounts, 1 warm-up + ${rounds} measured round(s), embedded store ${folders.description}, ` +
    `PGlite wasm on the ${pgliteWasmTier()} tier`,
);

interface Round {
  eps: number;
  p50: number;
  p95: number;
  p99: number;
  posts: number;
}
const results: Round[] = [];
// Every measured round's latencies: one round has about a hundred posts, so its
// p99 is close to its slowest post; pooled, the percentiles rest on all rounds.
const pooled: number[] = [];
for (let round = 0; round <= rounds; round++) {
  const store = await openStore({ dataDir: freshFolder() });
  const clock = new ManualClock(timeline[0]!.occurredAt);
  const engine = await createEngine({ config, clock, store });
  const started = performance.now();
  const stats = await replayAtFullSpeed(timeline, clock, { ingestor: engine.ingestor });
  const ingestSeconds = (performance.now() - started) / 1000;
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const r: Round = {
    eps: stats.events / ingestSeconds,
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    posts: stats.posts.length,
  };
  if (round > 0) {
    results.push(r);
    pooled.push(...stats.latencies);
  }
  await engine.close();
  await store.close();
  await releaseClosedStore();
  console.log(
    `${round === 0 ? 'warm-up' : `round ${round}`}: ingestion ${stats.events} events in ${ingestSeconds.toFixed(2)} s = ` +
      `${r.eps.toFixed(0)} events/s, queued p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, ` +
      `p99 ${r.p99.toFixed(2)} ms, ${r.posts} drafts`,
  );
}

// The replay as `wirereport replay` runs it: publishing between events.
const store = await openStore({ dataDir: freshFolder() });
const clock = new ManualClock(timeline[0]!.occurredAt);
const engine = await createEngine({ config, clock, store });
// Time spent in the publisher's calls (the replay awaits each in turn).
let publishMs = 0;
const publisher = engine.publisher;
for (const method of ['publishOne', 'reconcile', 'nextWake', 'sweep'] as const) {
  const call = publisher[method].bind(publisher) as (...args: unknown[]) => Promise<unknown>;
  (publisher as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    const t = performance.now();
    try {
      return await call(...args);
    } finally {
      publishMs += performance.now() - t;
    }
  };
}
const started = performance.now();
const interleaved = await replayAtFullSpeed(timeline, clock, {
  ingestor: engine.ingestor,
  publisher: engine.publisher,
});
const interleavedSeconds = (performance.now() - started) / 1000;
await engine.close();
await store.close();
folders.dispose();

const mid = [...results].sort((a, b) => a.eps - b.eps)[Math.floor(results.length / 2)]!;
console.log('');
console.log(
  `ingestion (median of ${results.length}): ${mid.eps.toFixed(0)} events/s   (best ${Math.max(...results.map((r) => r.eps)).toFixed(0)}; target >= 2000)`,
);
pooled.sort((a, b) => a - b);
console.log(
  `ingestion->queued latency (${pooled.length} posts of ${results.length} rounds): p50 ${pct(pooled, 50).toFixed(2)} ms, ` +
    `p95 ${pct(pooled, 95).toFixed(2)} ms, p99 ${pct(pooled, 99).toFixed(2)} ms, max ${(pooled.at(-1) ?? 0).toFixed(2)} ms   (target p99 <= 50 ms)`,
);
const publishSeconds = publishMs / 1000;
console.log(
  `interleaved replay (publishing between events): ${interleaved.events} events in ${interleavedSeconds.toFixed(2)} s = ` +
    `${(interleaved.events / interleavedSeconds).toFixed(0)} events/s; publishing ${interleaved.published} posts to the outbox ` +
    `took ${publishSeconds.toFixed(2)} s of it = ${(interleaved.published / publishSeconds).toFixed(0)} posts/s, ` +
    `${((publishSeconds * 1000) / interleaved.published).toFixed(2)} ms per post`,
);
console.log(`peak RSS: ${(peakRss() / 1024 / 1024).toFixed(0)} MB   (target <= 400 MB)`);
