import type { Account } from '../domain/account.ts';
import type { Platform } from '../domain/platform.ts';

export interface PublishRequest {
  /**
   * Derived from content (the post id: event + account + variant). Adapters
   * pass it to the platform where the platform supports idempotency, and use
   * it to find an earlier attempt when reconciling.
   */
  idempotencyKey: string;
  account: Pick<Account, 'id' | 'handle' | 'platform'>;
  text: string;
}

export interface PublishedPost {
  platformPostId: string;
  url?: string;
  /** The platform's fee for this publish, in micro-dollars (X charges per post). */
  feeUsdMicros: number;
}

/**
 * One platform, seen by the queue. Adapters classify failures with the
 * errors in `errors.ts`; every call has a timeout through `signal`.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  publish(request: PublishRequest, signal: AbortSignal): Promise<PublishedPost>;
  /**
   * Looks for an earlier publish of this request on the platform (the account's
   * recent posts). Returns it when found, null when it is certainly absent.
   * Throws when it cannot tell.
   */
  find(request: PublishRequest, signal: AbortSignal): Promise<PublishedPost | null>;
}
