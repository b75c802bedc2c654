/**
 * `npm run bench`: replays the recorded NBA and NFL games at full speed through
 * the whole pipeline (significance, routing, writing, verification, queue,
 * outbox) on a fresh embedded store, and prints events per second, the latency
 * from ingestion to queued, and peak memory.
 *
 * Targets on a 2-core machine: >= 2,000 events/s, p99 <= 50 ms, peak RSS <= 400 MB.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/app/config.ts';
import { createEngine } from '../src/app/engine.ts';
import { loadRecording } from '../src/app/recordings.ts';
import { ManualClock } from '../src/pipeline/clock.ts';
import { mergeTimelines, replayAtFullSpeed } from '../src/pipeline/replay.ts';
import { openStore } from '../src/store/store.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const files = [
  root('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json'),
  root('fixtures/espn/nfl_summary_401547417_GB-ATL_2023-09-17.json'),
];

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const config = loadConfig(root('demo/wirereport.yaml'), { env: {} });
const recordings = await Promise.all(files.map((f) => loadRecording(f)));
const timeline = mergeTimelines(recordings.map((r) => r.events));
console.log(
  `replay benchmark: ${timeline.length} events from ${files.length} recorded games, ${rounds} round(s), ${config.accounts.length} accounts`,
);

const results: { eps: number; p50: number; p95: number; p99: number; posts: number; published: number }[] =
  [];
for (let round = 0; round < rounds; round++) {
  const store = await openStore({ dataDir: 'memory' });
  const clock = new ManualClock(timeline[0]!.occurredAt);
  const engine = await createEngine({ config, clock, store });
  const started = performance.now();
  const stats = await replayAtFullSpeed(timeline, clock, {
    ingestor: engine.ingestor,
    publisher: engine.publisher,
  });
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  results.push({
    eps: stats.events / seconds,
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    posts: stats.posts.length,
    published: stats.published,
  });
  await engine.close();
  await store.close();
  const r = results[results.length - 1]!;
  console.log(
    `round ${round + 1}: ${stats.events} events in ${seconds.toFixed(2)} s = ${r.eps.toFixed(0)} events/s; ` +
      `ingestion to queued p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms; ` +
      `${r.posts} drafts, ${r.published} published`,
  );
}
clearInterval(sampler);
const best = results.reduce((a, b) => (b.eps > a.eps ? b : a));
const median = [...results].sort((a, b) => a.eps - b.eps)[Math.floor(results.length / 2)]!;
console.log('');
console.log(
  `events/s (median of ${results.length}): ${median.eps.toFixed(0)} events/s   (best ${best.eps.toFixed(0)}; target >= 2000)`,
);
console.log(
  `ingestion->queued latency (median round): p50 ${median.p50.toFixed(2)} ms, p95 ${median.p95.toFixed(2)} ms, p99 ${median.p99.toFixed(2)} ms   (target p99 <= 50 ms)`,
);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB   (target <= 400 MB)`);
