import {
  BrokenCircuitError,
  type BulkheadPolicy,
  bulkhead,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type RetryPolicy,
  retry,
} from 'cockatiel';
import { PermanentFetchError, parseRetryAfter, RateLimitedError, TransientFetchError } from './errors.ts';

/** Where "now" comes from (epoch ms); tests pass a fake one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The `fetch` function the fetcher calls (Node's global one by default). */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** How long one fetch took, in the fetcher's clock. */
export interface FetchTiming {
  /** Epoch ms when the first attempt started. */
  startedAt: number;
  /** Epoch ms when the result was ready. */
  finishedAt: number;
  durationMs: number;
  /** Attempts made, 1 when the first one succeeded. */
  attempts: number;
}

/** The outcome of a successful fetch: new content, or "not modified" (HTTP 304). */
export type FetchResult =
  | {
      kind: 'ok';
      url: string;
      status: number;
      /** The body as received. */
      text: string;
      /** The body parsed as JSON. */
      json: unknown;
      etag?: string;
      lastModified?: string;
      timing: FetchTiming;
    }
  | { kind: 'not-modified'; url: string; status: 304; timing: FetchTiming };

export const BREAKER_STATES = ['closed', 'open', 'half-open', 'isolated'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export interface FeedFetcherOptions {
  /** Default: the global `fetch`. */
  fetch?: FetchFn;
  /** Default: the system clock. */
  clock?: Clock;
  /** Per-attempt timeout, body included. Default 8000 ms. */
  timeoutMs?: number;
  /** Requests in flight per host; more wait their turn. Default 4. */
  perHostConcurrency?: number;
  /** Attempts per fetch for transient failures (5xx, timeout, network, bad JSON). Default 3. */
  maxAttempts?: number;
  /** Exponential backoff with decorrelated jitter between attempts. Defaults 250 ms, 4000 ms. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Per-host circuit breaker: open after this many consecutive transient failures (default 5), try again after `halfOpenAfterMs` (default 30000). */
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  /** Wait used for a 429/503 without a readable Retry-After. Default 30000 ms. */
  defaultRetryAfterMs?: number;
  /** Headers sent with every request (e.g. a User-Agent). */
  headers?: Record<string, string>;
}

type Untimed = FetchResult extends infer R ? (R extends FetchResult ? Omit<R, 'timing'> : never) : never;

interface HostPolicies {
  breaker: CircuitBreakerPolicy;
  bulkhead: BulkheadPolicy;
}

interface Validators {
  etag?: string;
  lastModified?: string;
}

/**
 * Fetches JSON feeds politely and robustly. Per request: a timeout
 * (`AbortSignal.timeout`), conditional headers from the previous good answer of
 * that URL (`If-None-Match`, `If-Modified-Since`; a 304 yields `not-modified`),
 * retries with exponential backoff and jitter for transient failures. Per host: a
 * concurrency limit and a circuit breaker, so one sick host neither floods nor
 * slows the others.
 *
 * Validators are only remembered from a 200 whose body parsed as JSON: a
 * truncated answer must not make the next poll a 304 for content we never read.
 *
 * @throws RateLimitedError (429, or 503 with Retry-After; not retried here, the
 *   caller waits `retryAfterMs`), TransientFetchError (after the last attempt, or
 *   at once with reason `circuit-open`), PermanentFetchError (other 4xx).
 */
export class FeedFetcher {
  readonly #fetch: FetchFn;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #breakerOptions: { consecutiveFailures: number; halfOpenAfterMs: number };
  readonly #defaultRetryAfterMs: number;
  readonly #headers: Record<string, string>;
  readonly #hosts = new Map<string, HostPolicies>();
  readonly #validators = new Map<string, Validators>();

  constructor(options: FeedFetcherOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? 8000;
    this.#concurrency = options.perHostConcurrency ?? 4;
    this.#defaultRetryAfterMs = options.defaultRetryAfterMs ?? 30_000;
    this.#headers = options.headers ?? {};
    this.#breakerOptions = {
      consecutiveFailures: options.breaker?.consecutiveFailures ?? 5,
      halfOpenAfterMs: options.breaker?.halfOpenAfterMs ?? 30_000,
    };
    this.#retry = retry(
      handleWhen((error) => error instanceof TransientFetchError && error.reason !== 'circuit-open'),
      {
        maxAttempts: Math.max(0, (options.maxAttempts ?? 3) - 1),
        backoff: new ExponentialBackoff({
          initialDelay: options.backoff?.initialDelayMs ?? 250,
          maxDelay: options.backoff?.maxDelayMs ?? 4000,
        }),
      },
    );
  }

  /**
   * Fetches `url` and parses its body as JSON. `signal` cancels the whole fetch,
   * retries included (the error is then the abort reason).
   */
  async fetchJson(url: string, options: { signal?: AbortSignal } = {}): Promise<FetchResult> {
    const host = hostOf(url);
    const policies = this.#policiesFor(host);
    const startedAt = this.#clock.now();
    let attempts = 0;
    const result: Untimed = await this.#retry.execute(async (): Promise<Untimed> => {
      attempts += 1;
      options.signal?.throwIfAborted();
      try {
        return await policies.breaker.execute(() =>
          policies.bulkhead.execute(() => this.#attempt(url, options.signal)),
        );
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new TransientFetchError(url, 'circuit-open', `circuit open for ${host}`, { cause: error });
        }
        throw error;
      }
    }, options.signal);
    const finishedAt = this.#clock.now();
    const timing = { startedAt, finishedAt, durationMs: finishedAt - startedAt, attempts };
    return { ...result, timing } as FetchResult;
  }

  /** State of the host's circuit breaker ('closed' when the host was never fetched). */
  breakerState(urlOrHost: string): BreakerState {
    const policies = this.#hosts.get(urlOrHost.includes('://') ? hostOf(urlOrHost) : urlOrHost);
    if (!policies) return 'closed';
    switch (policies.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'isolated';
      default:
        return 'closed';
    }
  }

  /** Forgets the remembered validators of `url`, so the next fetch is unconditional. */
  forget(url: string): void {
    this.#validators.delete(url);
  }

  #policiesFor(host: string): HostPolicies {
    let policies = this.#hosts.get(host);
    if (!policies) {
      policies = {
        breaker: circuitBreaker(
          handleWhen((error) => error instanceof TransientFetchError),
          {
            halfOpenAfter: this.#breakerOptions.halfOpenAfterMs,
            breaker: new ConsecutiveBreaker(this.#breakerOptions.consecutiveFailures),
          },
        ),
        bulkhead: bulkhead(this.#concurrency, Number.POSITIVE_INFINITY),
      };
      this.#hosts.set(host, policies);
    }
    return policies;
  }

  async #attempt(url: string, outer: AbortSignal | undefined): Promise<Untimed> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    const validators = this.#validators.get(url);
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { headers, signal });
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: 'not-modified', url, status: 304 };
      }
      this.#throwForStatus(url, response);
      text = await response.text();
    } catch (error) {
      throw this.#classify(url, error, outer, timeout);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TransientFetchError(url, 'invalid-json', `invalid JSON (${text.length} bytes)`, {
        cause: error,
        status: response.status,
      });
    }
    const etag = response.headers.get('etag') ?? undefined;
    const lastModified = response.headers.get('last-modified') ?? undefined;
    const remembered: Validators = {};
    if (etag) remembered.etag = etag;
    if (lastModified) remembered.lastModified = lastModified;
    if (etag || lastModified) this.#validators.set(url, remembered);
    else this.#validators.delete(url);
    return {
      kind: 'ok',
      url,
      status: response.status,
      text,
      json,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    };
  }

  #throwForStatus(url: string, response: Response): void {
    const { status } = response;
    if (status >= 200 && status < 300) return;
    void response.body?.cancel();
    const retryAfter = response.headers.get('retry-after');
    if (status === 429 || (status === 503 && retryAfter !== null)) {
      throw new RateLimitedError(
        url,
        status,
        parseRetryAfter(retryAfter, this.#clock.now(), this.#defaultRetryAfterMs),
      );
    }
    if (status >= 500 || status === 408) {
      throw new TransientFetchError(url, 'server', `HTTP ${status}`, { status });
    }
    throw new PermanentFetchError(url, status);
  }

  #classify(url: string, error: unknown, outer: AbortSignal | undefined, timeout: AbortSignal): unknown {
    if (
      error instanceof RateLimitedError ||
      error instanceof TransientFetchError ||
      error instanceof PermanentFetchError
    )
      return error;
    // The caller's own cancellation is not a feed failure: pass its reason through.
    if (outer?.aborted) return outer.reason;
    if (timeout.aborted) {
      return new TransientFetchError(url, 'timeout', `no answer within ${this.#timeoutMs} ms`, {
        cause: error,
      });
    }
    return new TransientFetchError(url, 'network', `network error (${describe(error)})`, { cause: error });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch (error) {
    throw new PermanentFetchError(url, 0, { cause: error });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
