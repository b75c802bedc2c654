/**
 * `npm run bench:cost`: the cost per published post of a replayed game with LLM writing, using the
 * default price table (docs/platforms.md) and the fake OpenAI server's token counts (about 4 characters
 * a token, as OpenAI's tokenizers give for English). Replays the recorded NBA game through the whole
 * pipeline on an in-memory store twice: direct calls only (strong model for breaking events, cheap for
 * routine ones), then with routine posts batched (template now, batch text in place when in time).
 * Prints micro-dollars and dollars, per published post, per account and for the game.
 */
import { fileURLToPath } from 'node:url';
import { loadRecording } from '../src/app/recordings.ts';
import { ManualClock } from '../src/pipeline/clock.ts';
import { publishUntil, type ReplayStats } from '../src/pipeline/replay.ts';
import { GameTracker } from '../src/signals/game-tracker.ts';
import { batchItemCounts, costPerPublishedPost } from '../src/store/costs.ts';
import { openStore } from '../src/store/store.ts';
import { startFakeOpenAi } from '../test/support/llm/fake-openai.ts';
import { openAiConfig, wireLlmEngine } from '../test/support/llm/wiring.ts';

const file = fileURLToPath(
  new URL('../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url),
);
const recording = await loadRecording(file);
const fake = await startFakeOpenAi();

const usd = (micros: number) => `$${(Math.ceil(micros) / 1e6).toFixed(6)}`;

async function run(label: string, batch: boolean): Promise<void> {
  const store = await openStore({ dataDir: 'memory' });
  const clock = new ManualClock(recording.events[0]!.occurredAt);
  const llm = openAiConfig(fake.url, {
    batch: { enabled: batch, maxWaitMs: 600_000, gatherMs: 30_000, maxItems: 100, lateFallback: 'template' },
  });
  const engine = await wireLlmEngine(store, clock, llm);
  const tracker = new GameTracker();
  const stats: ReplayStats = { events: 0, duplicates: 0, posts: [], published: 0, expired: 0, latencies: [] };
  const started = performance.now();
  for (const event of recording.events) {
    await publishUntil(engine.publisher, clock, event.occurredAt, stats, {});
    clock.advanceTo(event.occurredAt);
    const results = await engine.ingestor.ingest(tracker.push(event));
    for (const r of results) stats.posts.push(...r.posts);
    if (engine.stack.batch) await engine.stack.batch.tick();
  }
  // Let the last batches come back (each tick is one poll), then publish what remains.
  for (let i = 0; i < 3 && engine.stack.batch; i++) {
    clock.advanceTo(clock.now() + 30_000);
    await engine.stack.batch.tick();
  }
  await publishUntil(engine.publisher, clock, Number.POSITIVE_INFINITY, stats, {});
  const seconds = (performance.now() - started) / 1000;
  const ledger = await store.db
    .selectFrom('cost_ledger')
    .select(['kind', 'model', 'tokens_in', 'tokens_out', 'usd_micros'])
    .execute();
  const byKind = new Map<string, { calls: number; in: number; out: number; micros: number }>();
  for (const r of ledger) {
    const key = `${r.kind} ${r.model ?? ''}`.trim();
    const e = byKind.get(key) ?? { calls: 0, in: 0, out: 0, micros: 0 };
    e.calls++;
    e.in += r.tokens_in;
    e.out += r.tokens_out;
    e.micros += r.usd_micros;
    byKind.set(key, e);
  }
  const daily = await costPerPublishedPost(store.db, {
    from: new Date(0),
    to: new Date(clock.now() + 86_400_000),
  });
  const total = daily.reduce((n, d) => n + d.totalUsdMicros, 0);
  const llmTotal = daily.reduce((n, d) => n + d.llmUsdMicros, 0);
  const published = daily.reduce((n, d) => n + d.published, 0);
  const writers = new Map<string, number>();
  for (const p of await store.db
    .selectFrom('posts')
    .select('writer')
    .where('status', '=', 'published')
    .execute()) {
    writers.set(p.writer, (writers.get(p.writer) ?? 0) + 1);
  }
  console.log(`\n== ${label} (${seconds.toFixed(1)} s) ==`);
  console.log(
    `events ${recording.events.length}, drafts ${stats.posts.length}, published ${published} posts`,
  );
  console.log(`published by writer: ${[...writers].map(([w, n]) => `${w} ${n}`).join(', ')}`);
  for (const [k, e] of byKind) {
    console.log(
      `  ${k}: ${e.calls} calls, ${e.in} tokens in, ${e.out} tokens out, ${e.micros} micro-dollars (${usd(e.micros)})`,
    );
  }
  if (engine.stack.batch) console.log(`  batch items: ${JSON.stringify(await batchItemCounts(store.db))}`);
  for (const d of daily) {
    console.log(
      `  ${d.accountId} ${d.day}: ${d.published} published, LLM ${d.llmUsdMicros} micro-dollars, platform fees ${d.platformUsdMicros} micro-dollars, ` +
        `per published post ${d.perPublishedPostUsdMicros ?? '-'} micro-dollars`,
    );
  }
  console.log(
    `LLM cost per published post: ${published ? Math.ceil(llmTotal / published) : '-'} micro-dollars (${published ? usd(llmTotal / published) : '-'}); ` +
      `all costs per published post (LLM + platform fees): ${published ? Math.ceil(total / published) : '-'} micro-dollars (${published ? usd(total / published) : '-'})`,
  );
  await store.close();
}

await run('direct calls: strong gpt-5-mini for breaking, cheap gpt-5-nano for routine', false);
await run('routine posts batched (gpt-5-nano Batch API, half price), breaking direct on gpt-5-mini', true);
await fake.close();
