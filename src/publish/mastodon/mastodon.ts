import { createRestAPIClient, MastoHttpError, MastoTimeoutError, type mastodon } from 'masto';
import { PermanentPublishError } from '../errors.ts';
import { classifyNetwork, classifyStatus, comparableText, header, htmlToText, resetTime } from '../http.ts';
import type { Engagement, PlatformAdapter, PublishedPost, RateLimitObservation } from '../platform.ts';

export interface MastodonOptions {
  /** The instance, e.g. https://mastodon.social. */
  url: string;
  accessToken: string;
  accountId: string;
  /** Default: public. */
  visibility?: 'public' | 'unlisted' | 'private';
  onRateLimit?: (observation: RateLimitObservation) => void;
  /** How many recent statuses `find` reads. Default: 80. */
  findDepth?: number;
  /** Used when the instance does not say (GET /api/v2/instance). Default: 500. */
  defaultMaxCharacters?: number;
  now?: () => number;
}

/** Mastodon's length rule: every URL counts `urlChars` (default 23) characters, whatever its length. */
export function mastodonLength(text: string, urlChars = 23): number {
  const urls = text.match(/https?:\/\/\S+/g) ?? [];
  let n = [...text].length;
  for (const u of urls) n += urlChars - [...u].length;
  return n;
}

/**
 * Mastodon (and compatible servers) through `masto`. The instance's own
 * length limit is read once from `/api/v2/instance`
 * (`configuration.statuses.max_characters`); every status is sent with an
 * `Idempotency-Key` header derived from the post, so a retried create within
 * the server's idempotency window returns the first status instead of a
 * second one. Threads are reply chains; images go through the v1 media upload
 * with their description.
 */
