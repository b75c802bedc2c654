import { AtpAgent, type AtpSessionData, RichText, XRPCError } from '@atproto/api';
import { z } from 'zod';

import type { CredentialState } from '../credential-state.ts';
import { AuthExpiredError, PermanentPublishError, TransientPublishError } from '../errors.ts';
import { classifyNetwork, classifyStatus, comparableText, header, numberHeader, resetTime } from '../http.ts';
import type {
  Engagement,
  PlatformAdapter,
  PublishedPost,
  PublishRequest,
  RateLimitObservation,
} from '../platform.ts';

/** Where a Bluesky session survives restarts (so a restart resumes instead of logging in). */
export interface SessionCache {
  load(key: string): Promise<AtpSessionData | null>;
  save(key: string, session: AtpSessionData | null): Promise<void>;
}

export interface BlueskyOptions {
  /** The PDS, e.g. https://bsky.social. */
  service: string;
  /** Handle or DID to log in with. */
  identifier: string;
  /** An app password. */
  password: string;
  accountId: string;
  /** Default: none (the session lives as long as the adapter). */
  sessions?: SessionCache;
  /**
   * Keeps the session (accessJwt/refreshJwt) across restarts when `sessions`
   * is not given: the engine's encrypted store. Default: none.
   */
  credentialState?: CredentialState;
  /** Called with every rate-limit state the PDS reports. */
  onRateLimit?: (observation: RateLimitObservation) => void;
  /** How many recent records `find` reads. Default: 100. */
  findDepth?: number;
  now?: () => number;
}

const POST = 'app.bsky.feed.post';

/**
 * Bluesky through `@atproto/api`. One agent per account: the session is
 * created once (or resumed from the cache) and refreshed by the agent, never a
 * login per post (createSession is limited to 30 per 5 minutes). Links,
 * mentions and tags become facets with UTF-8 byte offsets (RichText resolves
 * mentions to DIDs through the PDS). A thread is a reply chain (root + parent
 * refs); images are uploaded as blobs with alt text.
 */
