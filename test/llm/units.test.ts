import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.ts';
import { MalformedOutputError, retryAfterMs } from '../../src/write/llm/errors.ts';
import { parseModelOutput } from '../../src/write/llm/output.ts';
import { costMicros, DEFAULT_PRICES, priceOf, UnknownPriceError } from '../../src/write/llm/prices.ts';

describe('prices', () => {
  it('charges micro-dollars per million tokens, rounded up, half for batch', () => {
    const nano = DEFAULT_PRICES['gpt-5-nano']!;
    // 1,000 in at $0.05/M = 50 micro-dollars; 100 out at $0.40/M = 40 micro-dollars.
    expect(costMicros(nano, { input: 1000, cached: 0, output: 100 }, 'direct')).toBe(90);
    expect(costMicros(nano, { input: 1000, cached: 0, output: 100 }, 'batch')).toBe(45);
    expect(costMicros(nano, { input: 1, cached: 0, output: 0 }, 'direct')).toBe(1);
    expect(
      costMicros(
        { input: 1_000_000, output: 0, cachedInput: 100_000 },
        { input: 2000, cached: 1000, output: 0 },
        'direct',
      ),
    ).toBe(1100);
  });
  it('finds dated snapshots by prefix and refuses unknown models', () => {
    expect(priceOf(DEFAULT_PRICES, 'gpt-4.1-mini-2025-04-14')).toBe(DEFAULT_PRICES['gpt-4.1-mini']);
    expect(() => priceOf(DEFAULT_PRICES, 'llama-3')).toThrow(UnknownPriceError);
  });
});

describe('model output', () => {
  it('accepts the JSON object, fenced or not, and refuses anything else', () => {
    expect(parseModelOutput('{"text":" Pacers 25, Knicks 23. "}', 'x', 280)).toBe('Pacers 25, Knicks 23.');
    expect(parseModelOutput('```json\n{"text":"Hi"}\n```', 'x', 280)).toBe('Hi');
    expect(() => parseModelOutput('Sure! Pacers 25', 'x', 280)).toThrow(MalformedOutputError);
    expect(() => parseModelOutput('{"post":"x"}', 'x', 280)).toThrow(/text/);
    expect(() => parseModelOutput(JSON.stringify({ text: 'a'.repeat(281) }), 'x', 280)).toThrow(
      /281 long, limit 280/,
    );
  });
  it('reads retry-after in ms, seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
  });
});

describe('llm configuration', () => {
  const base = `
voices: [{ id: v, persona: p }]
accounts: [{ id: a, platform: x, handle: "@a", voice: v, leagues: [nba] }]
`;
  it('resolves providers, secrets, prices and budgets', () => {
    const cfg = parseConfig(
      `${base}
llm:
  providers:
    local: { kind: openai, baseUrl: "http://127.0.0.1:8000/v1", apiKey: { env: LOCAL_KEY } }
  models: { cheap: { provider: local, model: gpt-5-nano }, strong: { provider: local, model: my-model } }
  prices: { my-model: { input: 10000, output: 20000 } }
  budget: { accountUsdPerDay: 0.25 }
  batch: { enabled: true }
`,
      { file: 'inline.yaml', env: { LOCAL_KEY: 'k' } },
    );
    expect(cfg.llm?.providers.get('local')).toMatchObject({
      kind: 'openai',
      apiKey: 'k',
      timeoutMs: 20_000,
      maxAttempts: 3,
    });
    expect(cfg.llm?.prices['my-model']).toEqual({ input: 10_000, output: 20_000 });
    expect(cfg.llm?.prices['gpt-5-nano']).toEqual(DEFAULT_PRICES['gpt-5-nano']);
    expect(cfg.llm?.budgets).toEqual({ perAccountMicrosPerDay: 250_000, overallMicrosPerDay: 10_000_000 });
    expect(cfg.llm?.batch).toMatchObject({ enabled: true, maxWaitMs: 600_000, lateFallback: 'template' });
  });
  it('names the field of an unknown provider or an unpriced model', () => {
    const llm = (cheap: string) => `${base}
llm:
  providers: { openai: { kind: openai, apiKey: { env: K } } }
  models: { cheap: ${cheap}, strong: { provider: openai, model: gpt-4.1 } }
`;
    expect(() =>
      parseConfig(llm('{ provider: nope, model: gpt-5-nano }'), { file: 'c.yaml', env: { K: 'k' } }),
    ).toThrow(/llm\.models\.cheap\.provider: no provider "nope"/);
    expect(() =>
      parseConfig(llm('{ provider: openai, model: mystery }'), { file: 'c.yaml', env: { K: 'k' } }),
    ).toThrow(/llm\.models\.cheap\.model: no price for model "mystery"/);
    expect(() =>
      parseConfig(llm('{ provider: openai, model: gpt-5-nano }'), { file: 'c.yaml', env: {} }),
    ).toThrow(/llm\.providers\.openai\.apiKey: environment variable K is not set/);
  });
});
