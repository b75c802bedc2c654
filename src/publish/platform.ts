import type { Account } from '../domain/account.ts';
import type { Platform } from '../domain/platform.ts';

/** An image attached to a post. Alt text is required: every image we publish is described. */
export interface ImageAttachment {
  mimeType: 'image/png' | 'image/jpeg';
  data: Uint8Array;
  /** Alternative text for screen readers (platforms cap it: Bluesky and X at 1,000+ characters). */
  alt: string;
}

export interface PublishRequest {
  /**
   * Derived from content (the post id: event + account + variant). Adapters
   * pass it to the platform where the platform supports idempotency, and use
   * it to find an earlier attempt when reconciling.
   */
  idempotencyKey: string;
  account: Pick<Account, 'id' | 'handle' | 'platform'>;
  text: string;
  /**
   * Follow-up texts published as a reply chain under the first post (a
   * thread). Default: none. Adapters without threads refuse a request that has
   * them (PermanentPublishError) rather than silently dropping parts.
   */
  thread?: readonly string[];
  /**
   * Continues a reply chain already on the platform (a thread whose first
   * posts went out in an earlier attempt): `text` is published as a reply to
   * `parentId`, in the chain that starts at `rootId` (ids as this adapter
   * returned them), and `find` looks for such a reply instead of a top-level
   * post. Default: none (a new chain). Adapters without threads refuse it
   * (PermanentPublishError).
   */
  continueFrom?: { rootId: string; parentId: string };
  /** Images attached to the first post. Default: none. Adapters without images ignore them. */
  images?: readonly ImageAttachment[];
}

export interface PublishedPost {
  platformPostId: string;
  url?: string;
  /** The platform's fee for this publish, in micro-dollars (X charges per post, thread parts included). */
  feeUsdMicros: number;
  /** Ids of the thread's replies, in order, when the request had a thread. */
  threadPostIds?: string[];
}

/** Counts read back from the platform for one published post. */
export interface Engagement {
  likes: number;
  reposts: number;
  replies: number;
  /** Quotes where the platform reports them. */
  quotes?: number;
}

/**
 * A rate-limit state the platform reported (response headers or a 429),
 * handed to the `onRateLimit` observer so it can be stored and respected by
 * every worker. `resetAt` is epoch ms.
 */
export interface RateLimitObservation {
  platform: Platform;
  accountId: string;
  /** The limit's name: 'window', 'user-24h', 'app-24h', 'global', a Discord bucket, ... */
  scope: string;
  limit?: number;
  remaining?: number;
  resetAt: number;
  /** True when the platform answered 429: nothing may be sent in this scope before `resetAt`. */
  exceeded: boolean;
}

/** What an adapter can do; the conductor reads it to shape requests. */
export interface PlatformCapabilities {
  threads: boolean;
  images: boolean;
  /** Whether `find` can read the account's recent posts (without it, uncertain publishes wait for a human). */
  canFind: boolean;
}

/**
 * One platform, seen by the queue. Adapters classify failures with the
 * errors in `errors.ts`; every call has a timeout through `signal`.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** Default (when absent): no threads, no images, find supported. */
  readonly capabilities?: PlatformCapabilities;
  publish(request: PublishRequest, signal: AbortSignal): Promise<PublishedPost>;
  /**
   * Looks for an earlier publish of this request on the platform (the account's
   * recent posts). Returns it when found, null when it is certainly absent.
   * Throws when it cannot tell.
   */
  find(request: PublishRequest, signal: AbortSignal): Promise<PublishedPost | null>;
  /** Deletes a published post (and nothing else). Resolves when it is gone or was already gone. */
  delete?(platformPostId: string, signal: AbortSignal): Promise<void>;
  /** Reads likes/reposts/replies of a published post; null when the platform has no such post. */
  engagement?(platformPostId: string, signal: AbortSignal): Promise<Engagement | null>;
}
