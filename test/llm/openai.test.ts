import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { publishUntil, type ReplayStats } from '../../src/pipeline/replay.ts';
import { GameTracker } from '../../src/signals/game-tracker.ts';
import type { ScoredEvent } from '../../src/signals/scored-event.ts';
import { batchItemCounts, costPerPublishedPost } from '../../src/store/costs.ts';
import type { Store } from '../../src/store/store.ts';
import { verifyDraft } from '../../src/verify/verify-draft.ts';
import type { TickReport } from '../../src/write/llm/batch-queue.ts';
import { createMemoryLedger } from '../../src/write/llm/ledger.ts';
import { createLlmWriter, type LlmWriteRequest } from '../../src/write/llm/llm-writer.ts';
import { createLlmMetrics } from '../../src/write/llm/metrics.ts';
import { createOpenAiClient } from '../../src/write/llm/openai-client.ts';
import { costMicros, DEFAULT_PRICES } from '../../src/write/llm/prices.ts';
import { writeVerified } from '../../src/write/llm/repair.ts';
import { createProviderPolicy, type ResilienceOptions } from '../../src/write/llm/resilience.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/llm/fake-openai.ts';
import { type PrismProxy, startPrismProxy } from '../support/llm/prism.ts';
import { openAiConfig, wireLlmEngine } from '../support/llm/wiring.ts';
import { openTestStore } from '../support/store.ts';

const NBA = new URL('../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url)
  .pathname;
const DEMO = new URL('../../demo/wirereport.yaml', import.meta.url).pathname;

let fake: FakeOpenAi;
let prism: PrismProxy;
let scored: ScoredEvent[];

beforeAll(async () => {
  fake = await startFakeOpenAi();
  prism = await startPrismProxy(fake.url);
  const recording = await loadRecording(NBA);
  const tracker = new GameTracker();
  scored = recording.events.flatMap((e) => tracker.push(e));
}, 90_000);

afterAll(async () => {
  await prism?.close();
  await fake?.close();
});

afterEach(() => {
  fake.faults.length = 0;
  fake.batchOutcomes.length = 0;
  // No request or answer broke the description (prism logs those as errors; undocumented statuses
  // such as 500 only as warnings, since the description lists 200 and 429 alone).
  expect(prism.output()).not.toMatch(/error\s+Violation/);
});

/** A routine scored event with a score change, and the request for the demo's first account. */
function request(): LlmWriteRequest {
  const config = loadConfig(DEMO, { env: {} });
  const account = config.accounts[0]!;
  const s = scored.find(
    (x) => x.event.kind === 'score' && !x.significance.breaking && x.event.homeScore + x.event.awayScore > 20,
  )!;
  return {
    event: s.event,
    significance: s.significance,
    voice: config.voices.get(account.voiceId)!,
    platform: account.platform,
    teams: account.teams,
    variant: 0,
    maxLength: 280,
    accountId: account.id,
    postId: 'p_test',
  };
}

function writer(
  resilience: ResilienceOptions = {},
  budgets = { perAccountMicrosPerDay: 1e6, overallMicrosPerDay: 1e7 },
) {
  const registry = new Registry();
  const metrics = createLlmMetrics(registry);
  const ledger = createMemoryLedger();
  const client = createOpenAiClient({ apiKey: 'sk-test', baseURL: prism.url });
  const policy = createProviderPolicy({
    initialDelayMs: 5,
    maxDelayMs: 50,
    timeoutMs: 2_000,
    onRetry: () => metrics.retries.inc({ provider: 'openai' }),
    ...resilience,
  });
  const w = createLlmWriter({
    client,
    model: 'gpt-5-nano',
    tier: 'cheap',
    policy,
    prices: DEFAULT_PRICES,
    ledger,
    budgets,
    metrics,
    now: () => Date.UTC(2026, 0, 1, 12),
  });
  return { w, ledger, registry };
}

async function metric(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l));
  return v?.value ?? 0;
}

