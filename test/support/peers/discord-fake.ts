import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small stateful stand-in for Discord behind prism (which checks every
 * exchange against Discord's own OpenAPI description):
 *
 * - webhooks (`/webhooks/{id}/{token}`): executes with `?wait=true`, deletes,
 *   404 for an unknown or deleted webhook;
 * - a bot in channels (`Authorization: Bot <token>`): `GET /users/@me`,
 *   `POST /channels/{id}/messages` with nonce enforcement (a repeated nonce of
 *   the same author within `NONCE_WINDOW_MS` answers the message already
 *   there, as Discord does with `enforce_nonce`) and replies
 *   (`message_reference`), `GET /channels/{id}/messages` (newest first, no
 *   nonce: Discord does not keep it in history), `DELETE`;
 * - every answer carries Discord's bucket headers; `rateLimitNext` answers the
 *   next write with a real 429 (body `retry_after`, `Retry-After`, bucket
 *   headers); `loseNextAnswer` stores the next message and never answers, as
 *   when a connection dies after Discord accepted the message.
 */
export interface DiscordFake {
  url: string;
  /** A webhook; its URL as Discord gives it (with the peer's base). */
  addWebhook(apiBase: string): { id: string; token: string; url: string };
  /** A channel with a bot allowed to post in it. */
  addChannel(): { channelId: string; botToken: string; botId: string };
  /** Messages of a webhook or a channel, oldest first. */
  messages(id: string): FakeMessage[];
  rateLimitNext(seconds: number): void;
  /** The next created message is stored but its request never gets an answer. */
  loseNextAnswer(): void;
  removeWebhook(webhookId: string): void;
  stop(): Promise<void>;
}

export interface FakeMessage {
  id: string;
  content: string;
  attachments: { filename: string; description?: string }[];
  replyTo: string | null;
}

const NONCE_WINDOW_MS = 5 * 60_000;
const CHANNEL_PATH = /^\/api\/v10\/channels\/(\d+)\/messages(?:\/(\d+))?$/;
const WEBHOOK_PATH = /^\/api\/v10\/webhooks\/(\d+)\/([\w-]+)(?:\/messages\/(\d+))?$/;

interface Stored {
  id: string;
  content: string;
  attachments: {
    id: string;
    filename: string;
    size: number;
    description?: string;
    url: string;
    proxy_url: string;
  }[];
  authorId: string;
  nonce?: string;
  createdAt: number;
  replyTo: string | null;
}

interface Box {
  channelId: string;
  messages: Stored[];
  /** Webhooks: their token; channels: the bot's token. */
  token: string;
  authorId: string;
}

export async function startDiscordFake(): Promise<DiscordFake> {
  const hooks = new Map<string, Box>();
  const channels = new Map<string, Box>();
  const bots = new Map<string, string>(); // token -> bot user id
  let next = 1_200_000_000_000_000_000n;
  let limitSeconds: number | null = null;
  let loseNext = false;
  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    });
    res.end(body !== undefined ? JSON.stringify(body) : undefined);
  };
  const bucketHeaders = (bucket: string): Record<string, string> => ({
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': String((Date.now() + 2000) / 1000),
    'x-ratelimit-reset-after': '2.000',
    'x-ratelimit-bucket': bucket,
  });
  const rateLimited = (res: ServerResponse, s: number, bucket: string) =>
    send(
      res,
      429,
      { message: 'You are being rate limited.', code: 0, retry_after: s, global: false },
      {
        ...bucketHeaders(bucket),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String((Date.now() + s * 1000) / 1000),
        'x-ratelimit-reset-after': s.toFixed(3),
        'retry-after': String(s),
        'x-ratelimit-global': 'false',
        'x-ratelimit-scope': 'user',
      },
    );
  const user = (id: string, bot: boolean) => ({
    id,
    username: bot ? 'wire-report-bot' : 'Wire Report',
    avatar: null,
    discriminator: '0000',
    public_flags: 0,
    flags: 0,
    global_name: null,
    primary_guild: null,
    ...(bot ? { bot: true } : {}),
  });
  const render = (box: Box, m: Stored, extra: Record<string, unknown> = {}) => ({
    type: m.replyTo ? 19 : 0,
    content: m.content,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments,
    embeds: [],
    timestamp: new Date(m.createdAt).toISOString(),
    edited_timestamp: null,
    flags: 0,
    components: [],
    id: m.id,
    channel_id: box.channelId,
    author: user(box.authorId, channels.has(box.channelId)),
    pinned: false,
    mention_everyone: false,
    tts: false,
    ...(m.replyTo
      ? {
          message_reference: { type: 0, channel_id: box.channelId, message_id: m.replyTo },
          referenced_message: null,
        }
      : {}),
    ...extra,
  });

  async function readPayload(req: IncomingMessage, body: Buffer) {
    const request = new Request('http://d/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body,
    });
    let payload: {
      content?: string;
      nonce?: string | number;
      enforce_nonce?: boolean;
      message_reference?: { message_id: string; fail_if_not_exists?: boolean };
      attachments?: { id: number; description?: string; filename?: string }[];
    };
    const files: { filename: string; size: number }[] = [];
    if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      const form = await request.formData();
      payload = JSON.parse(String(form.get('payload_json') ?? '{}'));
      for (const [key, value] of form) {
        if (key.startsWith('files[') && typeof value !== 'string')
          files.push({ filename: value.name, size: value.size });
      }
    } else payload = (await request.json()) as typeof payload;
    return { payload, files };
  }

  /** Creates a message in a box (nonce enforcement, replies) and answers with it (`wait`) or a bare 204. */
  async function create(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    box: Box,
    bucket: string,
    wait = true,
  ) {
    if (limitSeconds !== null) {
      const s = limitSeconds;
      limitSeconds = null;
      return rateLimited(res, s, bucket);
    }
    const { payload, files } = await readPayload(req, body);
    const nonce = payload.nonce === undefined ? undefined : String(payload.nonce);
    if (nonce !== undefined && payload.enforce_nonce) {
      const earlier = box.messages.find(
        (m) => m.nonce === nonce && m.authorId === box.authorId && Date.now() - m.createdAt < NONCE_WINDOW_MS,
      );
      if (earlier) return send(res, 200, render(box, earlier, { nonce }), bucketHeaders(bucket));
    }
    const replyTo = payload.message_reference?.message_id ?? null;
    if (replyTo && !box.messages.some((m) => m.id === replyTo))
      return send(
        res,
        400,
        {
          code: 50035,
          message: 'Invalid Form Body',
          errors: {
            message_reference: {
              _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }],
            },
          },
        },
        bucketHeaders(bucket),
      );
    const id = String(next++);
    const attachments = files.map((f, i) => ({
      id: String(next++),
      filename: f.filename,
      size: f.size,
      url: `https://cdn.discordapp.com/attachments/1/${id}/${f.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/1/${id}/${f.filename}`,
      ...(payload.attachments?.[i]?.description ? { description: payload.attachments[i]!.description } : {}),
    }));
    const stored: Stored = {
      id,
      content: payload.content ?? '',
      attachments,
      authorId: box.authorId,
      createdAt: Date.now(),
      replyTo,
      ...(nonce !== undefined ? { nonce } : {}),
    };
    box.messages.push(stored);
    if (loseNext) {
      loseNext = false;
      return; // accepted, never answered: the client's timeout decides
    }
    if (!wait) return send(res, 204, undefined, bucketHeaders(bucket));
    return send(res, 200, render(box, stored, nonce !== undefined ? { nonce } : {}), bucketHeaders(bucket));
  }

  function remove(res: ServerResponse, box: Box, messageId: string, bucket: string) {
    const i = box.messages.findIndex((x) => x.id === messageId);
    if (i < 0) return send(res, 404, { message: 'Unknown Message', code: 10008 }, bucketHeaders(bucket));
    box.messages.splice(i, 1);
    return send(res, 204, undefined, bucketHeaders(bucket));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const url = new URL(req.url ?? '/', 'http://d');
    const auth = /^Bot (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const botId = auth ? bots.get(auth) : undefined;
    if (url.pathname === '/api/v10/users/@me') {
      if (!botId) return send(res, 401, { message: '401: Unauthorized', code: 0 });
      return send(
        res,
        200,
        { ...user(botId, true), mfa_enabled: false, locale: 'en-US' },
        bucketHeaders('fake-users-me'),
      );
    }
    const c = CHANNEL_PATH.exec(url.pathname);
    if (c) {
      if (!botId) return send(res, 401, { message: '401: Unauthorized', code: 0 });
      const box = channels.get(c[1]!);
      if (!box) return send(res, 404, { message: 'Unknown Channel', code: 10003 });
      if (box.authorId !== botId) return send(res, 403, { message: 'Missing Access', code: 50001 });
      const bucket = `fake-channel-${c[1]}`;
      if (req.method === 'POST' && !c[2]) return create(req, res, body, box, bucket);
      if (req.method === 'DELETE' && c[2]) return remove(res, box, c[2], bucket);
      if (req.method === 'GET' && !c[2]) {
        const limit = Math.max(1, Math.min(Number(url.searchParams.get('limit') ?? 50), 100));
        const newest = box.messages.slice(-limit).reverse();
        return send(
          res,
          200,
          newest.map((m) => render(box, m)),
          bucketHeaders(`${bucket}-read`),
        );
      }
      return send(res, 405, { message: '405: Method Not Allowed', code: 0 });
    }
    const w = WEBHOOK_PATH.exec(url.pathname);
    const hook = w ? hooks.get(w[1]!) : undefined;
    if (!w || !hook || hook.token !== w[2])
      return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
    if (req.method === 'DELETE' && w[3]) return remove(res, hook, w[3], 'fake-webhook-bucket');
    if (req.method !== 'POST' || w[3]) return send(res, 405, { message: '405: Method Not Allowed', code: 0 });
    return create(req, res, body, hook, 'fake-webhook-bucket', url.searchParams.get('wait') === 'true');
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { message: String(error), code: 0 });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const view = (box: Box | undefined): FakeMessage[] =>
    (box?.messages ?? []).map((x) => ({
      id: x.id,
      content: x.content,
      attachments: x.attachments.map((a) => ({
        filename: a.filename,
        ...(a.description ? { description: a.description } : {}),
      })),
      replyTo: x.replyTo,
    }));
  return {
    url: `http://127.0.0.1:${port}`,
    addWebhook(apiBase) {
      const id = String(next++);
      const token = `tok-${Math.random().toString(36).slice(2)}`;
      hooks.set(id, { channelId: '1100000000000000001', token, authorId: id, messages: [] });
      return { id, token, url: `${apiBase}/api/webhooks/${id}/${token}` };
    },
    addChannel() {
      const channelId = String(next++);
      const botId = String(next++);
      const botToken = `bot-${Math.random().toString(36).slice(2)}.${Math.random().toString(36).slice(2)}`;
      bots.set(botToken, botId);
      channels.set(channelId, { channelId, token: botToken, authorId: botId, messages: [] });
      return { channelId, botToken, botId };
    },
    messages: (id) => view(hooks.get(id) ?? channels.get(id)),
    rateLimitNext(seconds) {
      limitSeconds = seconds;
    },
    loseNextAnswer() {
      loseNext = true;
    },
    removeWebhook(id) {
      hooks.delete(id);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
