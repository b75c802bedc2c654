import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import { GameTracker } from '../../src/signals/game-tracker.ts';
import { verifyDraft } from '../../src/verify/verify-draft.ts';
import { createAnthropicClient } from '../../src/write/llm/anthropic-client.ts';
import { createMemoryLedger } from '../../src/write/llm/ledger.ts';
import { createLlmWriter, type LlmWriteRequest } from '../../src/write/llm/llm-writer.ts';
import { createLlmMetrics } from '../../src/write/llm/metrics.ts';
import { costMicros, DEFAULT_PRICES } from '../../src/write/llm/prices.ts';
import { buildPrompt } from '../../src/write/llm/prompt.ts';
import { createProviderPolicy } from '../../src/write/llm/resilience.ts';
import { writeVariants } from '../../src/write/llm/variants.ts';
import { type FakeAnthropic, startFakeAnthropic } from '../support/llm/fake-anthropic.ts';

// No official API description of Anthropic's API is available here: these run against a fake shaped
// after the SDK's types, not behind a validating proxy as the OpenAI tests are.

const NBA = new URL('../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url)
  .pathname;
const DEMO = new URL('../../demo/wirereport.yaml', import.meta.url).pathname;

let fake: FakeAnthropic;
let req: LlmWriteRequest;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  const tracker = new GameTracker();
  const scored = (await loadRecording(NBA)).events.flatMap((e) => tracker.push(e));
  const final = scored.find((s) => s.event.kind === 'final')!;
  const config = loadConfig(DEMO, { env: {} });
  const account = config.accounts[0]!;
  req = {
    event: final.event,
    significance: final.significance,
    voice: config.voices.get(account.voiceId)!,
    platform: account.platform,
    teams: account.teams,
    variant: 0,
    maxLength: 280,
    accountId: account.id,
    postId: 'p_final',
  };
});

afterAll(async () => {
  await fake?.close();
});

function writer() {
  const registry = new Registry();
  const metrics = createLlmMetrics(registry);
  const ledger = createMemoryLedger();
  const client = createAnthropicClient({ apiKey: 'sk-ant-test', baseURL: fake.url });
  const policy = createProviderPolicy({
    initialDelayMs: 5,
    maxDelayMs: 50,
    onRetry: () => metrics.retries.inc({ provider: 'anthropic' }),
  });
  const w = createLlmWriter({
    client,
    model: 'claude-haiku-4-5',
    tier: 'strong',
    policy,
    prices: DEFAULT_PRICES,
    ledger,
    budgets: { perAccountMicrosPerDay: 1e6, overallMicrosPerDay: 1e7 },
    metrics,
  });
  return { w, ledger, client, registry };
}

describe('Anthropic Messages and Message Batches (fake)', () => {
  it('the final prompt carries the box-score leaders as data', () => {
    const user = JSON.parse(buildPrompt(req).user) as {
      facts: { leaders: { stat: string; player: string; value: number }[] };
    };
    const top = [...req.event.game.players].sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0))[0]!;
    expect(user.facts.leaders).toContainEqual(
      expect.objectContaining({ stat: 'points', player: top.name, value: top.stats.points }),
    );
  });

  it('writes through Messages with the answer prefilled, and records the cost', async () => {
    const { w, ledger } = writer();
    const draft = await w.write(req);
    expect(draft.writer).toBe('anthropic:claude-haiku-4-5');
    expect(
      verifyDraft({
        text: draft.text,
        ctx: { facts: req.event.game, event: req.event },
        platform: req.platform,
      }).ok,
    ).toBe(true);
    const e = ledger.entries[0]!;
    expect(e.usdMicros).toBe(
      costMicros(
        DEFAULT_PRICES['claude-haiku-4-5']!,
        { input: e.tokensIn, cached: 0, output: e.tokensOut },
        'direct',
      ),
    );
    const sent = fake.log.at(-1)!;
    expect(sent.headers['x-api-key'] ?? sent.headers.authorization).toMatch(/sk-ant-test$/);
    expect(sent.headers['anthropic-version']).toBeTruthy();
  });

  it('retries 429 and 529 (overloaded), falls back after malformed answers', async () => {
    const { w, registry } = writer();
    fake.faults.push('rate_limit', 'overloaded');
    expect((await w.write(req)).writer).toBe('anthropic:claude-haiku-4-5');
    const retries = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'wirereport_llm_retries_total',
    );
    expect(retries?.values[0]?.value).toBe(2);
    fake.faults.push('malformed', 'malformed');
    expect((await w.write(req)).writer).toBe('template');
  });

  it('submits a Message Batch, polls it, and reads results, an expired request included', async () => {
    const { client } = writer();
    const prompt = buildPrompt(req);
    fake.expire.add('p2');
    const id = await client.submit([
      { customId: 'p1', model: 'claude-haiku-4-5', prompt },
      { customId: 'p2', model: 'claude-haiku-4-5', prompt },
    ]);
    expect(await client.poll(id)).toEqual({ state: 'pending' });
    const done = await client.poll(id);
    expect(done.state).toBe('expired');
    if (done.state !== 'expired') return;
    expect(done.results.find((r) => r.customId === 'p1')).toMatchObject({ ok: true });
    expect(done.results.find((r) => r.customId === 'p2')).toEqual({
      customId: 'p2',
      ok: false,
      error: 'expired',
    });
  });
});

describe('variants', () => {
  it('writes one verified draft per variant; the prompt names the variant and samples warmer', async () => {
    const { w, ledger } = writer();
    const verify = (text: string) =>
      verifyDraft({ text, ctx: { facts: req.event.game, event: req.event }, platform: req.platform });
    const drafts = await writeVariants(w, req, 3, verify, (v) => `p_final_v${v}`);
    expect(drafts.map((d) => d.draft.variant)).toEqual([0, 1, 2]);
    expect(drafts.every((d) => d.verdict.ok)).toBe(true);
    expect(ledger.entries.map((e) => e.postId)).toEqual(['p_final_v0', 'p_final_v1', 'p_final_v2']);
    const p1 = buildPrompt({ ...req, variant: 1 });
    expect(JSON.parse(p1.user).variantNote).toMatch(/variant 1/);
    expect(p1.temperature).toBeGreaterThan(0);
    expect(buildPrompt(req).temperature).toBeUndefined();
  });
});
