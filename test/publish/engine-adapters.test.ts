import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.ts';
import { createEngine } from '../../src/app/engine.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore, resetStore } from '../support/store.ts';

const yaml = (settings: string) => `
voices:
  - id: desk
    persona: A news desk.
accounts:
  - id: tg-desk
    platform: telegram
    handle: "@desk"
    voice: desk
    leagues: [nba]
    credentials: tg
    fallbacks: [outbox-desk]
  - id: outbox-desk
    platform: bluesky
    handle: desk.bsky.social
    voice: desk
    leagues: [nba]
credentials:
  tg:
    platform: telegram
    secrets:
      botToken: { env: TG_TOKEN }
    settings: ${settings}
`;

describe('engine: adapters from credentials', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('starts with a real adapter for an account with complete credentials (and fallbacks parsed)', async () => {
    await resetStore(store);
    const config = parseConfig(yaml('{ chatId: "-1001", apiRoot: "http://127.0.0.1:9" }'), {
      file: 'test.yaml',
      env: { TG_TOKEN: '1:abc' },
    });
    expect(config.accounts[0]!.fallbacks).toEqual(['outbox-desk']);
    const engine = await createEngine({ config, clock: new ManualClock(Date.now()), store });
    await engine.close();
  });

  it('refuses to start when credentials lack a required field, naming the account, entry and field', async () => {
    await resetStore(store);
    const config = parseConfig(yaml('{}'), { file: 'test.yaml', env: { TG_TOKEN: '1:abc' } });
    await expect(createEngine({ config, clock: new ManualClock(Date.now()), store })).rejects.toThrow(
      /accounts\.tg-desk: credentials\.tg: missing settings\.chatId for telegram/,
    );
  });

  it('refuses a fallback that is not an account', () => {
    expect(() =>
      parseConfig(yaml('{ chatId: "-1" }').replace('fallbacks: [outbox-desk]', 'fallbacks: [nobody]'), {
        file: 'test.yaml',
        env: { TG_TOKEN: '1:abc' },
      }),
    ).toThrow(/accounts\[0\]\.fallbacks\[0\]: no account "nobody"/);
  });
});
