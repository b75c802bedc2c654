import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TelegramHistory } from '../../../src/publish/telegram/telegram.ts';
import { imageSize, parseMultipart } from './multipart.ts';
import { freePort } from './ports.ts';

/**
 * telegram-test-api (an emulator of the Bot API) behind a small proxy that
 * adds what the emulator lacks: Telegram's real flood control. A chat that
 * gets more than `perChatPerMinute` messages in a minute is answered
 * `429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}}`,
 * as Telegram does; `flood(n, seconds)` makes the next n sends answer 429.
 *
 * The emulator (4.2.1) has no `sendPhoto` (it answers unknown methods 500 in
 * a shape Telegram never uses), so the proxy implements it from the Bot API
 * description (10.1, `sendPhoto`): `chat_id` and `photo` required, the photo
 * uploaded with multipart/form-data (directly or as `attach://NAME`, as
 * grammy sends it) or a `file_id` of an earlier upload; at most 10 MB, width
 * plus height at most 10000, ratio at most 20; `caption` 0-1024 characters;
 * `reply_parameters.message_id` must name a message of the chat. Errors carry
 * Telegram's own descriptions. The message is stored in the emulator (same
 * message ids, read back by `sent()` and the history reader, with the
 * caption as its text); the bytes are kept for `photo()`.
 */
export interface TelegramPeer {
  /** For grammy's `apiRoot` (the flood-control proxy). */
  apiRoot: string;
  /** The emulator itself (its client API, for readers in other processes). */
  emulatorUrl: string;
  /** The messages the bot sent, as the emulator holds them (counted on the peer). */
  sent(botToken: string): Promise<SentMessage[]>;
  /** The bytes of a photo the bot sent, by `file_id`. */
  photo(fileId: string): Buffer | undefined;
  /** A history reader over the emulator's client view (what a member of the chat sees). */
  history(botToken: string): TelegramHistory;
  flood(count: number, retryAfterSeconds: number): void;
  /** How many 429s the proxy answered. */
  readonly floods: number;
  stop(): Promise<void>;
}

/** A message the bot sent, as the emulator holds it: `text` is a photo's caption for a photo. */
export interface SentMessage {
  chatId: string;
  messageId: number;
  text: string;
  replyTo?: number;
  photo?: { fileId: string; width: number; height: number; fileSize: number };
}

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_CAPTION = 1024;

