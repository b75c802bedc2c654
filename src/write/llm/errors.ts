/**
 * Errors that steer retries and fallbacks. Anything the provider says is transient (5xx, connection
 * failures, timeouts) or rate-limited (429) is retried with backoff; permanent refusals (4xx) and
 * malformed output after its retry fall back to the template writer at once.
 */

/** The provider is rate limiting us; `retryAfterMs` when it said how long to wait. */
export class LlmRateLimitedError extends Error {
  readonly provider: string;
  readonly retryAfterMs: number | undefined;
  constructor(provider: string, retryAfterMs: number | undefined, options?: { cause?: unknown }) {
    super(
      `${provider}: rate limited (429)${retryAfterMs !== undefined ? `, retry after ${retryAfterMs} ms` : ''}`,
      options,
    );
    this.name = 'LlmRateLimitedError';
    this.provider = provider;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A failure worth retrying: 5xx, connection reset, timeout. */
export class LlmTransientError extends Error {
  readonly provider: string;
  readonly status: number | undefined;
  constructor(provider: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(`${provider}: ${message}`, options);
    this.name = 'LlmTransientError';
    this.provider = provider;
    this.status = status;
  }
}

/** A refusal that will not change on retry (400, 401, 403, 404, 422). */
export class LlmPermanentError extends Error {
  readonly provider: string;
  readonly status: number | undefined;
  constructor(provider: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(`${provider}: ${message}`, options);
    this.name = 'LlmPermanentError';
    this.provider = provider;
    this.status = status;
  }
}

/** The model answered, but not with the JSON object the prompt asked for. The tokens are still billed. */
export class MalformedOutputError extends Error {
  readonly raw: string;
  constructor(message: string, raw: string, options?: { cause?: unknown }) {
    super(`malformed model output: ${message}`, options);
    this.name = 'MalformedOutputError';
    this.raw = raw;
  }
}

/** True for errors a retry may cure (rate limits and transient failures). */
export function isRetryable(error: unknown): boolean {
  return error instanceof LlmRateLimitedError || error instanceof LlmTransientError;
}

/**
 * Maps an SDK error (openai or @anthropic-ai/sdk, which share the shape: `status`, `headers`) to one of
 * the classes above. Errors without a status (connection failures, aborts) are transient.
 */
export function classifySdkError(provider: string, error: unknown): Error {
  if (
    error instanceof LlmRateLimitedError ||
    error instanceof LlmTransientError ||
    error instanceof LlmPermanentError ||
    error instanceof MalformedOutputError
  ) {
    return error;
  }
  const e = error as { status?: unknown; headers?: unknown; message?: unknown; name?: unknown };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (status === 429) return new LlmRateLimitedError(provider, retryAfterMs(e.headers), { cause: error });
  if (status === undefined || status >= 500 || status === 408 || status === 409) {
    return new LlmTransientError(provider, message, status, { cause: error });
  }
  return new LlmPermanentError(provider, message, status, { cause: error });
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = header(headers, 'retry-after');
  if (after === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
