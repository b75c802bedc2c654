import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadAccuracyDataset } from '../../bench/accuracy/dataset.ts';
import { runAccuracy } from '../../src/verify/accuracy/run.ts';
import { runAccuracyWithLlm } from '../../src/verify/accuracy/run-llm.ts';
import { detokenize } from '../../src/verify/accuracy/tokens.ts';
import { findProblems } from '../../src/verify/extract-claims.ts';
import { factsData } from '../../src/verify/llm/facts-data.ts';
import { reviewWithLlm } from '../../src/verify/llm/review.ts';
import { parseRotoWireRecord, rotowireLookup } from '../../src/verify/rotowire.ts';
import { createMemoryLedger } from '../../src/write/llm/ledger.ts';
import { callerSpecFromEnv, createStandaloneCaller } from '../../src/write/llm/standalone.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/llm/fake-openai.ts';
import { type PrismProxy, startPrismProxy } from '../support/llm/prism.ts';
import { BOGUS_QUOTE, goldResponder } from './gold-responder.ts';

/**
 * The LLM verification pass end to end through the OpenAI SDK, the validating proxy (OpenAI's API
 * description) and the fake server, whose "model" answers with the gold mistakes of the odd-numbered
 * texts (the training half) and knows nothing of the even ones. What is checked is our code: the
 * prompt and answer shapes, placing quotes in the text, merging with the deterministic findings,
 * withdrawals, scoring, the ledger, and that failures leave the deterministic result standing.
 */

const all = loadAccuracyDataset();
const odd = loadAccuracyDataset('odd');
const even = loadAccuracyDataset('even');
let fake: FakeOpenAi;
let prism: PrismProxy;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  prism = await startPrismProxy(fake.url);
}, 90_000);

afterAll(async () => {
  await prism?.close();
  await fake?.close();
});

afterEach(() => {
  fake.faults.length = 0;
  expect(prism.output()).not.toMatch(/error\s+Violation/);
});

function caller(timeoutSeconds = 20) {
  const ledger = createMemoryLedger();
  const spec = callerSpecFromEnv({
    WIREREPORT_VERIFY_BASE_URL: prism.url,
    WIREREPORT_VERIFY_MODEL: 'gpt-5-nano',
    WIREREPORT_VERIFY_API_KEY: 'sk-test',
    WIREREPORT_VERIFY_TIMEOUT_SECONDS: String(timeoutSeconds),
  });
  if (!spec) throw new Error('no spec');
  const c = createStandaloneCaller(spec, {
    ledger,
    resilience: { initialDelayMs: 5, maxDelayMs: 50, halfOpenAfterMs: 60_000 },
  });
  return { c, ledger };
}

const now = () => performance.now();

