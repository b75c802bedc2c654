import { afterAll, beforeAll, expect, it } from 'vitest';
import { runConformance } from '../../src/publish/conformance.ts';
import { createDiscordBotAdapter } from '../../src/publish/discord/bot.ts';
import { createDiscordAdapter } from '../../src/publish/discord/discord.ts';
import {
  DuplicateContentError,
  PermanentPublishError,
  UncertainPublishError,
} from '../../src/publish/errors.ts';
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
/** In front of xPrism: keeps image bytes intact (see XFake.binarySafeFront). */
let xFront: { url: string; stop(): Promise<void> };
let discordFake: DiscordFake;
let discordPrism: PrismProxy;
let n = 0;

beforeAll(async () => {
  [xFake, discordFake] = await Promise.all([startXFake(), startDiscordFake()]);
  [xPrism, discordPrism] = await Promise.all([
    startPrismProxy(X_SPEC, xFake.url),
    startPrismProxy(DISCORD_SPEC, discordFake.url),
  ]);
  xFront = await xFake.binarySafeFront(xPrism.url);
  // prism compiles an operation's validators on its first call, which takes
  // seconds (18 s on a loaded machine, more than @discordjs/rest's 15 s
  // timeout): warm every Discord operation up once with plain fetch, so the
  // tests' own timeouts measure the adapters.
  await warmUpDiscord();
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([
    xFront?.stop(),
    xPrism?.stop(),
    discordPrism?.stop(),
    xFake?.stop(),
    discordFake?.stop(),
  ]);
});

function xAccount(observed: RateLimitObservation[] = []) {
  const user = xFake.addUser(`conf${n++}`);
  const adapter = createXAdapter({
    auth: { kind: 'oauth2', accessToken: user.token },
    accountId: 'acc-x',
    apiBase: xFront.url,
    onRateLimit: (o) => observed.push(o),
  });
  return { user, adapter };
}

runConformance({
  name: 'x (stateful fake behind prism with X v2.167)',
  image: scoreCardImage,
  async makeAdapter() {
    const { user, adapter } = xAccount();
    return {
      adapter,
      account: { id: 'acc-x', handle: `conf${n}`, platform: 'x' },
      peer: {
        posts: async () =>
          xFake
            .posts(user.id)
            .map((p) => ({ id: p.id, text: p.text, replyTo: p.replyTo, images: p.images, alt: p.alt })),
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

async function warmUpDiscord(): Promise<void> {
  const signal = AbortSignal.timeout(150_000);
  const api = `${discordPrism.url}/api/v10`;
  const hook = discordFake.addWebhook(discordPrism.url);
  const channel = discordFake.addChannel();
  const json = { 'content-type': 'application/json' };
  const bot = { ...json, authorization: `Bot ${channel.botToken}` };
  const call = async (path: string, init: RequestInit) => {
    const res = await fetch(`${api}${path}`, { ...init, signal });
    if (!res.ok) throw new Error(`discord warm-up ${init.method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : ((await res.json()) as { id: string });
  };
  const body = JSON.stringify({ content: 'warm-up' });
  const hooked = await call(`/webhooks/${hook.id}/${hook.token}?wait=true`, {
    method: 'POST',
    headers: json,
    body,
  });
  await call(`/webhooks/${hook.id}/${hook.token}/messages/${hooked!.id}`, { method: 'DELETE' });
  const sent = await call(`/channels/${channel.channelId}/messages`, { method: 'POST', headers: bot, body });
  await call(`/channels/${channel.channelId}/messages?limit=5`, { method: 'GET', headers: bot });
  await call('/users/@me', { method: 'GET', headers: bot });
  await call(`/channels/${channel.channelId}/messages/${sent!.id}`, { method: 'DELETE', headers: bot });
}

function discordBot() {
  const channel = discordFake.addChannel();
  const adapter = createDiscordBotAdapter({
    botToken: channel.botToken,
    channelId: channel.channelId,
    accountId: 'acc-db',
    apiBase: `${discordPrism.url}/api`,
  });
  const peer = {
    posts: async () =>
      discordFake.messages(channel.channelId).map((m) => ({
        id: m.id,
        text: m.content,
        replyTo: m.replyTo,
        images: m.attachments.length,
        alt: m.attachments.map((a) => a.description ?? ''),
      })),
    rateLimitNext: (seconds: number) => discordFake.rateLimitNext(seconds),
  };
  return {
    channel,
    adapter,
    peer,
    account: { id: 'acc-db', handle: 'wire-report', platform: 'discord' as const },
  };
}

runConformance({
  name: 'discord bot mode (stateful channel fake behind prism with Discord v10)',
  image: scoreCardImage,
  async makeAdapter() {
    const { adapter, account, peer } = discordBot();
    return { adapter, account, peer };
  },
});

it('discord bot: an uncertain publish is reconciled from the channel, and a repeat with its nonce posts nothing', async () => {
  const { adapter, account, peer } = discordBot();
  const request = { idempotencyKey: `p_unc${n++}`, account, text: `Final: Pacers 125, Knicks 108 (${n})` };
  discordFake.loseNextAnswer();
  const error = await adapter.publish(request, AbortSignal.timeout(1_500)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, String(error)).toBeInstanceOf(UncertainPublishError);
  // The message is in the channel although the answer never came: find says so.
  const found = await adapter.find(request, AbortSignal.timeout(10_000));
  const posts = await peer.posts();
  expect(posts.filter((p) => p.text === request.text)).toHaveLength(1);
  expect(found?.platformPostId).toBe(posts.find((p) => p.text === request.text)?.id);
  // A blind retry would still not duplicate it: the nonce returns the message already there.
  const again = await adapter.publish(request, AbortSignal.timeout(10_000));
  expect(again.platformPostId).toBe(found?.platformPostId);
  expect((await peer.posts()).filter((p) => p.text === request.text)).toHaveLength(1);
  // A continuation is found as a reply to its parent, not as a top-level message.
  const part = {
    ...request,
    idempotencyKey: `${request.idempotencyKey}#1`,
    text: 'Siakam led Indiana with 31 points.',
  };
  const continueFrom = { rootId: again.platformPostId, parentId: again.platformPostId };
  expect(await adapter.find({ ...part, continueFrom }, AbortSignal.timeout(10_000))).toBeNull();
  const reply = await adapter.publish({ ...part, continueFrom }, AbortSignal.timeout(10_000));
  expect((await adapter.find({ ...part, continueFrom }, AbortSignal.timeout(10_000)))?.platformPostId).toBe(
    reply.platformPostId,
  );
  expect(await adapter.find(part, AbortSignal.timeout(10_000))).toBeNull();
  expect((await peer.posts()).find((p) => p.id === reply.platformPostId)?.replyTo).toBe(again.platformPostId);
  expect(discordPrism.log()).not.toMatch(/Violation: (request|response)/i);
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
