import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TelegramHistory } from '../../../src/publish/telegram/telegram.ts';
import { freePort } from './ports.ts';

/**
 * telegram-test-api (an emulator of the Bot API) behind a small proxy that
 * adds what the emulator lacks: Telegram's real flood control. A chat that
 * gets more than `perChatPerMinute` messages in a minute is answered
 * `429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}}`,
 * as Telegram does; `flood(n, seconds)` makes the next n sends answer 429.
 */
export interface TelegramPeer {
  /** For grammy's `apiRoot` (the flood-control proxy). */
  apiRoot: string;
  /** The emulator itself (its client API, for readers in other processes). */
  emulatorUrl: string;
  /** The messages the bot sent, as the emulator holds them (counted on the peer). */
  sent(botToken: string): Promise<{ chatId: string; messageId: number; text: string; replyTo?: number }[]>;
  /** A history reader over the emulator's client view (what a member of the chat sees). */
  history(botToken: string): TelegramHistory;
  flood(count: number, retryAfterSeconds: number): void;
  /** How many 429s the proxy answered. */
  readonly floods: number;
  stop(): Promise<void>;
}

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
        if (req.url?.endsWith('/sendMessage')) {
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
export async function emulatorMessages(
  upstream: string,
  botToken: string,
): Promise<{ chatId: string; messageId: number; text: string; replyTo?: number }[]> {
  const res = await fetch(`${upstream}/getUpdatesHistory`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: botToken }),
  });
  const json = (await res.json()) as {
    result: {
      messageId: number;
      message: { chat_id?: unknown; text?: unknown; reply_parameters?: { message_id?: number } };
    }[];
  };
  return json.result
    .filter((u) => typeof u.message?.text === 'string' && u.message.chat_id !== undefined)
    .map((u) => ({
      chatId: String(u.message.chat_id),
      messageId: u.messageId,
      text: String(u.message.text),
      ...(u.message.reply_parameters?.message_id !== undefined
        ? { replyTo: u.message.reply_parameters.message_id }
        : {}),
    }));
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