export async function startTelegramPeer(options: { perChatPerMinute?: number } = {}): Promise<TelegramPeer> {
  const mod = await import('telegram-test-api/lib/telegramServer.js');
  const { TelegramServer } = mod;
  const upstreamPort = await freePort();
  const emulator = new TelegramServer({ port: upstreamPort, host: '127.0.0.1', storeTimeout: 24 * 3600 });
  await emulator.start();
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  let forced: { left: number; retryAfter: number } = { left: 0, retryAfter: 0 };
  let floods = 0;
  const perChat = new Map<string, number[]>();
  const photos = new Map<string, Buffer>();

  const badRequest = (res: ServerResponse, description: string): void => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: ${description}` }));
  };

  /** `sendPhoto` as the Bot API describes it (see above). */
  function sendPhoto(token: string, req: IncomingMessage, body: Buffer, res: ServerResponse) {
    const type = req.headers['content-type'] ?? '';
    const fields = new Map<string, string>();
    let files = new Map<string, Buffer>();
    if (type.startsWith('multipart/form-data')) {
      const parts = parseMultipart(type, body);
      for (const part of parts.values()) {
        if (part.filename !== undefined) files.set(part.name, part.data);
        else fields.set(part.name, part.data.toString('utf8'));
      }
    } else {
      for (const [k, v] of Object.entries(parseBody(req, body)))
        fields.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      files = new Map();
    }
    const chatId = fields.get('chat_id');
    if (!chatId) return badRequest(res, 'chat_id is empty');
    let data: Buffer | undefined;
    const photoField = fields.get('photo');
    if (files.has('photo')) data = files.get('photo');
    else if (photoField?.startsWith('attach://')) data = files.get(photoField.slice('attach://'.length));
    else if (photoField) data = photos.get(photoField);
    if (!photoField && !files.has('photo')) return badRequest(res, 'there is no photo in the request');
    if (!data) return badRequest(res, 'wrong file identifier/HTTP URL specified');
    if (data.length === 0) return badRequest(res, 'file must be non-empty');
    if (data.length > MAX_PHOTO_BYTES) return badRequest(res, 'file is too big');
    const size = imageSize(data);
    if (!size) return badRequest(res, 'IMAGE_PROCESS_FAILED');
    const { width, height } = size;
    if (width + height > 10_000 || Math.max(width / height, height / width) > 20)
      return badRequest(res, 'PHOTO_INVALID_DIMENSIONS');
    const caption = fields.get('caption');
    if (caption !== undefined && caption.length > MAX_CAPTION)
      return badRequest(res, 'message caption is too long');
    let replyTo: number | undefined;
    const replyRaw = fields.get('reply_parameters');
    if (replyRaw !== undefined) {
      let reply: { message_id?: unknown };
      try {
        reply = JSON.parse(replyRaw) as { message_id?: unknown };
      } catch {
        return badRequest(res, "can't parse reply parameters JSON object");
      }
      if (typeof reply.message_id !== 'number') return badRequest(res, 'message to be replied not found');
      const exists = emulator.storage.botMessages.some(
        (u) =>
          u.botToken === token && u.messageId === reply.message_id && String(u.message.chat_id) === chatId,
      );
      if (!exists) return badRequest(res, 'message to be replied not found');
      replyTo = reply.message_id;
    }
    const unique = createHash('sha256').update(data).digest('base64url').slice(0, 16);
    const fileId = `AgAC${unique}${photos.size.toString(36)}`;
    photos.set(fileId, data);
    const photo = [{ file_id: fileId, file_unique_id: unique, width, height, file_size: data.length }];
    const stored = emulator.addBotMessage(
      {
        chat_id: chatId,
        photo,
        ...(caption !== undefined && caption !== '' ? { caption } : {}),
        ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo } } : {}),
      } as never,
      token,
    ) as { message_id: number; date: number };
    const chat = /^-?\d+$/.test(chatId)
      ? {
          id: Number(chatId),
          type: chatId.startsWith('-100') ? 'channel' : chatId.startsWith('-') ? 'group' : 'private',
        }
      : { id: -1_000_000_000_000 - stored.message_id, type: 'channel', username: chatId.replace(/^@/, '') };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ok: true,
        result: {
          message_id: stored.message_id,
          date: Math.floor(stored.date / 1000),
          chat,
          photo,
          ...(caption ? { caption } : {}),
        },
      }),
    );
  }

  const tooMany = (res: ServerResponse, retryAfter: number): void => {
    floods++;
    res.writeHead(429, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      }),
    );
  };

  const proxy: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        if (req.url?.endsWith('/sendMessage') || req.url?.endsWith('/sendPhoto')) {
          if (forced.left > 0) {
            forced.left--;
            return tooMany(res, forced.retryAfter);
          }
          if (options.perChatPerMinute !== undefined) {
            const chatId = String(parseBody(req, body).chat_id ?? '');
            const now = Date.now();
            const times = (perChat.get(chatId) ?? []).filter((t) => t > now - 60_000);
            if (times.length >= options.perChatPerMinute) {
              perChat.set(chatId, times);
              return tooMany(res, Math.max(1, Math.ceil((times[0]! + 60_000 - now) / 1000)));
            }
            times.push(now);
            perChat.set(chatId, times);
          }
        }
        const photoCall = /^\/bot([^/]+)\/sendPhoto$/.exec(req.url ?? '');
        if (photoCall) return sendPhoto(photoCall[1]!, req, body, res);
        const answer = await fetch(upstream + (req.url ?? '/'), {
          method: req.method ?? 'GET',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
        });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const sent = (botToken: string) => emulatorMessages(upstream, botToken);

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    emulatorUrl: upstream,
    sent,
    photo: (fileId) => photos.get(fileId),
    history: (botToken) => telegramHistoryOver(upstream, botToken),
    flood(count, retryAfterSeconds) {
      forced = { left: count, retryAfter: retryAfterSeconds };
    },
    get floods() {
      return floods;
    },
    async stop() {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await emulator.stop();
    },
  };
}

/** What the bot sent, read from the emulator's client API (usable from any process). */
export async function emulatorMessages(upstream: string, botToken: string): Promise<SentMessage[]> {
  const res = await fetch(`${upstream}/getUpdatesHistory`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: botToken }),
  });
  const json = (await res.json()) as {
    result: {
      messageId: number;
      message: {
        chat_id?: unknown;
        text?: unknown;
        caption?: unknown;
        photo?: { file_id: string; width: number; height: number; file_size: number }[];
        reply_parameters?: { message_id?: number };
      };
    }[];
  };
  return json.result
    .filter(
      (u) =>
        (typeof u.message?.text === 'string' || Array.isArray(u.message?.photo)) &&
        u.message.chat_id !== undefined,
    )
    .map((u) => {
      const largest = u.message.photo?.at(-1);
      return {
        chatId: String(u.message.chat_id),
        messageId: u.messageId,
        text: String(u.message.text ?? u.message.caption ?? ''),
        ...(u.message.reply_parameters?.message_id !== undefined
          ? { replyTo: u.message.reply_parameters.message_id }
          : {}),
        ...(largest
          ? {
              photo: {
                fileId: largest.file_id,
                width: largest.width,
                height: largest.height,
                fileSize: largest.file_size,
              },
            }
          : {}),
      };
    });
}

/** A TelegramHistory over the emulator's client view (what a member of the chat sees). */
export function telegramHistoryOver(upstream: string, botToken: string): TelegramHistory {
  return {
    async recent(chatId, signal) {
      signal.throwIfAborted();
      return (await emulatorMessages(upstream, botToken))
        .filter((m) => m.chatId === chatId)
        .map((m) => ({ messageId: m.messageId, text: m.text }));
    },
  };
}

function parseBody(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  const text = body.toString('utf8');
  if (type.includes('json')) return JSON.parse(text || '{}') as Record<string, unknown>;
  if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  const m = /name="chat_id"\r\n\r\n([^\r]*)/.exec(text);
  return m ? { chat_id: m[1] } : {};
}
