import { Agent } from 'node:http';
import {
  ApiRequestError,
  ApiResponseError,
  type ITwitterApiClientPlugin,
  TwitterApi,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import type { CredentialState } from '../credential-state.ts';
import { AuthExpiredError, DuplicateContentError, PermanentPublishError } from '../errors.ts';
import {
  bounded,
  classifyNetwork,
  classifyStatus,
  comparableText,
  header,
  numberHeader,
  resetTime,
} from '../http.ts';
import type { Engagement, PlatformAdapter, PublishedPost, RateLimitObservation } from '../platform.ts';
import { xLength, xPostFeeUsdMicros } from './fees.ts';
import { finalizeWithoutBody, uploadXImages } from './media.ts';
import { OAuth2TokenKeeper } from './tokens.ts';

export type XAuth =
  | { kind: 'oauth2'; accessToken: string; refreshToken?: string; clientId?: string; clientSecret?: string }
  | { kind: 'oauth1'; appKey: string; appSecret: string; accessToken: string; accessSecret: string };

export interface XOptions {
  auth: XAuth;
  accountId: string;
  /** The account's numeric id. Default: looked up once with GET /2/users/me. */
  userId?: string;
  /** Default: https://api.x.com. A plain-http base (a local peer) gets a plain http.Agent. */
  apiBase?: string;
  onRateLimit?: (observation: RateLimitObservation) => void;
  /** Called after an OAuth 2.0 refresh: X rotates refresh tokens, keep the new one. */
  onTokens?: (tokens: { accessToken: string; refreshToken?: string }) => void;
  /**
   * Where OAuth 2.0 tokens rotated by a refresh are kept across restarts
   * (encrypted in the store, see `tokens.ts`). Default: none (memory only: a
   * restart after a refresh starts from the configured, revoked, refresh token).
   */
  credentialState?: CredentialState;
  /**
   * X's OAuth 2.0 token endpoint. Default: `${apiBase}/2/oauth2/token`. (X's
   * OpenAPI description names it only in its security scheme, so a validating
   * proxy built from it cannot pass it on: tests point this at the fake.)
   */
  tokenUrl?: string;
  /** How many recent posts `find` reads (5 to 100). Default: 100. */
  findDepth?: number;
  now?: () => number;
}

/** URLs come back wrapped in t.co links: compare texts with every URL replaced by one token. */
function withoutUrls(text: string): string {
  return comparableText(text).replace(/https?:\/\/\S+/g, '<url>');
}

/** The text without the trailing media link X appends to a post with images (`… https://t.co/x`). */
function withoutMediaLink(text: string): string {
  return withoutUrls(text).replace(/\s*<url>$/, '');
}

/**
 * X (API v2) through `twitter-api-v2`: OAuth 2.0 user tokens (refreshed once
 * on a 401 when a refresh token and client id are configured) or OAuth 1.0a.
 * A thread is a reply chain. Fees: $0.015 per post, $0.20 per post with a URL
 * (`feeUsdMicros` counts every part of a thread). X's 403 "duplicate content"
 * becomes DuplicateContentError (reconcile, never retry); a 429's wait comes
 * from `x-rate-limit-reset` or, for the daily caps, `x-user-limit-24hour-reset`
 * / `x-app-limit-24hour-reset` (X sends no Retry-After).
 */
export function createXAdapter(options: XOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  const base = (options.apiBase ?? 'https://api.x.com').replace(/\/$/, '');
  let auth = options.auth;
  const tokens =
    auth.kind === 'oauth2'
      ? new OAuth2TokenKeeper(
          {
            accessToken: auth.accessToken,
            ...(auth.refreshToken ? { refreshToken: auth.refreshToken } : {}),
          },
          options.credentialState,
        )
      : null;
  const tokenUrl = options.tokenUrl ?? `${base}/2/oauth2/token`;
  let userId: Promise<string> | null = options.userId ? Promise.resolve(options.userId) : null;

  const observePlugin: ITwitterApiClientPlugin = {
    onAfterRequest: ({ response }) => {
      observeHeaders(response.headers, false);
    },
  };
  // twitter-api-v2 (1.29) calls the token endpoint at a fixed https://api.x.com
  // URL, and its body detection sends JSON there; X's token endpoint takes a
  // form (application/x-www-form-urlencoded).
  const tokenEndpointPlugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig: ({ params }) => {
      if (params.url !== 'https://api.x.com/2/oauth2/token') return;
      params.url = tokenUrl;
      params.forceBodyMode = 'url';
    },
  };

  function makeClient(): TwitterApi {
    if (auth.kind === 'oauth2' && tokens) auth = { ...auth, ...tokens.current() };
    const settings = {
      plugins: [observePlugin, finalizeWithoutBody],
      ...(base.startsWith('http:') ? { httpAgent: new Agent({ keepAlive: false }) } : {}),
    };
    const client =
      auth.kind === 'oauth1'
        ? new TwitterApi(
            {
              appKey: auth.appKey,
              appSecret: auth.appSecret,
              accessToken: auth.accessToken,
              accessSecret: auth.accessSecret,
            },
            settings,
          )
        : new TwitterApi(auth.accessToken, settings);
    // setPrefix is protected in the typings; it is how the client is pointed at another host.
    (client.v2 as unknown as { setPrefix(prefix: string): void }).setPrefix(`${base}/2/`);
    return client;
  }
  let client = makeClient();

  /** Records the windows X reports; returns when the exhausted one resets (for a 429). */
  function observeHeaders(headers: unknown, exceeded: boolean): number | undefined {
    let latestExhausted: number | undefined;
    for (const [scope, prefix] of [
      ['window', 'x-rate-limit'],
      ['user-24h', 'x-user-limit-24hour'],
      ['app-24h', 'x-app-limit-24hour'],
    ] as const) {
      const remaining = numberHeader(headers, `${prefix}-remaining`);
      const resetAt = resetTime(header(headers, `${prefix}-reset`), 'epoch-seconds', now());
      if (resetAt === undefined) continue;
      const limit = numberHeader(headers, `${prefix}-limit`);
      const exhausted = remaining === 0;
      if (exhausted) latestExhausted = Math.max(latestExhausted ?? 0, resetAt);
      options.onRateLimit?.({
        platform: 'x',
        accountId: options.accountId,
        scope,
        ...(limit !== undefined ? { limit } : {}),
        ...(remaining !== undefined ? { remaining } : {}),
        resetAt,
        exceeded: exceeded && exhausted,
      });
    }
    return latestExhausted;
  }

  function classify(error: unknown, what: string, write: boolean): Error {
    if (error instanceof PermanentPublishError || error instanceof AuthExpiredError) return error;
    if (error instanceof ApiResponseError) {
      const detail = (error.data as { detail?: string; title?: string })?.detail ?? error.message;
      const message = `x ${what}: ${error.code} ${detail}`;
      if (error.code === 429) {
        const fromHeaders = observeHeaders(error.headers, true);
        const rl: TwitterRateLimit | undefined = error.rateLimit;
        const retryAt = fromHeaders ?? (rl?.reset ? rl.reset * 1000 : now() + 15 * 60_000);
        return classifyStatus(429, message, { retryAt, write, now: now(), cause: error });
      }
      if (error.code === 403 && /duplicate/i.test(detail))
        return new DuplicateContentError(message, { cause: error });
      return classifyStatus(error.code, message, { write, now: now(), cause: error });
    }
    if (error instanceof ApiRequestError) return classifyNetwork(error.requestError, `x ${what}`, write);
    return classifyNetwork(error, `x ${what}`, write);
  }

  /**
   * Runs a call with the current tokens. On a 401 with OAuth 2.0 refresh
   * configured it first adopts tokens another worker stored, else refreshes
   * (X rotates the refresh token: the new pair is stored before it is used),
   * and tries again; at most one refresh per call. A 401 means nothing was
   * posted, so trying again cannot duplicate.
   */
  async function withAuth<T>(
    what: string,
    write: boolean,
    signal: AbortSignal,
    call: (c: TwitterApi) => Promise<T>,
  ): Promise<T> {
    if (tokens) {
      await tokens.ready();
      await tokens.ensureSaved();
      if (auth.kind === 'oauth2' && auth.accessToken !== tokens.current().accessToken) client = makeClient();
    }
    let refreshed = false;
    for (;;) {
      try {
        return await bounded(signal, `x ${what}`, () => call(client), write);
      } catch (error) {
        const canRefresh = auth.kind === 'oauth2' && auth.clientId && tokens?.current().refreshToken;
        if (!(error instanceof ApiResponseError && error.code === 401) || !canRefresh || refreshed)
          throw classify(error, what, write);
      }
      if (!(await tokens!.adoptStored())) {
        await refresh(signal);
        refreshed = true;
      }
      client = makeClient();
    }
  }

  /** Trades the refresh token for a new pair at the token endpoint and keeps it. */
  async function refresh(signal: AbortSignal): Promise<void> {
    if (auth.kind !== 'oauth2' || !tokens) return;
    const refresher = new TwitterApi(
      { clientId: auth.clientId!, ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}) },
      {
        plugins: [tokenEndpointPlugin],
        ...(tokenUrl.startsWith('http:') ? { httpAgent: new Agent({ keepAlive: false }) } : {}),
      },
    );
    let result: { accessToken: string; refreshToken?: string };
    try {
      result = await bounded(
        signal,
        'x token refresh',
        () => refresher.refreshOAuth2Token(tokens.current().refreshToken!),
        false,
      );
    } catch (refreshError) {
      // The refresh token may have been rotated by another worker a moment ago.
      if (await tokens.adoptStored().catch(() => false)) return;
      // Only the status reaches the message: the token endpoint's answer is not for logs.
      const status = refreshError instanceof ApiResponseError ? ` (${refreshError.code})` : '';
      throw refreshError instanceof ApiResponseError && refreshError.code < 500
        ? new AuthExpiredError(`x: access token refused and the refresh failed${status}`, {
            cause: refreshError,
          })
        : classifyNetwork(refreshError, 'x token refresh', false);
    }
    const next = {
      accessToken: result.accessToken,
      ...(result.refreshToken ? { refreshToken: result.refreshToken } : {}),
    };
    await tokens.rotated(next);
    options.onTokens?.(next);
  }

  function me(signal: AbortSignal): Promise<string> {
    userId ??= withAuth('users/me', false, signal, (c) => c.v2.me()).then(
      (r) => r.data.id,
      (error: unknown) => {
        userId = null;
        throw error;
      },
    );
    return userId;
  }

  const urlOf = (id: string): string => `https://x.com/i/web/status/${id}`;

  return {
    platform: 'x',
    capabilities: { threads: true, images: true, canFind: true },

    async publish(request, signal) {
      const parts = [request.text, ...(request.thread ?? [])];
      for (const text of parts) {
        const { weighted, valid } = xLength(text);
        if (!valid)
          throw new PermanentPublishError(`x: ${weighted} weighted characters (limit 280) or invalid text`);
      }
      // Uploads are not posts: a failure here publishes nothing and may be retried.
      const mediaIds =
        request.images && request.images.length > 0
          ? await withAuth('media upload', false, signal, (c) => uploadXImages(c, request.images!))
          : [];
      // A continuation of a thread replies to its stored parent.
      const parentId = request.continueFrom?.parentId;
      const first = await withAuth('POST /2/tweets', true, signal, (c) =>
        c.v2.tweet(request.text, {
          ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds as [string] } } : {}),
          ...(parentId ? { reply: { in_reply_to_tweet_id: parentId } } : {}),
        }),
      );
      const out: PublishedPost = {
        platformPostId: first.data.id,
        url: urlOf(first.data.id),
        feeUsdMicros: xPostFeeUsdMicros(request.text),
      };
      if (request.thread) {
        out.threadPostIds = [];
        let parent = first.data.id;
        for (const part of request.thread) {
          const reply = await withAuth('POST /2/tweets (reply)', true, signal, (c) =>
            c.v2.tweet(part, { reply: { in_reply_to_tweet_id: parent } }),
          );
          out.threadPostIds.push(reply.data.id);
          out.feeUsdMicros += xPostFeeUsdMicros(part);
          parent = reply.data.id;
        }
      }
      return out;
    },

    async find(request, signal) {
      const id = await me(signal);
      const parent = request.continueFrom?.parentId;
      const timeline = await withAuth('GET /2/users/:id/tweets', false, signal, (c) =>
        c.v2.userTimeline(id, {
          max_results: Math.max(5, Math.min(options.findDepth ?? 100, 100)),
          // A new post is looked for among top-level posts, a continuation among replies (to its parent).
          ...(parent
            ? { 'tweet.fields': ['referenced_tweets' as const] }
            : { exclude: ['replies' as const] }),
        }),
      );
      const wanted = withoutUrls(request.text);
      // X appends a link to the attached media to a post's text: compare without it.
      const found = timeline.tweets.find(
        (t) =>
          (withoutUrls(t.text) === wanted || withoutMediaLink(t.text) === wanted) &&
          (!parent ||
            !t.referenced_tweets ||
            t.referenced_tweets.some((r) => r.type === 'replied_to' && r.id === parent)),
      );
      // A found post was charged when it was created: reconciliation records the same fee once.
      return found
        ? { platformPostId: found.id, url: urlOf(found.id), feeUsdMicros: xPostFeeUsdMicros(request.text) }
        : null;
    },

    async delete(platformPostId, signal) {
      await withAuth('DELETE /2/tweets/:id', false, signal, (c) => c.v2.deleteTweet(platformPostId));
    },

    async engagement(platformPostId, signal): Promise<Engagement | null> {
      try {
        const res = await withAuth('GET /2/tweets/:id', false, signal, (c) =>
          c.v2.singleTweet(platformPostId, { 'tweet.fields': ['public_metrics'] }),
        );
        const m = res.data.public_metrics as
          | {
              like_count?: number;
              retweet_count?: number;
              repost_count?: number;
              reply_count?: number;
              quote_count?: number;
            }
          | undefined;
        return {
          likes: m?.like_count ?? 0,
          reposts: m?.repost_count ?? m?.retweet_count ?? 0,
          replies: m?.reply_count ?? 0,
          quotes: m?.quote_count ?? 0,
        };
      } catch (error) {
        if (error instanceof PermanentPublishError) return null;
        throw error;
      }
    },
  };
}
