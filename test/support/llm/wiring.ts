import { Registry } from 'prom-client';
import type { AppConfig } from '../../../src/app/config.ts';
import { loadConfig } from '../../../src/app/config.ts';
import { storeDraftApplier } from '../../../src/app/engine.ts';
import type { ManualClock } from '../../../src/pipeline/clock.ts';
import { Ingestor } from '../../../src/pipeline/ingest.ts';
import { Publisher } from '../../../src/pipeline/publisher.ts';
import { createOutboxPlatform } from '../../../src/publish/outbox/outbox.ts';
import { syncAccounts } from '../../../src/store/accounts.ts';
import { storeBatchRepository, storeCostLedger } from '../../../src/store/costs.ts';
import { storeOutboxSink } from '../../../src/store/outbox.ts';
import type { Store } from '../../../src/store/store.ts';
import type { LlmConfig } from '../../../src/write/llm/config.ts';
import { DEFAULT_PRICES } from '../../../src/write/llm/prices.ts';
import { createLlmStack, type LlmStack } from '../../../src/write/llm/stack.ts';

const DEMO = new URL('../../../demo/wirereport.yaml', import.meta.url).pathname;

/** An `llm` configuration pointing both tiers at one OpenAI-compatible server. */
export function openAiConfig(baseUrl: string, overrides: Partial<LlmConfig> = {}): LlmConfig {
  return {
    providers: new Map([
      [
        'openai',
        { name: 'openai', kind: 'openai', baseUrl, apiKey: 'sk-test', timeoutMs: 2_000, maxAttempts: 3 },
      ],
    ]),
    models: {
      cheap: { provider: 'openai', model: 'gpt-5-nano' },
      strong: { provider: 'openai', model: 'gpt-5-mini' },
    },
    prices: DEFAULT_PRICES,
    budgets: { perAccountMicrosPerDay: 500_000, overallMicrosPerDay: 10_000_000 },
    batch: { enabled: false, maxWaitMs: 600_000, gatherMs: 30_000, maxItems: 100, lateFallback: 'template' },
    ...overrides,
  };
}

export interface LlmEngine {
  config: AppConfig;
  stack: LlmStack;
  registry: Registry;
  ingestor: Ingestor;
  publisher: Publisher;
}

/**
 * The engine's parts with the LLM stack as `app/engine.ts` would wire them (the demo's accounts and
 * voices, the store's ledger and batch repository, the verifier-backed draft applier, the outbox).
 */
export async function wireLlmEngine(store: Store, clock: ManualClock, llm: LlmConfig): Promise<LlmEngine> {
  const config = loadConfig(DEMO, { env: {} });
  await syncAccounts(store.db, config.accounts, new Date(clock.now()));
  const registry = new Registry();
  const now = () => clock.now();
  const applier = storeDraftApplier(config, store, now);
  const stack = createLlmStack(llm, {
    ledger: storeCostLedger(store.db),
    registry,
    now,
    batches: { repo: storeBatchRepository(store.db), applier },
    resilience: { initialDelayMs: 5, maxDelayMs: 50, halfOpenAfterMs: 60_000 },
  });
  const ingestor = new Ingestor({
    store,
    accounts: config.accounts,
    voices: config.voices,
    writer: stack.writer,
    clock,
  });
  const outbox = createOutboxPlatform(storeOutboxSink(store.db), () => clock.now());
  const publisher = new Publisher({
    store,
    accounts: config.accounts,
    adapterFor: () => outbox,
    clock,
    worker: 'llm-test',
    leaseMs: 60_000,
  });
  return { config, stack, registry, ingestor, publisher };
}