describe('OpenAI direct calls through the validating proxy', () => {
  it('writes a grounded post and records tokens and cost from the price table', async () => {
    const { w, ledger } = writer();
    const req = request();
    const draft = await w.write(req);
    expect(draft.writer).toBe('openai:gpt-5-nano');
    const verdict = verifyDraft({
      text: draft.text,
      ctx: { facts: req.event.game, event: req.event },
      platform: req.platform,
    });
    expect(verdict.reasons).toEqual([]);
    expect(ledger.entries).toHaveLength(1);
    const e = ledger.entries[0]!;
    expect(e.tokensIn).toBeGreaterThan(100);
    expect(e.tokensOut).toBeGreaterThan(0);
    expect(e.usdMicros).toBe(
      costMicros(
        DEFAULT_PRICES['gpt-5-nano']!,
        { input: e.tokensIn, cached: e.tokensCached, output: e.tokensOut },
        'direct',
      ),
    );
    expect(e).toMatchObject({
      accountId: req.accountId,
      postId: 'p_test',
      mode: 'direct',
      provider: 'openai',
    });
  });

  it('retries a 429 and a 500 with backoff, then succeeds', async () => {
    const { w, registry } = writer();
    fake.faults.push('rate_limit', 'server_error');
    const before = fake.chatCalls;
    const draft = await w.write(request());
    expect(fake.chatCalls - before).toBe(3);
    expect(draft.writer).toBe('openai:gpt-5-nano');
    expect(await metric(registry, 'wirereport_llm_retries_total')).toBe(2);
  });

  it('falls back to the template writer when 5xx persist', async () => {
    const { w, registry, ledger } = writer();
    fake.faults.push('server_error', 'server_error', 'server_error');
    const draft = await w.write(request());
    expect(draft.writer).toBe('template');
    expect(ledger.entries).toHaveLength(0);
    expect(await metric(registry, 'wirereport_llm_fallbacks_total', { reason: 'error' })).toBe(1);
  });

  it('times out a slow answer, retries, then falls back', async () => {
    const { w, registry } = writer({ timeoutMs: 150, maxAttempts: 2 });
    fake.slowMs = 600;
    fake.faults.push('slow', 'slow');
    const started = performance.now();
    const draft = await w.write(request());
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(draft.writer).toBe('template');
    expect(await metric(registry, 'wirereport_llm_fallbacks_total', { reason: 'timeout' })).toBe(1);
    await new Promise((r) => setTimeout(r, 700));
  });

  it('asks again after malformed output, and falls back after a second one (both billed)', async () => {
    const first = writer();
    fake.faults.push('malformed');
    expect((await first.w.write(request())).writer).toBe('openai:gpt-5-nano');
    expect(first.ledger.entries.map((e) => e.detail.malformed !== undefined)).toEqual([true, false]);
    const second = writer();
    fake.faults.push('malformed', 'malformed');
    expect((await second.w.write(request())).writer).toBe('template');
    expect(second.ledger.entries).toHaveLength(2);
    expect(second.ledger.entries.every((e) => e.usdMicros > 0)).toBe(true);
    expect(await metric(second.registry, 'wirereport_llm_fallbacks_total', { reason: 'malformed' })).toBe(1);
  });

  it('opens the circuit after consecutive failures and then falls back without calling', async () => {
    const { w, registry } = writer({ maxAttempts: 1, breakerThreshold: 2 });
    fake.faults.push('server_error', 'server_error', 'ok');
    await w.write(request());
    await w.write(request());
    const calls = fake.chatCalls;
    expect((await w.write(request())).writer).toBe('template');
    expect(fake.chatCalls).toBe(calls);
    expect(await metric(registry, 'wirereport_llm_fallbacks_total', { reason: 'circuit_open' })).toBe(1);
    fake.faults.length = 0;
  });

  it('does not call when the day budget is spent; the gauge shows it', async () => {
    const { w, registry, ledger } = writer({}, { perAccountMicrosPerDay: 1e6, overallMicrosPerDay: 0 });
    const calls = fake.chatCalls;
    expect((await w.write(request())).writer).toBe('template');
    expect(fake.chatCalls).toBe(calls);
    expect(ledger.entries).toHaveLength(0);
    expect(await metric(registry, 'wirereport_llm_budget_exhausted', { scope: 'overall' })).toBe(1);
    expect(await metric(registry, 'wirereport_llm_fallbacks_total', { reason: 'budget' })).toBe(1);
  });

  it('repairs a draft with a contradicted score once, naming the mistake', async () => {
    const { w, ledger } = writer();
    const req = request();
    fake.faults.push('wrong');
    const verify = (text: string) =>
      verifyDraft({ text, ctx: { facts: req.event.game, event: req.event }, platform: req.platform });
    const result = await writeVerified(w, req, verify);
    expect(result.path).toBe('repaired');
    expect(result.verdict.ok).toBe(true);
    expect(result.draft.templateId).toMatch(/:repaired$/);
    expect(ledger.entries.map((e) => e.detail.purpose)).toEqual(['write', 'repair']);
  });
});

