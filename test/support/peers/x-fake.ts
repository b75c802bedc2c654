import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small stateful stand-in for X's API v2 behind prism: keeps posts per
 * user (ids, text, replies, metrics), answers duplicate text with X's 403,
 * and keeps a 15-minute window per user with X's real headers, answering 429
 * (no Retry-After, as X) when it is spent. prism checks every exchange
 * against X's own OpenAPI description.
 */
export interface XFake {
  url: string;
  /** A user and the bearer token (OAuth 2.0) or oauth_token (OAuth 1.0a) that acts as them. */
  addUser(username: string): { id: string; token: string };
  posts(userId: string): { id: string; text: string; replyTo: string | null }[];
  /** Leaves `remaining` requests in the user's window, resetting `resetInSeconds` from now. */
  setWindow(userId: string, remaining: number, resetInSeconds: number): void;
  stop(): Promise<void>;
}

interface Post {
  id: string;
  authorId: string;
  text: string;
  replyTo: string | null;
  deleted: boolean;
}

export async function startXFake(): Promise<XFake> {
  const users = new Map<string, { id: string; username: string }>();
  const byToken = new Map<string, string>();
  const posts: Post[] = [];
  const windows = new Map<string, { limit: number; remaining: number; reset: number }>();
  let nextId = 1_800_000_000_000_000_000n;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const userOf = (req: IncomingMessage): string | null => {
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    const oauth1 = /oauth_token="([^"]+)"/.exec(auth)?.[1];
    const token = bearer ?? (oauth1 ? decodeURIComponent(oauth1) : undefined);
    return token ? (byToken.get(token) ?? null) : null;
  };
  const windowHeaders = (userId: string): Record<string, string> => {
    const now = Math.floor(Date.now() / 1000);
    let w = windows.get(userId);
    if (!w || w.reset <= now) {
      w = { limit: 100, remaining: 100, reset: now + 900 };
      windows.set(userId, w);
    }
    return {
      'x-rate-limit-limit': String(w.limit),
      'x-rate-limit-remaining': String(Math.max(0, w.remaining)),
      'x-rate-limit-reset': String(w.reset),
    };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const userId = userOf(req);
      if (!userId)
        return send(res, 401, {
          title: 'Unauthorized',
          type: 'about:blank',
          status: 401,
          detail: 'Unauthorized',
          code: 32,
          message: 'Unauthorized',
        });
      const w = windows.get(userId);
      const headers = windowHeaders(userId);
      const win = windows.get(userId)!;
      if (win.remaining <= 0) {
        return send(
          res,
          429,
          {
            title: 'Too Many Requests',
            type: 'about:blank',
            status: 429,
            detail: 'Too Many Requests',
            code: 88,
            message: 'Too Many Requests',
          },
          { ...headers, 'x-rate-limit-remaining': '0' },
        );
      }
      win.remaining--;
      Object.assign(headers, { 'x-rate-limit-remaining': String(win.remaining) });
      void w;
      const path = url.pathname;
      if (req.method === 'POST' && path === '/2/tweets') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          text?: string;
          reply?: { in_reply_to_tweet_id?: string };
        };
        const text = body.text ?? '';
        if (posts.some((p) => p.authorId === userId && !p.deleted && p.text === text)) {
          return send(
            res,
            403,
            {
              // X's body, plus the `code`/`message` its OpenAPI `Error` schema requires (prism checks them).
              detail: 'You are not allowed to create a Tweet with duplicate content.',
              type: 'about:blank',
              title: 'Forbidden',
              status: 403,
              code: 187,
              message: 'You are not allowed to create a Tweet with duplicate content.',
            },
            headers,
          );
        }
        const id = String(nextId++);
        posts.push({
          id,
          authorId: userId,
          text,
          replyTo: body.reply?.in_reply_to_tweet_id ?? null,
          deleted: false,
        });
        return send(res, 201, { data: { id, text, edit_history_post_ids: [id] } }, headers);
      }
      if (req.method === 'GET' && path === '/2/users/me') {
        const u = users.get(userId)!;
        return send(res, 200, { data: { id: u.id, name: u.username, username: u.username } }, headers);
      }
      const timeline = /^\/2\/users\/(\d+)\/tweets$/.exec(path);
      if (req.method === 'GET' && timeline) {
        const max = Number(url.searchParams.get('max_results') ?? 10);
        const noReplies = (url.searchParams.get('exclude') ?? '').includes('replies');
        const list = posts
          .filter((p) => p.authorId === timeline[1] && !p.deleted && !(noReplies && p.replyTo))
          .reverse()
          .slice(0, max)
          .map((p) => ({ id: p.id, text: p.text, edit_history_post_ids: [p.id] }));
        return send(
          res,
          200,
          {
            data: list,
            meta: {
              result_count: list.length,
              ...(list[0] ? { newest_id: list[0].id, oldest_id: list.at(-1)!.id } : {}),
            },
          },
          headers,
        );
      }
      const one = /^\/2\/tweets\/(\d+)$/.exec(path);
      if (one) {
        const post = posts.find((p) => p.id === one[1] && !p.deleted);
        if (req.method === 'DELETE') {
          if (post) post.deleted = true;
          return send(res, 200, { data: { deleted: true } }, headers);
        }
        if (!post)
          return send(
            res,
            200,
            {
              errors: [
                {
                  title: 'Not Found Error',
                  type: 'https://api.twitter.com/2/problems/resource-not-found',
                  detail: `Could not find tweet with id: [${one[1]}].`,
                },
              ],
            },
            headers,
          );
        const replies = posts.filter((p) => p.replyTo === post.id && !p.deleted).length;
        return send(
          res,
          200,
          {
            data: {
              id: post.id,
              text: post.text,
              edit_history_post_ids: [post.id],
              public_metrics: {
                like_count: 0,
                repost_count: 0,
                reply_count: replies,
                quote_count: 0,
                bookmark_count: 0,
                impression_count: 0,
              },
            },
          },
          headers,
        );
      }
      return send(res, 404, {
        title: 'Not Found',
        type: 'about:blank',
        status: 404,
        detail: `no route ${req.method} ${path}`,
        code: 34,
        message: 'Not Found',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    addUser(username) {
      const id = String(4_000_000 + n++);
      const token = `xtoken-${username}-${Math.random().toString(36).slice(2)}`;
      users.set(id, { id, username });
      byToken.set(token, id);
      return { id, token };
    },
    posts: (userId) =>
      posts
        .filter((p) => p.authorId === userId && !p.deleted)
        .map((p) => ({ id: p.id, text: p.text, replyTo: p.replyTo })),
    setWindow(userId, remaining, resetInSeconds) {
      windows.set(userId, { limit: 100, remaining, reset: Math.floor(Date.now() / 1000) + resetInSeconds });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
