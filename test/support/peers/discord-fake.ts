import { createServer, type Server, type ServerResponse } from 'node:http';

/**
 * A small stateful stand-in for Discord's webhook endpoints behind prism:
 * keeps each webhook's messages (content, attachments with descriptions),
 * answers `?wait=true` with the message, 404 for an unknown or deleted
 * webhook, and 429 with Discord's real headers and body on demand. prism
 * checks every exchange against Discord's own OpenAPI description.
 */
export interface DiscordFake {
  url: string;
  /** A webhook; its URL as Discord gives it (with the peer's base). */
  addWebhook(apiBase: string): { id: string; token: string; url: string };
  messages(
    webhookId: string,
  ): { id: string; content: string; attachments: { filename: string; description?: string }[] }[];
  rateLimitNext(seconds: number): void;
  removeWebhook(webhookId: string): void;
  stop(): Promise<void>;
}

export async function startDiscordFake(): Promise<DiscordFake> {
  const hooks = new Map<
    string,
    {
      token: string;
      messages: {
        id: string;
        content: string;
        attachments: { id: string; filename: string; size: number; description?: string }[];
      }[];
    }
  >();
  let next = 1_200_000_000_000_000_000n;
  let limitSeconds: number | null = null;
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
  const bucketHeaders = (): Record<string, string> => ({
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': String((Date.now() + 2000) / 1000),
    'x-ratelimit-reset-after': '2.000',
    'x-ratelimit-bucket': 'fake-webhook-bucket',
  });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://d');
      const m = /^\/api\/v10\/webhooks\/(\d+)\/([\w-]+)(?:\/messages\/(\d+))?$/.exec(url.pathname);
      const hook = m ? hooks.get(m[1]!) : undefined;
      if (!m || !hook || hook.token !== m[2])
        return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
      if (limitSeconds !== null && req.method === 'POST') {
        const s = limitSeconds;
        limitSeconds = null;
        return send(
          res,
          429,
          { message: 'You are being rate limited.', code: 0, retry_after: s, global: false },
          {
            ...bucketHeaders(),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String((Date.now() + s * 1000) / 1000),
            'x-ratelimit-reset-after': s.toFixed(3),
            'retry-after': String(s),
            'x-ratelimit-global': 'false',
            'x-ratelimit-scope': 'user',
          },
        );
      }
      if (req.method === 'DELETE' && m[3]) {
        const i = hook.messages.findIndex((x) => x.id === m[3]);
        if (i < 0) return send(res, 404, { message: 'Unknown Message', code: 10008 });
        hook.messages.splice(i, 1);
        return send(res, 204, undefined, bucketHeaders());
      }
      if (req.method !== 'POST' || m[3])
        return send(res, 405, { message: '405: Method Not Allowed', code: 0 });
      const request = new Request('http://d/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body: Buffer.concat(chunks),
      });
      let payload: {
        content?: string;
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
      const id = String(next++);
      const attachments = files.map((f, i) => ({
        id: String(next++),
        filename: f.filename,
        size: f.size,
        url: `https://cdn.discordapp.com/attachments/1/${id}/${f.filename}`,
        proxy_url: `https://media.discordapp.net/attachments/1/${id}/${f.filename}`,
        ...(payload.attachments?.[i]?.description
          ? { description: payload.attachments[i]!.description }
          : {}),
      }));
      hook.messages.push({ id, content: payload.content ?? '', attachments });
      if (url.searchParams.get('wait') !== 'true') return send(res, 204, undefined, bucketHeaders());
      return send(
        res,
        200,
        {
          type: 0,
          content: payload.content ?? '',
          mentions: [],
          mention_roles: [],
          attachments,
          embeds: [],
          timestamp: new Date().toISOString(),
          edited_timestamp: null,
          flags: 0,
          components: [],
          id,
          channel_id: '1100000000000000001',
          webhook_id: m[1],
          author: {
            id: m[1],
            username: 'Wire Report',
            avatar: null,
            discriminator: '0000',
            public_flags: 0,
            flags: 0,
            global_name: null,
            primary_guild: null,
          },
          pinned: false,
          mention_everyone: false,
          tts: false,
        },
        bucketHeaders(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    addWebhook(apiBase) {
      const id = String(next++);
      const token = `tok-${Math.random().toString(36).slice(2)}`;
      hooks.set(id, { token, messages: [] });
      return { id, token, url: `${apiBase}/api/webhooks/${id}/${token}` };
    },
    messages: (id) =>
      (hooks.get(id)?.messages ?? []).map((x) => ({
        id: x.id,
        content: x.content,
        attachments: x.attachments.map((a) => ({
          filename: a.filename,
          ...(a.description ? { description: a.description } : {}),
        })),
      })),
    rateLimitNext(seconds) {
      limitSeconds = seconds;
    },
    removeWebhook(id) {
      hooks.delete(id);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
