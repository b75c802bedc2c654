import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/app/config.ts';
import { createEngine, type Engine } from '../../src/app/engine.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { replayAtFullSpeed } from '../../src/pipeline/replay.ts';
import type { Store } from '../../src/store/store.ts';
import { type FakeOpenAi, scoreLinePost, startFakeOpenAi } from '../support/llm/fake-openai.ts';
import { openAiConfig } from '../support/llm/wiring.ts';
import { openTestStore } from '../support/store.ts';

const DEMO = 'demo/wirereport.yaml';

describe('llm.verify in the configuration', () => {
  const yaml = readFileSync(DEMO, 'utf8');
  const withLlm = (verify: string) =>
    `${yaml}\nllm:\n  providers:\n    openai: { kind: openai, apiKey: { env: K } }\n  models:\n    cheap: { provider: openai, model: gpt-5-nano }\n    strong: { provider: openai, model: gpt-5-mini }\n${verify}`;

  it('is off without the key, defaults to suspicious without withdrawals, and names a wrong provider or model', () => {
    const none = parseConfig(withLlm(''), { env: { K: 'k' }, file: DEMO });
    expect(none.llm?.verify).toBeUndefined();
    const on = parseConfig(withLlm('  verify: { provider: openai, model: gpt-5-nano }\n'), {
      env: { K: 'k' },
      file: DEMO,
    });
    expect(on.llm?.verify).toEqual({
      provider: 'openai',
      model: 'gpt-5-nano',
      mode: 'suspicious',
      allowWithdraw: false,
    });
    expect(() =>
      parseConfig(withLlm('  verify: { provider: nope, model: gpt-5-nano }\n'), {
        env: { K: 'k' },
        file: DEMO,
      }),
    ).toThrow(/llm\.verify\.provider.*no provider "nope"/s);
    expect(() =>
      parseConfig(withLlm('  verify: { provider: openai, model: my-local-model }\n'), {
        env: { K: 'k' },
        file: DEMO,
      }),
    ).toThrow(/llm\.verify\.model.*no price/s);
    expect(() =>
      parseConfig(withLlm('  verify: { provider: openai, model: gpt-5-nano, mode: sometimes }\n'), {
        env: { K: 'k' },
        file: DEMO,
      }),
    ).toThrow(/llm\.verify\.mode/);
  });
});

/** The first number of a post ("Knicks 12, Pacers 10." -> 12). */
const firstNumber = (text: string) => Number(/\d+/.exec(text)?.[0] ?? Number.NaN);

describe('the engine with llm.verify (suspicious): LLM drafts are checked by the model too', () => {
  let fake: FakeOpenAi;
  let store: Store;
  let engine: Engine;
  const written = new Set<string>();
  const reviewed: string[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // The writing "model" writes score lines; the checking "model" calls the leader's score wrong
    // when it is odd, so those drafts are repaired (the same again), then replaced by the template.
    fake.respond = (request) => {
      if (!('findings' in request)) {
        const post = scoreLinePost(request);
        written.add((JSON.parse(post) as { text: string }).text);
        return post;
      }
      const text = String(request.text);
      reviewed.push(text);
      const n = firstNumber(text);
      return JSON.stringify({
        mistakes:
          n % 2 === 1 ? [{ quote: String(n), type: 'NUMBER', reason: 'odd scores are wrong here' }] : [],
      });
    };
    store = await openTestStore();
    const config = {
      ...loadConfig(DEMO, { env: {} }),
      llm: {
        ...openAiConfig(`${fake.url}/v1`),
        verify: {
          provider: 'openai',
          model: 'gpt-5-nano',
          mode: 'suspicious' as const,
          allowWithdraw: false,
        },
      },
    };
    const recording = await loadRecording('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json');
    const clock = new ManualClock(recording.events[0]!.occurredAt);
    engine = await createEngine({ config, clock, store });
    await replayAtFullSpeed(recording.events, clock, {
      ingestor: engine.ingestor,
      publisher: engine.publisher,
    });
  }, 180_000);

  afterAll(async () => {
    await engine?.close();
    await store?.close();
    await fake?.close();
  });

  it('reviews only LLM drafts, records each review in the ledger, and lets no flagged draft through', async () => {
    expect(reviewed.length).toBeGreaterThan(0);
    // Suspicious mode: only what the writing model wrote is sent for review, never a template draft.
    for (const t of reviewed) expect(written.has(t)).toBe(true);
    const rows = await store.db.selectFrom('cost_ledger').selectAll().where('kind', '=', 'llm').execute();
    const purposes = rows.map(
      (r) =>
        ((typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {})) as { purpose?: string })
          .purpose,
    );
    expect(purposes.filter((p) => p === 'verify')).toHaveLength(reviewed.length);
    expect(rows.length).toBe(fake.chatCalls);

    const posts = await store.db.selectFrom('posts').select(['writer', 'text', 'status']).execute();
    const byLlm = posts.filter((p) => p.writer !== 'template');
    const flagged = reviewed.filter((t) => firstNumber(t) % 2 === 1);
    expect(flagged.length).toBeGreaterThan(0);
    expect(byLlm.length).toBeGreaterThan(0);
    // Every post the model wrote passed the checking model; the flagged ones went to the template.
    for (const p of byLlm) expect(firstNumber(p.text) % 2).toBe(0);
    expect(posts.some((p) => p.writer === 'template' && p.status !== 'rejected')).toBe(true);
  });
});