export function createBlueskyAdapter(options: BlueskyOptions): PlatformAdapter {
  const now = options.now ?? Date.now;
  let sessionReady: Promise<void> | null = null;
  const cacheKey = `${options.service}|${options.identifier}`;
  const sessions =
    options.sessions ?? (options.credentialState ? sessionCacheOver(options.credentialState) : undefined);
  // The agent reports session changes synchronously; saving is asynchronous.
  // A save that fails is tried again before the next call: the session stays
  // usable in memory, and the worst a lost save costs is one login after a restart.
  let saving: Promise<void> = Promise.resolve();
  let unsaved = false;
  const persist = (): void => {
    if (!sessions) return;
    unsaved = true;
    const session = agent.session ?? null;
    saving = saving
      .then(() => sessions.save(cacheKey, session))
      .then(
        () => {
          if ((agent.session ?? null) === session) unsaved = false;
        },
        () => {},
      );
  };
  const agent = new AtpAgent({ service: options.service, persistSession: () => persist() });

  const observe = (headers: unknown): void => {
    if (!options.onRateLimit || !headers) return;
    const remaining = numberHeader(headers, 'ratelimit-remaining');
    const resetAt = resetTime(header(headers, 'ratelimit-reset'), 'auto', now());
    if (remaining === undefined || resetAt === undefined) return;
    const limit = numberHeader(headers, 'ratelimit-limit');
    options.onRateLimit({
      platform: 'bluesky',
      accountId: options.accountId,
      scope: header(headers, 'ratelimit-policy') ?? 'window',
      ...(limit !== undefined ? { limit } : {}),
      remaining,
      resetAt,
      exceeded: false,
    });
  };

  /**
   * A usable session: the one in memory, else the stored one (resuming
   * refreshes it once), else a login. A stored session the PDS no longer
   * accepts (refresh token expired or revoked) costs exactly one login; a
   * network failure while resuming is transient and logs in nobody.
   */
  async function session(): Promise<void> {
    await saving;
    if (unsaved) persist();
    if (agent.hasSession) return;
    sessionReady ??= (async () => {
      const cached = await sessions?.load(cacheKey);
      if (cached) {
        try {
          await agent.resumeSession(cached);
          return;
        } catch (error) {
          // The agent keeps the session when the refresh failed for a reason other than the token.
          if (agent.hasSession) throw error;
        }
      }
      await agent.login({ identifier: options.identifier, password: options.password });
    })().catch((error: unknown) => {
      sessionReady = null;
      throw classify(error, 'createSession', false);
    });
    await sessionReady;
  }

  function classify(error: unknown, what: string, write: boolean): Error {
    if (error instanceof AuthExpiredError || error instanceof PermanentPublishError) return error;
    if (error instanceof XRPCError) {
      const message = `bluesky ${what}: ${error.status} ${error.error}: ${error.message}`;
      if (error.status === 429) {
        const resetAt = resetTime(header(error.headers, 'ratelimit-reset'), 'auto', now()) ?? now() + 60_000;
        options.onRateLimit?.({
          platform: 'bluesky',
          accountId: options.accountId,
          scope: header(error.headers, 'ratelimit-policy') ?? 'window',
          remaining: 0,
          resetAt,
          exceeded: true,
        });
        return classifyStatus(429, message, { retryAt: resetAt, write, now: now(), cause: error });
      }
      if (
        error.error === 'ExpiredToken' ||
        error.error === 'InvalidToken' ||
        error.error === 'AuthenticationRequired'
      )
        return new AuthExpiredError(message, { cause: error });
      // XRPC maps network failures to status 1 (Unknown): the request may or may not have arrived.
      if (error.status < 100) return classifyNetwork(error.cause ?? error, `bluesky ${what}`, write);
      return classifyStatus(error.status, message, { write, now: now(), cause: error });
    }
    return classifyNetwork(error, `bluesky ${what}`, write);
  }

  async function createPost(
    text: string,
    signal: AbortSignal,
    extra: { reply?: { root: Ref; parent: Ref }; images?: PublishRequest['images'] },
  ): Promise<Ref> {
    const rt = new RichText({ text });
    if (rt.graphemeLength > 300)
      throw new PermanentPublishError(`bluesky: ${rt.graphemeLength} graphemes, the limit is 300`);
    await rt.detectFacets(agent);
    const record: Record<string, unknown> = {
      $type: POST,
      text: rt.text,
      createdAt: new Date(now()).toISOString(),
      ...(rt.facets && rt.facets.length > 0 ? { facets: rt.facets } : {}),
      ...(extra.reply ? { reply: extra.reply } : {}),
    };
    if (extra.images && extra.images.length > 0) {
      const images = [];
      for (const image of extra.images.slice(0, 4)) {
        const blob = await agent.com.atproto.repo.uploadBlob(image.data, {
          encoding: image.mimeType,
          signal,
        });
        observe(blob.headers);
        images.push({ image: blob.data.blob, alt: image.alt });
      }
      record.embed = { $type: 'app.bsky.embed.images', images };
    }
    const res = await agent.com.atproto.repo.createRecord(
      { repo: agent.assertDid, collection: POST, record },
      { signal },
    );
    observe(res.headers);
    return { uri: res.data.uri, cid: res.data.cid };
  }

  /** The strong ref (uri and cid) of one of the account's posts, read back from the PDS. */
  async function refOf(uri: string, signal: AbortSignal): Promise<Ref> {
    const rkey = uri.split('/').pop();
    if (!rkey) throw new PermanentPublishError(`bluesky: not a record uri: ${uri}`);
    const res = await agent.com.atproto.repo.getRecord(
      { repo: agent.assertDid, collection: POST, rkey },
      { signal },
    );
    observe(res.headers);
    if (!res.data.cid) throw new TransientPublishError(`bluesky: no cid for ${uri}`);
    return { uri: res.data.uri, cid: res.data.cid };
  }

  const urlOf = (uri: string): string => {
    const rkey = uri.split('/').pop();
    return `https://bsky.app/profile/${agent.session?.handle ?? options.identifier}/post/${rkey}`;
  };

  async function recentPosts(signal: AbortSignal): Promise<{ uri: string; text: string; reply?: unknown }[]> {
    const out: { uri: string; text: string; reply?: unknown }[] = [];
    let cursor: string | undefined;
    const depth = options.findDepth ?? 100;
    while (out.length < depth) {
      const res = await agent.com.atproto.repo.listRecords(
        {
          repo: agent.assertDid,
          collection: POST,
          limit: Math.min(100, depth - out.length),
          ...(cursor ? { cursor } : {}),
        },
        { signal },
      );
      observe(res.headers);
      for (const r of res.data.records) {
        const v = r.value as { text?: unknown; reply?: unknown };
        if (typeof v.text === 'string')
          out.push({ uri: r.uri, text: v.text, ...(v.reply ? { reply: v.reply } : {}) });
      }
      cursor = res.data.cursor;
      if (!cursor || res.data.records.length === 0) break;
    }
    return out;
  }

  return {
    platform: 'bluesky',
    capabilities: { threads: true, images: true, canFind: true },

    async publish(request, signal) {
      try {
        await session();
        // A continuation replies into an existing chain (its root and parent read back for their cids).
        const continued = request.continueFrom
          ? {
              root: await refOf(request.continueFrom.rootId, signal),
              parent: await refOf(request.continueFrom.parentId, signal),
            }
          : undefined;
        const first = await createPost(request.text, signal, {
          ...(continued ? { reply: continued } : {}),
          ...(request.images && !continued ? { images: request.images } : {}),
        });
        const root = continued?.root ?? first;
        const threadPostIds: string[] = [];
        let parent = first;
        for (const part of request.thread ?? []) {
          parent = await createPost(part, signal, { reply: { root, parent } });
          threadPostIds.push(parent.uri);
        }
        const out: PublishedPost = { platformPostId: first.uri, url: urlOf(first.uri), feeUsdMicros: 0 };
        if (request.thread) out.threadPostIds = threadPostIds;
        return out;
      } catch (error) {
        throw classify(error, 'createRecord', true);
      }
    },

    async find(request, signal) {
      try {
        await session();
        const wanted = comparableText(request.text);
        // A new post is top-level; a continuation replies to its parent.
        const parent = request.continueFrom?.parentId;
        const found = (await recentPosts(signal)).find(
          (p) =>
            (parent
              ? (p.reply as { parent?: { uri?: string } } | undefined)?.parent?.uri === parent
              : !p.reply) && comparableText(p.text) === wanted,
        );
        return found ? { platformPostId: found.uri, url: urlOf(found.uri), feeUsdMicros: 0 } : null;
      } catch (error) {
        throw classify(error, 'listRecords', false);
      }
    },

    async delete(platformPostId, signal) {
      try {
        await session();
        const rkey = platformPostId.split('/').pop();
        if (!rkey) throw new PermanentPublishError(`bluesky: not a record uri: ${platformPostId}`);
        await agent.com.atproto.repo.deleteRecord(
          { repo: agent.assertDid, collection: POST, rkey },
          { signal },
        );
      } catch (error) {
        throw classify(error, 'deleteRecord', false);
      }
    },

    async engagement(platformPostId, signal): Promise<Engagement | null> {
      try {
        await session();
        const res = await agent.app.bsky.feed.getPosts({ uris: [platformPostId] }, { signal });
        const p = res.data.posts[0];
        if (!p) return null;
        return {
          likes: p.likeCount ?? 0,
          reposts: p.repostCount ?? 0,
          replies: p.replyCount ?? 0,
          quotes: p.quoteCount ?? 0,
        };
      } catch (error) {
        // Without an AppView (a bare PDS) getPosts is not served: say so rather than report zeros.
        const e = classify(error, 'getPosts', false);
        if (e instanceof PermanentPublishError)
          throw new TransientPublishError(`bluesky: engagement is not available from ${options.service}`, {
            cause: error,
          });
        throw e;
      }
    },
  };
}

interface Ref {
  uri: string;
  cid: string;
}

const StoredSession = z.object({
  v: z.literal(1),
  key: z.string(),
  session: z
    .object({ did: z.string(), handle: z.string(), accessJwt: z.string(), refreshJwt: z.string() })
    .loose(),
});

/**
 * A SessionCache over one account's CredentialState. The cache key (PDS and
 * identifier) is stored with the session, so a session of another account or
 * PDS (the configuration changed) is never resumed.
 */
export function sessionCacheOver(state: CredentialState): SessionCache {
  return {
    async load(key) {
      const raw = await state.load();
      if (!raw) return null;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return null;
      }
      const parsed = StoredSession.safeParse(json);
      return parsed.success && parsed.data.key === key
        ? (parsed.data.session as unknown as AtpSessionData)
        : null;
    },
    async save(key, session) {
      await state.save(session ? JSON.stringify({ v: 1, key, session }) : null);
    },
  };
}
