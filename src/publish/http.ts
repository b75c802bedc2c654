import {
  AuthExpiredError,
  PermanentPublishError,
  RateLimitedError,
  TransientPublishError,
  UncertainPublishError,
} from './errors.ts';

/**
 * Helpers shared by the adapters: turning header values into times, racing a
 * client call against the caller's signal, and classifying failures.
 */

/** Reads a header from a Headers object or a plain record (any case). */
export function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? String(v[0]) : v == null ? undefined : String(v);
  }
  return undefined;
}

/** A number from a header, or undefined when absent or not a number. */
export function numberHeader(headers: unknown, name: string): number | undefined {
  const raw = header(headers, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * When a rate limit resets, in epoch ms, from a reset header in any of the
 * platforms' forms: epoch seconds (X, Discord `X-RateLimit-Reset`), seconds
 * from now (IETF `ratelimit-reset`, `Retry-After`), or an ISO 8601 time
 * (Mastodon). `kind` says which form the platform documents.
 */
export function resetTime(
  value: string | undefined,
  kind: 'epoch-seconds' | 'delta-seconds' | 'iso' | 'auto',
  now: number,
): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (kind === 'iso' || (kind === 'auto' && !Number.isFinite(n))) {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
  }
  if (!Number.isFinite(n)) return undefined;
  if (kind === 'epoch-seconds') return Math.ceil(n * 1000);
  if (kind === 'delta-seconds') return now + Math.ceil(n * 1000);
  // auto: numbers larger than ~2001-09-09 in seconds are epochs, smaller are deltas.
  return n > 1e9 ? Math.ceil(n * 1000) : now + Math.ceil(n * 1000);
}

/**
 * Runs a client call that cannot take an AbortSignal itself, bounded by
 * `signal`. When the signal fires first the call's outcome is unknown (the
 * request may have reached the platform): UncertainPublishError when
 * `sent` says the request was a write, TransientPublishError for reads.
 */
export async function bounded<T>(
  signal: AbortSignal,
  what: string,
  call: () => Promise<T>,
  write = true,
): Promise<T> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      const cause = signal.reason;
      reject(
        write
          ? new UncertainPublishError(`${what}: timed out after the request was sent`, { cause })
          : new TransientPublishError(`${what}: timed out`, { cause }),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a network error happened before the request could reach the server (safe to retry). */
export function failedBeforeSending(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 5 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The usual HTTP classification, for adapters whose client exposes a status:
 * 401 → AuthExpiredError, 429 → RateLimitedError(retryAt), other 4xx →
 * PermanentPublishError, 5xx → UncertainPublishError for writes (the server
 * may have stored the post before failing) and TransientPublishError for reads.
 */
export function classifyStatus(
  status: number,
  message: string,
  options: { retryAt?: number; write: boolean; now: number; cause?: unknown },
): Error {
  const cause = options.cause;
  if (status === 401) return new AuthExpiredError(message, { cause });
  if (status === 429)
    return new RateLimitedError(message, options.retryAt ?? options.now + 60_000, { cause });
  if (status === 408)
    return options.write
      ? new UncertainPublishError(message, { cause })
      : new TransientPublishError(message, { cause });
  if (status >= 400 && status < 500) return new PermanentPublishError(message, { cause });
  return options.write
    ? new UncertainPublishError(message, { cause })
    : new TransientPublishError(message, { cause });
}

/** Network failure of a write: transient if nothing was sent, otherwise uncertain. */
export function classifyNetwork(error: unknown, what: string, write: boolean): Error {
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  if (!write || failedBeforeSending(error)) return new TransientPublishError(message, { cause: error });
  return new UncertainPublishError(message, { cause: error });
}

/** Text as platforms give it back, for comparison with what we sent (NFC, trimmed, CRLF folded). */
export function comparableText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** Strips HTML (Mastodon returns statuses as HTML) down to comparable text. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');
  return comparableText(text);
}
