import { afterAll, beforeAll, expect, it } from 'vitest';
import { runConformance } from '../../src/publish/conformance.ts';
import { createDiscordAdapter } from '../../src/publish/discord/discord.ts';
import { DuplicateContentError, PermanentPublishError } from '../../src/publish/errors.ts';
import type { RateLimitObservation } from '../../src/publish/platform.ts';
import { X_FEES } from '../../src/publish/x/fees.ts';
import { createXAdapter } from '../../src/publish/x/x.ts';
import { type DiscordFake, startDiscordFake } from '../support/peers/discord-fake.ts';
import { type PrismProxy, startPrismProxy } from '../support/peers/prism.ts';
import { startXFake, type XFake } from '../support/peers/x-fake.ts';
import { scoreCardImage } from './card-fixture.ts';

/**
 * X and Discord: small stateful fakes behind prism, which validates every
 * request and answer against the platforms' own OpenAPI descriptions (derived
 * copies in fixtures/peers/). prism starts once for this file.
 */
const X_SPEC = new URL('../../fixtures/peers/x_api_v2_peer.json', import.meta.url).pathname;
const DISCORD_SPEC = new URL('../../fixtures/peers/discord_api_peer.json', import.meta.url).pathname;

let xFake: XFake;
let xPrism: PrismProxy;
let discordFake: DiscordFake;
let discordPrism: PrismProxy;
let n = 0;

beforeAll(async () => {
  [xFake, discordFake] = await Promise.all([startXFake(), startDiscordFake()]);
  [xPrism, discordPrism] = await Promise.all([
    startPrismProxy(X_SPEC, xFake.url),
    startPrismProxy(DISCORD_SPEC, discordFake.url),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.allSettled([xPrism?.stop(), discordPrism?.stop(), xFake?.stop(), discordFake?.stop()]);
});

function xAccount(observed: RateLimitObservation[] = []) {
  const user = xFake.addUser(`conf${n++}`);
  const adapter = createXAdapter({
    auth: { kind: 'oauth2', accessToken: user.token },
    accountId: 'acc-x',
    apiBase: xPrism.url,
    onRateLimit: (o) => observed.push(o),
  });
  return { user, adapter };
}

runConformance({
  name: 'x (stateful fake behind prism with X v2.167)',
  async makeAdapter() {
    const { user, adapter } = xAccount();
    return {
      adapter,
      account: { id: 'acc-x', handle: `conf${n}`, platform: 'x' },
      peer: {
        posts: async () => xFake.posts(user.id).map((p) => ({ id: p.id, text: p.text, replyTo: p.replyTo })),
        rateLimitNext: (seconds) => xFake.setWindow(user.id, 0, seconds),
      },
    };
  },
});

runConformance({
  name: 'discord (stateful webhook fake behind prism with Discord v10)',
  image: scoreCardImage,
  async makeAdapter() {
    const hook = discordFake.addWebhook(discordPrism.url);
    const adapter = createDiscordAdapter({ webhookUrl: hook.url, accountId: 'acc-d' });
    return {
      adapter,
      account: { id: 'acc-d', handle: 'wire-report', platform: 'discord' },
      peer: {
        posts: async () =>
          discordFake.messages(hook.id).map((m) => ({
            id: m.id,
            text: m.content,
            images: m.attachments.length,
            alt: m.attachments.map((a) => a.description ?? ''),
          })),
        rateLimitNext: (seconds) => discordFake.rateLimitNext(seconds),
      },
    };
  },
});

it('x: duplicate text is DuplicateContentError (reconcile, never retry), fees count URLs, headers are observed', async () => {
  const observed: RateLimitObservation[] = [];
  const { adapter } = xAccount(observed);
  const account = { id: 'acc-x', handle: 'h', platform: 'x' as const };
  const text = `Final: Pacers 125, Knicks 108 https://example.com/recap/${n}`;
  const first = await adapter.publish({ idempotencyKey: 'k1', account, text }, AbortSignal.timeout(10_000));
  expect(first.feeUsdMicros).toBe(X_FEES.postWithUrlUsdMicros);
  await expect(
    adapter.publish({ idempotencyKey: 'k1', account, text }, AbortSignal.timeout(10_000)),
  ).rejects.toBeInstanceOf(DuplicateContentError);
  expect(
    (await adapter.find({ idempotencyKey: 'k1', account, text }, AbortSignal.timeout(10_000)))
      ?.platformPostId,
  ).toBe(first.platformPostId);
  expect(
    observed.some((o) => o.scope === 'window' && o.limit === 100 && typeof o.remaining === 'number'),
  ).toBe(true);
  expect(xPrism.log()).not.toMatch(/Violation: (request|response)/i);
});

it('discord: a deleted webhook is PermanentPublishError and is not called again', async () => {
  const hook = discordFake.addWebhook(discordPrism.url);
  const adapter = createDiscordAdapter({ webhookUrl: hook.url, accountId: 'acc-d' });
  const account = { id: 'acc-d', handle: 'h', platform: 'discord' as const };
  discordFake.removeWebhook(hook.id);
  await expect(
    adapter.publish({ idempotencyKey: 'a', account, text: 'gone' }, AbortSignal.timeout(10_000)),
  ).rejects.toBeInstanceOf(PermanentPublishError);
  await expect(
    adapter.publish({ idempotencyKey: 'b', account, text: 'again' }, AbortSignal.timeout(10_000)),
  ).rejects.toThrow(/refused earlier/);
});
