/**
 * Errors of a feed fetch, classified so a poller knows what to do next:
 * - {@link RateLimitedError}: the host asked us to slow down; wait `retryAfterMs`.
 * - {@link TransientFetchError}: 5xx, timeout, network failure, unreadable JSON or an
 *   open circuit; retry later with backoff.
 * - {@link PermanentFetchError}: a 4xx other than 408/429; the URL is wrong or gone,
 *   retrying the same request will not help.
 */
export type FetchError = RateLimitedError | TransientFetchError | PermanentFetchError;

export const TRANSIENT_REASONS = ['server', 'timeout', 'network', 'invalid-json', 'circuit-open'] as const;
export type TransientReason = (typeof TRANSIENT_REASONS)[number];

export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  readonly url: string;
  readonly status: number;
  /** How long the host asked us to wait (from Retry-After), or a default when it gave none. */
  readonly retryAfterMs: number;

  constructor(url: string, status: number, retryAfterMs: number, options?: { cause?: unknown }) {
    super(`${url}: rate limited (HTTP ${status}), retry after ${retryAfterMs} ms`, options);
    this.url = url;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export class TransientFetchError extends Error {
  override readonly name = 'TransientFetchError';
  readonly url: string;
  readonly reason: TransientReason;
  /** HTTP status when the server answered. */
  readonly status?: number;

  constructor(
    url: string,
    reason: TransientReason,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(`${url}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.url = url;
    this.reason = reason;
    if (options?.status !== undefined) this.status = options.status;
  }
}

export class PermanentFetchError extends Error {
  override readonly name = 'PermanentFetchError';
  readonly url: string;
  readonly status: number;

  constructor(url: string, status: number, options?: { cause?: unknown }) {
    super(`${url}: HTTP ${status}, not retried`, options);
    this.url = url;
    this.status = status;
  }
}

export function isFetchError(error: unknown): error is FetchError {
  return (
    error instanceof RateLimitedError ||
    error instanceof TransientFetchError ||
    error instanceof PermanentFetchError
  );
}

/**
 * Milliseconds to wait from a Retry-After header (delta seconds or an HTTP date,
 * relative to `now`), or `fallbackMs` when absent or unreadable. Never negative.
 */
export function parseRetryAfter(header: string | null, now: number, fallbackMs: number): number {
  if (header === null || header.trim() === '') return fallbackMs;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return fallbackMs;
  return Math.max(0, at - now);
}