describe('the Ingestor with the routed writer and the store, through the proxy', () => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  /** Ingests the first `n` scored events; with batching on, the sweeper ticks after each (as live). */
  async function ingest(n: number, llm = openAiConfig(prism.url)) {
    store = await openTestStore();
    const clock = new ManualClock(scored[0]!.event.occurredAt);
    const engine = await wireLlmEngine(store, clock, llm);
    const slice = scored.slice(0, n);
    const ticks: TickReport = { submitted: 0, applied: 0, late: 0, failed: 0 };
    const add = (r: TickReport) => {
      for (const k of Object.keys(ticks) as (keyof TickReport)[]) ticks[k] += r[k];
    };
    for (const s of slice) {
      clock.advanceTo(s.event.occurredAt);
      await engine.ingestor.ingest([s]);
      if (engine.stack.batch) add(await engine.stack.batch.tick());
    }
    if (engine.stack.batch) add(await engine.stack.batch.tick());
    return { engine, clock, slice, ticks };
  }

  it('routes breaking events to the strong model and routine ones to the cheap model; every call in the ledger', async () => {
    const { engine, clock, slice } = await ingest(160);
    const posts = await store.db
      .selectFrom('posts')
      .innerJoin('events', 'events.id', 'posts.event_id')
      .select(['posts.id', 'posts.writer', 'posts.status', 'events.breaking'])
      .execute();
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) expect(p.writer).toBe(p.breaking ? 'openai:gpt-5-mini' : 'openai:gpt-5-nano');
    const ledger = await store.db.selectFrom('cost_ledger').selectAll().execute();
    expect(ledger.length).toBeGreaterThanOrEqual(posts.length);
    expect(ledger.every((r) => r.kind === 'llm' && r.usd_micros > 0 && r.account_id && r.post_id)).toBe(true);
    const stats: ReplayStats = {
      events: 0,
      duplicates: 0,
      posts: [],
      published: 0,
      expired: 0,
      latencies: [],
    };
    await publishUntil(engine.publisher, clock, Number.POSITIVE_INFINITY, stats, {});
    expect(stats.published).toBeGreaterThan(0);
    const from = new Date(slice[0]!.event.occurredAt - 86_400_000);
    const costs = await costPerPublishedPost(store.db, { from, to: new Date(clock.now() + 86_400_000) });
    const llmTotal = ledger.reduce((n, r) => n + r.usd_micros, 0);
    expect(costs.reduce((n, c) => n + c.llmUsdMicros, 0)).toBe(llmTotal);
    expect(costs.reduce((n, c) => n + c.published, 0)).toBe(stats.published);
    for (const c of costs)
      if (c.published > 0)
        expect(c.perPublishedPostUsdMicros).toBe(Math.ceil(c.totalUsdMicros / c.published));
  });

  const batching = (maxWaitMs = 600_000) =>
    openAiConfig(prism.url, {
      batch: { enabled: true, maxWaitMs, gatherMs: 0, maxItems: 1000, lateFallback: 'template' },
    });

  it('batches routine posts: template now, batch text in place when it verifies, at half price', async () => {
    const { ticks } = await ingest(160, batching());
    expect(ticks.submitted).toBeGreaterThan(0);
    expect(ticks.applied).toBeGreaterThan(0);
    expect(fake.log.some((l) => l.method === 'POST' && l.path === '/files')).toBe(true);
    const posts = await store.db
      .selectFrom('posts')
      .select(['id', 'text', 'writer', 'status', 'template_id'])
      .execute();
    const applied = posts.filter((p) => p.writer === 'openai:gpt-5-nano:batch');
    expect(applied.length).toBe(ticks.applied);
    for (const p of applied) {
      expect(p.status).toBe('queued');
      const history = await store.db
        .selectFrom('post_transitions')
        .select(['from_status', 'to_status', 'reason'])
        .where('post_id', '=', p.id)
        .orderBy('id')
        .execute();
      expect(history.at(-1)).toMatchObject({ from_status: 'queued', to_status: 'queued' });
      expect(history.at(-1)!.reason).toMatch(/batch draft/);
    }
    // Breaking events still went to the strong model directly.
    expect(posts.filter((p) => p.writer === 'openai:gpt-5-nano').length).toBe(0);
    const rows = await store.db
      .selectFrom('cost_ledger')
      .selectAll()
      .where('kind', '=', 'llm_batch')
      .execute();
    expect(rows.length).toBe(ticks.submitted);
    for (const r of rows) {
      expect(r.usd_micros).toBe(
        costMicros(
          DEFAULT_PRICES['gpt-5-nano']!,
          { input: r.tokens_in, cached: r.tokens_cached, output: r.tokens_out },
          'batch',
        ),
      );
      expect(r.usd_micros * 2).toBeGreaterThanOrEqual(
        costMicros(
          DEFAULT_PRICES['gpt-5-nano']!,
          { input: r.tokens_in, cached: 0, output: r.tokens_out },
          'direct',
        ) - 1,
      );
    }
    const counts = await batchItemCounts(store.db);
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.submitted ?? 0).toBe(0);
  });

  it('a failed batch leaves the template text; nothing is left waiting', async () => {
    fake.batchOutcomes.push(...Array<'failed'>(200).fill('failed'));
    const { ticks } = await ingest(80, batching());
    expect(ticks.failed).toBeGreaterThan(0);
    const counts = await batchItemCounts(store.db);
    expect(counts.failed).toBe(ticks.failed);
    expect(counts.applied ?? 0).toBe(0);
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.submitted ?? 0).toBe(0);
    const queued = await store.db
      .selectFrom('posts')
      .select(['writer'])
      .where('status', '=', 'queued')
      .execute();
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((p) => p.writer === 'template' || p.writer === 'openai:gpt-5-mini')).toBe(true);
  });

  it('an expired batch: what finished is applied, the rest keeps the template text', async () => {
    fake.batchOutcomes.push(...Array<'expired'>(200).fill('expired'));
    const { ticks } = await ingest(160, batching());
    const counts = await batchItemCounts(store.db);
    expect(counts.applied).toBe(ticks.applied);
    expect(counts.expired).toBeGreaterThan(0);
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.submitted ?? 0).toBe(0);
  });

  it('a batch later than its deadline: items late, batch cancelled, posts keep the template text', async () => {
    fake.batchOutcomes.push(...Array<'never'>(200).fill('never'));
    const { engine, clock, ticks } = await ingest(60, batching(120_000));
    expect(ticks.submitted).toBeGreaterThan(0);
    clock.advanceTo(clock.now() + 121_000);
    const late = await engine.stack.batch!.tick();
    expect(ticks.late + late.late).toBe(ticks.submitted);
    expect(fake.log.some((l) => l.method === 'POST' && /\/batches\/.+\/cancel$/.test(l.path))).toBe(true);
    const counts = await batchItemCounts(store.db);
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.submitted ?? 0).toBe(0);
    const queued = await store.db
      .selectFrom('posts')
      .select(['writer'])
      .where('status', '=', 'queued')
      .execute();
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((p) => p.writer === 'template' || p.writer === 'openai:gpt-5-mini')).toBe(true);
  });
});
