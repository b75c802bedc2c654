import { createHash } from 'node:crypto';
import { Api, GrammyError, InputFile } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAttachment } from '../../src/publish/platform.ts';
import { createTelegramAdapter, TELEGRAM_MAX_CAPTION } from '../../src/publish/telegram/telegram.ts';
import { X_MAX_ALT } from '../../src/publish/x/media.ts';
import { createXAdapter } from '../../src/publish/x/x.ts';
import { startTelegramPeer, type TelegramPeer } from '../support/peers/telegram.ts';
import { startXFake, type XFake } from '../support/peers/x-fake.ts';
import { scoreCardImage } from './card-fixture.ts';

/**
 * Score cards on X and Telegram, beyond the conformance suite: the bytes that
 * arrive are the card's, reconciliation finds a post with an image by its
 * text, and the platforms' limits (Telegram's 1,024-character caption, X's
 * 1,000-character alt text) are met. The prism-validated runs are in
 * prism-peers.test.ts (X) and adapters.test.ts (Telegram).
 */
const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const signal = () => AbortSignal.timeout(15_000);
let n = 0;

describe('telegram: photos through sendPhoto', () => {
  let peer: TelegramPeer;
  beforeAll(async () => {
    peer = await startTelegramPeer();
  });
  afterAll(async () => {
    await peer?.stop();
  });

  function telegramAccount() {
    const token = `${200000 + n++}:images-${Math.random().toString(36).slice(2)}`;
    const chatId = '-1001234500000';
    const adapter = createTelegramAdapter({
      botToken: token,
      chatId,
      accountId: 'acc-tg',
      apiRoot: peer.apiRoot,
      history: peer.history(token),
    });
    return { token, adapter, account: { id: 'acc-tg', handle: '@desk', platform: 'telegram' as const } };
  }

  it('a text that fits a caption is one photo message, with the card bytes, found by its caption', async () => {
    const { token, adapter, account } = telegramAccount();
    const card = await scoreCardImage();
    const request = { idempotencyKey: 'k1', account, text: 'Final: Pacers 125, Knicks 108.', images: [card] };
    const published = await adapter.publish(request, signal());
    const sent = await peer.sent(token);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toBe(request.text);
    expect(sha(peer.photo(sent[0]!.photo!.fileId)!)).toBe(sha(card.data));
    expect(`${sent[0]!.chatId}:${sent[0]!.messageId}`).toBe(published.platformPostId);
    expect((await adapter.find(request, signal()))?.platformPostId).toBe(published.platformPostId);
  });

  it('a text longer than a caption goes first, the photo follows as a reply; find matches the text', async () => {
    const { token, adapter, account } = telegramAccount();
    const card = await scoreCardImage();
    const text = `Final: Pacers 125, Knicks 108. ${'Siakam led Indiana with 31 points. '.repeat(40)}`.trim();
    expect(text.length).toBeGreaterThan(TELEGRAM_MAX_CAPTION);
    const request = { idempotencyKey: 'k2', account, text, images: [card] };
    const published = await adapter.publish(request, signal());
    const sent = await peer.sent(token);
    expect(sent).toHaveLength(2);
    const [first, photo] = sent;
    expect(first!.text).toBe(text);
    expect(first!.photo).toBeUndefined();
    expect(`${first!.chatId}:${first!.messageId}`).toBe(published.platformPostId);
    expect(photo!.replyTo).toBe(first!.messageId);
    expect(photo!.text).toBe('');
    expect(sha(peer.photo(photo!.photo!.fileId)!)).toBe(sha(card.data));
    expect((await adapter.find(request, signal()))?.platformPostId).toBe(published.platformPostId);
  });

  it('the peer holds sendPhoto to the Bot API rules (caption length, reply target, image)', async () => {
    const token = `${300000 + n++}:rules`;
    const api = new Api(token, { apiRoot: peer.apiRoot });
    const card = await scoreCardImage();
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: unknown) => (e instanceof GrammyError ? e.description : String(e)),
      );
    expect(
      await refused(api.sendPhoto('-100', new InputFile(card.data, 'c.png'), { caption: 'x'.repeat(1025) })),
    ).toBe('Bad Request: message caption is too long');
    expect(
      await refused(
        api.sendPhoto('-100', new InputFile(card.data, 'c.png'), {
          reply_parameters: { message_id: 999_999 },
        }),
      ),
    ).toBe('Bad Request: message to be replied not found');
    expect(await refused(api.sendPhoto('-100', new InputFile(new Uint8Array([1, 2, 3]), 'c.png')))).toBe(
      'Bad Request: IMAGE_PROCESS_FAILED',
    );
    expect(await refused(api.sendPhoto('-100', new InputFile(card.data, 'c.png'), { caption: 'ok' }))).toBe(
      'accepted',
    );
  });
});

describe('x: images through the v2 media upload', () => {
  let x: XFake;
  beforeAll(async () => {
    x = await startXFake();
  });
  afterAll(async () => {
    await x?.stop();
  });

  it('the card bytes and alt text arrive; the post reads back with a media link and find still matches', async () => {
    const user = x.addUser(`img${n++}`);
    const adapter = createXAdapter({
      auth: { kind: 'oauth2', accessToken: user.token },
      accountId: 'acc-x',
      apiBase: x.url,
    });
    const card = await scoreCardImage();
    const request = {
      idempotencyKey: 'k',
      account: { id: 'acc-x', handle: 'desk', platform: 'x' as const },
      text: 'Final: Pacers 125, Knicks 108.',
      images: [card],
    };
    const published = await adapter.publish(request, signal());
    const [post] = x.posts(user.id);
    expect(post).toMatchObject({ id: published.platformPostId, text: request.text, alt: [card.alt] });
    expect(post!.imageSha256).toEqual([sha(card.data)]);
    expect((await adapter.find(request, signal()))?.platformPostId).toBe(published.platformPostId);
  });

  it('alt text longer than X takes is cut at 1,000 characters, not dropped', async () => {
    const user = x.addUser(`alt${n++}`);
    const adapter = createXAdapter({
      auth: { kind: 'oauth2', accessToken: user.token },
      accountId: 'acc-x',
      apiBase: x.url,
    });
    const card = await scoreCardImage();
    const long: ImageAttachment = { ...card, alt: `${card.alt} ${'More detail. '.repeat(100)}` };
    await adapter.publish(
      {
        idempotencyKey: 'k',
        account: { id: 'acc-x', handle: 'd', platform: 'x' },
        text: 'Long alt',
        images: [long],
      },
      signal(),
    );
    const alt = x.posts(user.id)[0]!.alt[0]!;
    expect(Array.from(alt)).toHaveLength(X_MAX_ALT);
    expect(long.alt.startsWith(alt)).toBe(true);
  });
});