describe('bench:accuracy --llm against the validating proxy and a gold-derived fake model', () => {
  it('places every training quote on its gold tokens, drops invented ones, and leaves the held-out half as the deterministic verifier scored it', async () => {
    fake.respond = goldResponder(odd.texts, odd.gold);
    const { c, ledger } = caller();
    const run = await runAccuracyWithLlm(all.texts, all.gold, { include: 'unsupported', now, caller: c });
    expect(run.llm.answered).toBe(60);
    expect(run.llm.failed).toEqual({});
    // One invented quote per training text, none placed.
    expect(run.llm.dropped.not_found).toBe(odd.texts.length);
    // Every call in the ledger, for verification, with its cost from the price table.
    expect(ledger.entries).toHaveLength(60);
    expect(ledger.entries.every((e) => e.detail.purpose === 'verify' && e.usdMicros > 0)).toBe(true);
    expect(run.llm.usdMicros).toBe(ledger.entries.reduce((s, e) => s + e.usdMicros, 0));

    // Each finding the model added sits exactly on the tokens of a gold mistake of its text.
    const llmDetections = run.detected.filter((d) => 'source' in d.problem);
    expect(llmDetections.length).toBe(run.llm.added);
    expect(llmDetections.length).toBeGreaterThan(100);
    for (const d of llmDetections) {
      expect(all.gold.some((g) => g.textId === d.textId && g.first === d.first && g.last === d.last)).toBe(
        true,
      );
      expect(Number(d.textId.slice(1)) % 2).toBe(1);
    }

    // Held out: exactly the deterministic figures. Training: every gold mistake found.
    const split = (half: typeof odd) =>
      runAccuracy(half.texts, half.gold, { include: 'unsupported', now }).score.overall;
    const heldOut = even.gold.length;
    const matchedHeldOut = run.matched.filter(
      (j, i) => j >= 0 && Number(all.gold[i]!.textId.slice(1)) % 2 === 0,
    );
    expect(matchedHeldOut.length).toBe(split(even).recalled);
    expect(heldOut).toBe(split(even).gold);
    const matchedTraining = run.matched.filter(
      (j, i) => j >= 0 && Number(all.gold[i]!.textId.slice(1)) % 2 === 1,
    );
    expect(matchedTraining.length).toBe(odd.gold.length);
    expect(run.score.overall.recall).toBeGreaterThan(split(odd).recall);
  }, 240_000);

  it('withdraws deterministic findings only when allowed', async () => {
    fake.respond = goldResponder(odd.texts, odd.gold, { withdraw: true });
    const texts = odd.texts.slice(0, 6);
    const gold = odd.gold.filter((g) => texts.some((t) => t.id === g.textId));
    const plain = await runAccuracyWithLlm(texts, gold, { include: 'unsupported', now, caller: caller().c });
    expect(plain.llm.withdrawn).toBe(0);
    const allowed = await runAccuracyWithLlm(texts, gold, {
      include: 'unsupported',
      now,
      caller: caller().c,
      allowWithdraw: true,
    });
    expect(allowed.llm.withdrawn).toBeGreaterThan(0);
    // A withdrawn finding frees its span: a quote of the model on it is no longer the same as a finding.
    expect(allowed.detected.length).toBe(
      plain.detected.length - allowed.llm.withdrawn + (allowed.llm.added - plain.llm.added),
    );
    expect(allowed.score.overall.precision).toBeGreaterThan(plain.score.overall.precision);
    expect(allowed.score.overall.recalled).toBe(plain.score.overall.recalled);
  }, 120_000);
});

describe('the LLM pass when the provider misbehaves', () => {
  const t = odd.texts[0]!;
  const { text } = detokenize(t.tokens);
  const game = parseRotoWireRecord(t.record, t.id);
  const findings = findProblems(text, rotowireLookup(game), 'unsupported');
  const input = { text, facts: factsData(game.facts, { localDate: game.localDate }), findings };

  it('retries 429 and 5xx with backoff and a malformed answer once, billing the malformed one', async () => {
    fake.respond = goldResponder(odd.texts, odd.gold);
    fake.faults.push('rate_limit', 'server_error', 'malformed');
    const { c, ledger } = caller();
    const before = fake.chatCalls;
    const review = await reviewWithLlm(input, c, { allowWithdraw: false });
    expect(review.outcome.ok).toBe(true);
    expect(review.added.length).toBeGreaterThan(0);
    expect(fake.chatCalls - before).toBe(4);
    expect(ledger.entries.map((e) => e.detail.purpose)).toEqual(['verify', 'verify']);
    expect(ledger.entries[0]?.detail.malformed).toMatch(/not JSON/);
  });

  it('lets the deterministic findings stand after 5xx past the attempts, twice malformed, or timeouts', async () => {
    fake.respond = goldResponder(odd.texts, odd.gold);
    for (const [faults, reason] of [
      [['server_error', 'server_error', 'server_error'], 'error'],
      [['malformed', 'malformed'], 'malformed'],
    ] as const) {
      fake.faults.push(...faults);
      const review = await reviewWithLlm(input, caller().c, { allowWithdraw: false });
      expect(review.outcome).toMatchObject({ ok: false, reason });
      expect(review.kept).toEqual(findings);
      expect(review.added).toEqual([]);
    }
    fake.slowMs = 1_500;
    fake.faults.push('slow', 'slow', 'slow');
    const review = await reviewWithLlm(input, caller(0.3).c, { allowWithdraw: false });
    expect(review.outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(review.kept).toEqual(findings);
    expect(text.includes(BOGUS_QUOTE)).toBe(false);
  }, 60_000);
});
