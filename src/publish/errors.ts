/**
 * Errors that steer the publishing queue. Anything not one of these is
 * treated as transient and retried with backoff.
 */

/** The platform said "too many requests": retry at `retryAt` (epoch ms), not before. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  readonly retryAt: number;
  constructor(message: string, retryAt: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAt = retryAt;
  }
}

/** Credentials were refused or expired: refresh them, and hold the account's posts until then. */
export class AuthExpiredError extends Error {
  override readonly name = 'AuthExpiredError';
}

/** The platform refused this post for good (content refused, too long): never retry it. */
export class PermanentPublishError extends Error {
  override readonly name = 'PermanentPublishError';
}

/**
 * The platform says it already has this text (X's duplicate-content 403).
 * That may be our own earlier attempt: reconcile, do not retry.
 */
export class DuplicateContentError extends Error {
  override readonly name = 'DuplicateContentError';
}

/**
 * The outcome of the call is unknown (timed out, connection dropped after the
 * request was sent). The post may or may not exist: reconcile before any retry.
 */
export class UncertainPublishError extends Error {
  override readonly name = 'UncertainPublishError';
}

/** A failure worth retrying (5xx, connection refused before sending). */
export class TransientPublishError extends Error {
  override readonly name = 'TransientPublishError';
}

/**
 * The platform (or this account on it) is failing and its circuit breaker is
 * open: nothing was sent. A RateLimitedError, so the queue holds the post until
 * `retryAt` (when the breaker lets a trial call through) and other platforms
 * go on.
 */
export class PlatformUnavailableError extends RateLimitedError {
  override readonly name = 'PlatformUnavailableError' as 'RateLimitedError';
}
