import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { imageSize, parseMultipart } from './multipart.ts';

/**
 * A small stateful stand-in for X's API v2 behind prism: keeps posts per
 * user (ids, text, replies, metrics), answers duplicate text with X's 403,
 * and keeps a 15-minute window per user with X's real headers, answering 429
 * (no Retry-After, as X) when it is spent. prism checks every exchange
 * against X's own OpenAPI description.
 *
 * Media: the v2 chunked upload (`/2/media/upload/initialize`, `/{id}/append`,
 * `/{id}/finalize`) keeps the bytes, `/2/media/metadata` the alt text, and a
 * post's `media.media_ids` must name finalized uploads of the same user. As
 * X does, a post with media reads back with a media link appended to its text.
 *
 * OAuth 2.0 (`POST /2/oauth2/token`, grant_type=refresh_token, a form body
 * as X documents; not in X's OpenAPI description, so called directly, not
 * through prism): every refresh issues a new access token and a new refresh
 * token and revokes the refresh token used (X's rotation); a revoked or
 * unknown one is refused with X's `invalid_request` answer.
 */
export interface XFake {
  url: string;
  /** The OAuth 2.0 client id the token endpoint accepts. */
  readonly clientId: string;
  /** A user and the bearer token (OAuth 2.0) or oauth_token (OAuth 1.0a) that acts as them, and a refresh token. */
  addUser(username: string): { id: string; token: string; refreshToken: string };
  posts(userId: string): {
    id: string;
    text: string;
    replyTo: string | null;
    images: number;
    alt: string[];
    /** SHA-256 (hex) of each attached image's bytes as uploaded. */
    imageSha256: string[];
  }[];
  /** Makes every access token of the user answer 401 from now on (as an expired one does). */
  expireAccessTokens(userId: string): void;
  /**
   * A front for prism that keeps binary bodies intact. prism 5.14 reads every
   * non-JSON body as UTF-8 text and forwards that text, which destroys the
   * bytes of a multipart image upload (it still validates the parts). The
   * front passes each request on to `prismUrl` unchanged and keeps the bytes
   * of a multipart body aside under a request header; the fake takes the
   * kept bytes for that request instead of prism's re-encoded copy.
   */
  binarySafeFront(prismUrl: string): Promise<{ url: string; stop(): Promise<void> }>;
  /** Token endpoint calls: how many refreshes were granted and refused. */
  readonly refreshes: { granted: number; refused: number };
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
  mediaIds: string[];
}

interface Upload {
  id: string;
  owner: string;
  mediaType: string;
  totalBytes: number;
  segments: Map<number, Buffer>;
  bytes: Buffer | null;
  alt: string | null;
}

const CLIENT_ID = 'wirereport-test-client';

