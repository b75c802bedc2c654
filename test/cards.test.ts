import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.ts';
import { createEngine, type Engine, scoreCards } from '../src/app/engine.ts';
import { loadRecording } from '../src/app/recordings.ts';
import { ManualClock } from '../src/pipeline/clock.ts';
import { Publisher } from '../src/pipeline/publisher.ts';
import type { PlatformAdapter, PublishRequest } from '../src/publish/platform.ts';
import type { Store } from '../src/store/store.ts';
import { openTestStore } from './support/store.ts';

describe('score cards on finals', () => {
  let store: Store;
  let engine: Engine;
  let clock: ManualClock;

  beforeAll(async () => {
    store = await openTestStore();
    const config = loadConfig('demo/wirereport.yaml', { env: {} });
    const recording = await loadRecording('fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json');
    clock = new ManualClock(recording.events[0]!.occurredAt);
    engine = await createEngine({ config, clock, store });
    // Ingest only: the posts stay queued for the publisher under test.
    const { scoreGame } = await import('../src/signals/score-game.ts');
    await engine.ingestor.ingest(scoreGame(recording.events));
  }, 60_000);
  afterAll(async () => {
    await engine.close();
    await store.close();
  });

  it('attaches a rendered card with alt text to a final, and nothing to other posts', async () => {
    const sent: PublishRequest[] = [];
    const recorder: PlatformAdapter = {
      platform: 'bluesky',
      async publish(request) {
        sent.push(request);
        return { platformPostId: `at://${sent.length}`, feeUsdMicros: 0 };
      },
      async find() {
        return null;
      },
    };
    const config = engine.config;
    const publisher = new Publisher({
      store,
      accounts: config.accounts,
      adapterFor: () => recorder,
      clock,
      worker: 'cards',
      imagesFor: scoreCards(store),
    });
    clock.advanceTo(clock.now() + 3 * 3600_000);
    // Only the final is still fresh this late; everything else has expired.
    await publisher.sweep();
    while (await publisher.publishOne()) {
      /* publish what is due */
    }
    const finals = sent.filter((r) => r.text.includes('125-108') || r.text.includes('125, Knicks 108'));
    expect(finals.length).toBeGreaterThan(0);
    for (const request of sent) {
      const isFinal = finals.includes(request);
      expect(request.images?.length ?? 0).toBe(isFinal ? 1 : 0);
    }
    const image = finals[0]!.images![0]!;
    expect(image.alt).toMatch(/Pacers/);
    expect(image.alt).toMatch(/125/);
    const bytes = image.data;
    expect(Buffer.from(bytes.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a'); // PNG signature
  });
});
