import { afterAll, beforeAll } from 'vitest';
import { createBlueskyAdapter } from '../../src/publish/bluesky/bluesky.ts';
import { runConformance } from '../../src/publish/conformance.ts';
import { htmlToText } from '../../src/publish/http.ts';
import { createMastodonAdapter } from '../../src/publish/mastodon/mastodon.ts';
import { createTelegramAdapter } from '../../src/publish/telegram/telegram.ts';
import { type BlueskyPeer, startBlueskyPeer } from '../support/peers/bluesky.ts';
import { type SnacPeer, startSnacPeer } from '../support/peers/snac.ts';
import { startTelegramPeer, type TelegramPeer } from '../support/peers/telegram.ts';
import { scoreCardImage } from './card-fixture.ts';

/**
 * Every adapter against its real local peer, through the shared conformance
 * suite. The peers start once for this file; one that cannot start fails the
 * file with the reason.
 */
let bluesky: BlueskyPeer;
let snac: SnacPeer;
let telegram: TelegramPeer;
let n = 0;

beforeAll(async () => {
  [bluesky, snac, telegram] = await Promise.all([startBlueskyPeer(), startSnacPeer(), startTelegramPeer()]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([bluesky?.stop(), snac?.stop(), telegram?.stop()]);
});

runConformance({
  name: 'bluesky (PDS from @atproto/dev-env)',
  image: scoreCardImage,
  async makeAdapter() {
    const acc = await bluesky.createAccount(`conf${n++}`);
    const adapter = createBlueskyAdapter({ service: bluesky.service, ...acc, accountId: 'acc-bsky' });
    return {
      adapter,
      account: { id: 'acc-bsky', handle: acc.identifier, platform: 'bluesky' },
      peer: {
        async posts() {
          return (await bluesky.posts(acc.did)).map((p) => {
            const embed = p.embed as { images?: { alt: string }[] } | undefined;
            return {
              id: p.uri,
              text: p.text,
              replyTo: (p.reply as { parent?: { uri: string } } | undefined)?.parent?.uri ?? null,
              images: embed?.images?.length ?? 0,
              alt: embed?.images?.map((i) => i.alt) ?? [],
            };
          });
        },
      },
    };
  },
});

runConformance({
  name: 'mastodon (snac2)',
  image: scoreCardImage,
  async makeAdapter() {
    const user = await snac.addUser(`conf${n++}`);
    const adapter = createMastodonAdapter({ url: snac.url, accessToken: user.token, accountId: 'acc-masto' });
    return {
      adapter,
      account: { id: 'acc-masto', handle: user.name, platform: 'mastodon' },
      peer: {
        lacks: { delete: 'snac 2.75 answers DELETE /api/v1/statuses/:id with 400' },
        async posts() {
          return (await snac.statuses(user)).map((s) => ({
            id: s.id,
            text: htmlToText(s.content),
            replyTo: s.inReplyToId,
            images: s.mediaCount,
          }));
        },
      },
    };
  },
});

runConformance({
  name: 'telegram (telegram-test-api behind a flood-control proxy)',
  // Photos through the peer's sendPhoto (the emulator has none); Telegram has no alt text, so none is compared.
  image: scoreCardImage,
  async makeAdapter() {
    const token = `${100000 + n++}:conformance-${Math.random().toString(36).slice(2)}`;
    const chatId = '-1001234567890';
    const adapter = createTelegramAdapter({
      botToken: token,
      chatId,
      accountId: 'acc-tg',
      apiRoot: telegram.apiRoot,
      history: telegram.history(token),
    });
    return {
      adapter,
      account: { id: 'acc-tg', handle: '@wirereport', platform: 'telegram' },
      peer: {
        async posts() {
          return (await telegram.sent(token)).map((m) => ({
            id: `${m.chatId}:${m.messageId}`,
            text: m.text,
            replyTo: m.replyTo !== undefined ? `${m.chatId}:${m.replyTo}` : null,
            images: m.photo ? 1 : 0,
          }));
        },
        rateLimitNext(seconds) {
          telegram.flood(1, seconds);
        },
      },
    };
  },
});