export async function startXFake(): Promise<XFake> {
  const users = new Map<string, { id: string; username: string }>();
  const byToken = new Map<string, string>();
  const posts: Post[] = [];
  const windows = new Map<string, { limit: number; remaining: number; reset: number }>();
  const uploads = new Map<string, Upload>();
  const refreshTokens = new Map<string, { userId: string; revoked: boolean }>();
  const expiredTokens = new Set<string>();
  const refreshes = { granted: 0, refused: 0 };
  const keptBodies = new Map<string, Buffer>();
  let keptId = 0;
  let nextId = 1_800_000_000_000_000_000n;
  let nextMediaId = 1_900_000_000_000_000_000n;
  const randomToken = (kind: string): string =>
    `${kind}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const displayText = (p: Post): string =>
    p.mediaIds.length > 0 ? `${p.text} https://t.co/${p.id.slice(-10)}` : p.text;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const problem = (status: number, detail: string) => ({
    title: status === 404 ? 'Not Found' : 'Invalid Request',
    type: 'about:blank',
    status,
    detail,
    code: status === 404 ? 34 : 324,
    message: detail,
  });
  const userOf = (req: IncomingMessage): string | null => {
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    const oauth1 = /oauth_token="([^"]+)"/.exec(auth)?.[1];
    const token = bearer ?? (oauth1 ? decodeURIComponent(oauth1) : undefined);
    return token && !expiredTokens.has(token) ? (byToken.get(token) ?? null) : null;
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
      const keptKey = req.headers['x-peer-kept-body'];
      const kept = typeof keptKey === 'string' ? keptBodies.get(keptKey) : undefined;
      if (typeof keptKey === 'string') keptBodies.delete(keptKey);
      const body = kept ?? Buffer.concat(chunks);
      if (req.method === 'POST' && url.pathname === '/2/oauth2/token') return token(req, body, res);
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
      if (req.method === 'POST' && path.startsWith('/2/media/'))
        return media(req, path, body, userId, res, headers);
      if (req.method === 'POST' && path === '/2/tweets') {
        const json = JSON.parse(body.toString('utf8') || '{}') as {
          text?: string;
          reply?: { in_reply_to_tweet_id?: string };
          media?: { media_ids?: string[] };
        };
        const text = json.text ?? '';
        const mediaIds = json.media?.media_ids ?? [];
        for (const id of mediaIds) {
          const upload = uploads.get(id);
          if (!upload || upload.owner !== userId || !upload.bytes)
            return send(res, 400, problem(400, `Your media IDs are invalid: ${id}`), headers);
        }
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
        const post: Post = {
          id,
          authorId: userId,
          text,
          replyTo: json.reply?.in_reply_to_tweet_id ?? null,
          deleted: false,
          mediaIds,
        };
        posts.push(post);
        return send(
          res,
          201,
          { data: { id, text: displayText(post), edit_history_post_ids: [id] } },
          headers,
        );
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
          .map((p) => ({ id: p.id, text: displayText(p), edit_history_post_ids: [p.id] }));
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
              text: displayText(post),
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
  /** POST /2/oauth2/token, refresh grant (X's OAuth 2.0 docs: a form body; the client id in the body or Basic auth). */
  function token(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    const refuse = (description: string) => {
      refreshes.refused++;
      send(res, 400, { error: 'invalid_request', error_description: description });
    };
    if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded'))
      return refuse('Missing required parameter [grant_type].');
    const form = new URLSearchParams(body.toString('utf8'));
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const clientId =
      form.get('client_id') ?? (basic ? Buffer.from(basic, 'base64').toString().split(':')[0] : null);
    if (clientId !== CLIENT_ID) return refuse('Missing valid authorization header');
    if (form.get('grant_type') !== 'refresh_token') return refuse('Missing required parameter [grant_type].');
    const presented = form.get('refresh_token') ?? '';
    const grant = refreshTokens.get(presented);
    if (!grant || grant.revoked) return refuse('Value passed for the token was invalid.');
    grant.revoked = true;
    const access = randomToken('xaccess');
    const refresh = randomToken('xrefresh');
    byToken.set(access, grant.userId);
    refreshTokens.set(refresh, { userId: grant.userId, revoked: false });
    refreshes.granted++;
    send(res, 200, {
      token_type: 'bearer',
      expires_in: 7200,
      access_token: access,
      scope: 'tweet.write users.read tweet.read offline.access media.write',
      refresh_token: refresh,
    });
  }

  /** The v2 media endpoints: chunked upload and metadata (alt text). */
  function media(
    req: IncomingMessage,
    path: string,
    body: Buffer,
    userId: string,
    res: ServerResponse,
    headers: Record<string, string>,
  ) {
    if (path === '/2/media/upload/initialize') {
      const json = JSON.parse(body.toString('utf8') || '{}') as { media_type?: string; total_bytes?: number };
      const id = String(nextMediaId++);
      uploads.set(id, {
        id,
        owner: userId,
        mediaType: json.media_type ?? '',
        totalBytes: json.total_bytes ?? 0,
        segments: new Map(),
        bytes: null,
        alt: null,
      });
      return send(res, 200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86_400 } }, headers);
    }
    const step = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path);
    if (step) {
      const upload = uploads.get(step[1]!);
      if (!upload || upload.owner !== userId)
        return send(res, 400, problem(400, `no upload ${step[1]}`), headers);
      if (step[2] === 'append') {
        const parts = parseMultipart(req.headers['content-type'] ?? '', body);
        const index = Number(parts.get('segment_index')?.data.toString());
        const chunk = parts.get('media')?.data;
        if (!Number.isInteger(index) || !chunk)
          return send(res, 400, problem(400, 'segment_index and media are required'), headers);
        upload.segments.set(index, chunk);
        return send(res, 200, { data: { expires_at: Math.floor(Date.now() / 1000) + 86_400 } }, headers);
      }
      const bytes = Buffer.concat(
        [...upload.segments.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c),
      );
      const size = imageSize(bytes);
      if (bytes.length !== upload.totalBytes || !size || size.type !== upload.mediaType)
        return send(
          res,
          400,
          problem(
            400,
            `media ${upload.id}: ${bytes.length} of ${upload.totalBytes} bytes, or not a ${upload.mediaType}`,
          ),
          headers,
        );
      upload.bytes = bytes;
      return send(
        res,
        200,
        {
          data: {
            id: upload.id,
            media_key: `3_${upload.id}`,
            size: bytes.length,
            expires_after_secs: 86_400,
            image: { image_type: size.type, w: size.width, h: size.height },
          },
        },
        headers,
      );
    }
    if (path === '/2/media/metadata') {
      const json = JSON.parse(body.toString('utf8') || '{}') as {
        id?: string;
        metadata?: { alt_text?: { text?: string } };
      };
      const upload = uploads.get(json.id ?? '');
      if (!upload || upload.owner !== userId)
        return send(res, 400, problem(400, `no media ${json.id}`), headers);
      upload.alt = json.metadata?.alt_text?.text ?? null;
      return send(res, 200, { data: { id: upload.id, associated_metadata: json.metadata ?? {} } }, headers);
    }
    return send(res, 404, problem(404, `no route POST ${path}`), headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    clientId: CLIENT_ID,
    refreshes,
    async binarySafeFront(prismUrl) {
      const front = createServer((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', async () => {
          const body = Buffer.concat(parts);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(req.headers))
            if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
          if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
            const key = String(++keptId);
            keptBodies.set(key, body);
            headers['x-peer-kept-body'] = key;
          }
          try {
            const answer = await fetch(prismUrl + (req.url ?? '/'), {
              method: req.method ?? 'GET',
              headers,
              ...(req.method === 'GET' || req.method === 'DELETE' || body.length === 0 ? {} : { body }),
            });
            const out: Record<string, string> = {};
            answer.headers.forEach((v, k) => {
              if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))
                out[k] = v;
            });
            res.writeHead(answer.status, out);
            res.end(Buffer.from(await answer.arrayBuffer()));
          } catch (error) {
            res.writeHead(502);
            res.end(String(error));
          }
        });
      });
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      const a = front.address();
      return {
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
        stop: () => new Promise<void>((resolve) => front.close(() => resolve())),
      };
    },
    addUser(username) {
      const id = String(4_000_000 + n++);
      const token = `xtoken-${username}-${Math.random().toString(36).slice(2)}`;
      const refreshToken = randomToken('xrefresh');
      users.set(id, { id, username });
      byToken.set(token, id);
      refreshTokens.set(refreshToken, { userId: id, revoked: false });
      return { id, token, refreshToken };
    },
    expireAccessTokens(userId) {
      for (const [t, owner] of byToken) if (owner === userId) expiredTokens.add(t);
    },
    posts: (userId) =>
      posts
        .filter((p) => p.authorId === userId && !p.deleted)
        .map((p) => {
          const media = p.mediaIds.map((m) => uploads.get(m)!);
          return {
            id: p.id,
            text: p.text,
            replyTo: p.replyTo,
            images: media.length,
            alt: media.map((m) => m.alt ?? ''),
            imageSha256: media.map((m) => createHash('sha256').update(m.bytes!).digest('hex')),
          };
        }),
    setWindow(userId, remaining, resetInSeconds) {
      windows.set(userId, { limit: 100, remaining, reset: Math.floor(Date.now() / 1000) + resetInSeconds });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