export function createMastodonAdapter(options: MastodonOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  const client = createRestAPIClient({ url: options.url, accessToken: options.accessToken });
  let maxChars: Promise<{ maxChars: number; urlChars: number }> | null = null;
  let me: Promise<mastodon.v1.CredentialAccount> | null = null;

  /**
   * The instance's limits: `/api/v2/instance`, else `/api/v1/instance` (older
   * servers and snac serve only v1), else the defaults.
   */
  function limit(signal: AbortSignal): Promise<{ maxChars: number; urlChars: number }> {
    const fallback = { maxChars: options.defaultMaxCharacters ?? 500, urlChars: 23 };
    const read = (
      c: { statuses?: { maxCharacters?: number; charactersReservedPerUrl?: number } } | undefined,
    ) => ({
      maxChars: c?.statuses?.maxCharacters ?? fallback.maxChars,
      urlChars: c?.statuses?.charactersReservedPerUrl ?? fallback.urlChars,
    });
    maxChars ??= client.v2.instance
      .fetch(undefined, { requestInit: { signal } })
      .then((i) => read(i.configuration))
      // Servers without v2 (snac answers an HTML 404, which masto cannot parse) get a v1 try.
      .catch(async (error: unknown) => {
        if (error instanceof MastoHttpError && error.statusCode !== 404) throw error;
        const v1 = await client.v1.instance.fetch(undefined, { requestInit: { signal } });
        return read(v1.configuration as Parameters<typeof read>[0]);
      })
      .catch((error: unknown) => {
        maxChars = null;
        throw error;
      });
    return maxChars;
  }

  function account(signal: AbortSignal): Promise<mastodon.v1.CredentialAccount> {
    me ??= client.v1.accounts
      .verifyCredentials(undefined, { requestInit: { signal } })
      .catch((error: unknown) => {
        me = null;
        throw error;
      });
    return me;
  }

  /** Mastodon sends X-RateLimit-* on every response (snac sends none): record them when present. */
  function observe(headers: Headers): void {
    const remaining = header(headers, 'x-ratelimit-remaining');
    const resetAt = resetTime(header(headers, 'x-ratelimit-reset'), 'iso', now());
    if (!options.onRateLimit || remaining === undefined || resetAt === undefined) return;
    const limitN = Number(header(headers, 'x-ratelimit-limit'));
    options.onRateLimit({
      platform: 'mastodon',
      accountId: options.accountId,
      scope: 'window',
      ...(Number.isFinite(limitN) ? { limit: limitN } : {}),
      remaining: Number(remaining),
      resetAt,
      exceeded: false,
    });
  }

  function classify(error: unknown, what: string, write: boolean): Error {
    if (error instanceof PermanentPublishError) return error;
    if (error instanceof MastoHttpError) {
      const headers = error.cause instanceof Response ? error.cause.headers : undefined;
      const message = `mastodon ${what}: ${error.statusCode} ${error.message}`;
      if (error.statusCode === 429) {
        const resetAt = resetTime(header(headers, 'x-ratelimit-reset'), 'iso', now()) ?? now() + 5 * 60_000;
        options.onRateLimit?.({
          platform: 'mastodon',
          accountId: options.accountId,
          scope: 'window',
          remaining: 0,
          resetAt,
          exceeded: true,
        });
        return classifyStatus(429, message, { retryAt: resetAt, write, now: now(), cause: error });
      }
      // 422 is validation (too long, empty): permanent. 403 on a write is a suspended or read-only token.
      return classifyStatus(error.statusCode, message, { write, now: now(), cause: error });
    }
    if (error instanceof MastoTimeoutError) return classifyNetwork(error, `mastodon ${what}`, write);
    return classifyNetwork(error, `mastodon ${what}`, write);
  }

  const toPublished = (s: { id: string; url?: string | null; uri: string }): PublishedPost => ({
    platformPostId: s.id,
    url: s.url ?? s.uri,
    feeUsdMicros: 0,
  });

  return {
    platform: 'mastodon',
    capabilities: { threads: true, images: true, canFind: true },

    async publish(request, signal) {
      try {
        const { maxChars: max, urlChars } = await limit(signal);
        for (const text of [request.text, ...(request.thread ?? [])]) {
          const n = mastodonLength(text, urlChars);
          if (n > max)
            throw new PermanentPublishError(`mastodon: ${n} characters, the instance allows ${max}`);
        }
        const mediaIds: string[] = [];
        // A continuation carries no images: they belong to the lead.
        for (const image of request.continueFrom ? [] : (request.images ?? [])) {
          const media = await client.v1.media.create(
            { file: new Blob([image.data], { type: image.mimeType }), description: image.alt },
            { requestInit: { signal } },
          );
          mediaIds.push(media.id);
        }
        const created = await client.v1.statuses.create.$raw(
          {
            status: request.text,
            visibility: options.visibility ?? 'public',
            ...(mediaIds.length > 0 ? { mediaIds } : {}),
            ...(request.continueFrom ? { inReplyToId: request.continueFrom.parentId } : {}),
          },
          { requestInit: { signal, headers: { 'Idempotency-Key': request.idempotencyKey } } },
        );
        observe(created.headers);
        const first = created.data;
        const out = toPublished(first);
        if (request.thread) {
          out.threadPostIds = [];
          let parent = first.id;
          for (const [i, part] of request.thread.entries()) {
            const reply = await client.v1.statuses.create(
              { status: part, visibility: options.visibility ?? 'public', inReplyToId: parent },
              {
                requestInit: { signal, headers: { 'Idempotency-Key': `${request.idempotencyKey}#${i + 1}` } },
              },
            );
            out.threadPostIds.push(reply.id);
            parent = reply.id;
          }
        }
        return out;
      } catch (error) {
        throw classify(error, 'statuses.create', true);
      }
    },

    async find(request, signal) {
      try {
        const self = await account(signal);
        const wanted = comparableText(request.text);
        const statuses = await client.v1.accounts
          .$select(self.id)
          .statuses.list({ limit: Math.min(options.findDepth ?? 80, 80) }, { requestInit: { signal } });
        // Mastodon escapes the text into HTML; snac inserts it raw: accept either reading.
        const alsoWanted = htmlToText(request.text);
        // A new post is top-level; a continuation replies to its parent.
        const parent = request.continueFrom?.parentId ?? null;
        const found = statuses.find((s) => {
          if ((s.inReplyToId ?? null) !== parent) return false;
          const got = htmlToText(s.content);
          return got === wanted || got === alsoWanted;
        });
        return found ? toPublished(found) : null;
      } catch (error) {
        throw classify(error, 'accounts.statuses', false);
      }
    },

    async delete(platformPostId, signal) {
      try {
        await client.v1.statuses.$select(platformPostId).remove(undefined, { requestInit: { signal } });
      } catch (error) {
        if (error instanceof MastoHttpError && error.statusCode === 404) return;
        throw classify(error, 'statuses.remove', false);
      }
    },

    async engagement(platformPostId, signal): Promise<Engagement | null> {
      try {
        const s = await client.v1.statuses
          .$select(platformPostId)
          .fetch(undefined, { requestInit: { signal } });
        return { likes: s.favouritesCount, reposts: s.reblogsCount, replies: s.repliesCount };
      } catch (error) {
        if (error instanceof MastoHttpError && error.statusCode === 404) return null;
        throw classify(error, 'statuses.fetch', false);
      }
    },
  };
}
