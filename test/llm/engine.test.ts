import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createEngine, type Engine } from '../../src/app/engine.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { replayAtFullSpeed } from '../../src/pipeline/replay.ts';
import type { Store } from '../../src/store/store.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/llm/fake-openai.ts';
import { openAiConfig } from '../support/llm/wiring.ts';
import { openTestStore } from '../support/store.ts';

describe('the engine with an llm section', () => {
  let fake: FakeOpenAi;
  let store: Store;
  let engine: Engine;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    store = await openTestStore();
    const config = {
      ...loadConfig('demo/wirereport.yaml', { env: {} }),
      llm: openAiConfig(`${fake.url}/v1`),
    };
    const recording = await loadRecording('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json');
    const clock = new ManualClock(recording.events[0]!.occurredAt);
    engine = await createEngine({ config, clock, store });
    await replayAtFullSpeed(recording.events, clock, {
      ingestor: engine.ingestor,
      publisher: engine.publisher,
    });
  }, 120_000);

  afterAll(async () => {
    await engine.close();
    await store.close();
    await fake.close();
  });

  it('writes with the configured model, records every call in the ledger and still verifies every post', async () => {
    expect(engine.llm).toBeDefined();
    expect(fake.chatCalls).toBeGreaterThan(0);
    const posts = await store.db.selectFrom('posts').select(['writer', 'status']).execute();
    const byLlm = posts.filter((p) => p.writer !== 'template');
    expect(byLlm.length).toBeGreaterThan(0);
    const calls = await store.db.selectFrom('cost_ledger').selectAll().where('kind', '=', 'llm').execute();
    expect(calls.length).toBe(fake.chatCalls);
    expect(calls.every((c) => c.usd_micros > 0 && c.tokens_in > 0 && c.model !== null)).toBe(true);
    const published = posts.filter((p) => p.status === 'published');
    expect(published.length).toBeGreaterThan(5);
  });
});
