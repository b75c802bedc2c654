import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  DelegateBackoff,
  handleWhen,
  type IRetryBackoffContext,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { LlmRateLimitedError, LlmTransientError } from './errors.ts';

/** How calls to one provider are protected. Every field documents its default. */
export interface ResilienceOptions {
  /** Milliseconds one attempt may take before it is aborted. Default: 20,000. */
  timeoutMs?: number;
  /** Attempts per call, the first included (429, 5xx and timeouts are retried). Default: 3. */
  maxAttempts?: number;
  /** First backoff delay in ms, doubled per attempt with full jitter. Default: 500. */
  initialDelayMs?: number;
  /** Longest backoff delay in ms; a 429 asking to wait longer is not retried (fall back instead). Default: 10,000. */
  maxDelayMs?: number;
  /** Consecutive failures that open the provider's circuit. Default: 5. */
  breakerThreshold?: number;
  /** Milliseconds the circuit stays open before one trial call. Default: 30,000. */
  halfOpenAfterMs?: number;
  /** Randomness for jitter, in [0, 1). Default: Math.random. */
  random?: () => number;
  /** Called before each retry (metrics, logs). */
  onRetry?: (error: unknown, attempt: number) => void;
}

/** A provider's policy: run a call with its timeout, retries and circuit breaker. */
export interface ProviderPolicy {
  execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** The provider's circuit breaker (its `state` shows in metrics). */
  readonly breaker: CircuitBreakerPolicy;
}

/** True for failures a retry may cure: timeouts, 5xx, connection errors, and 429s asking for a short wait. */
function retryable(maxDelayMs: number) {
  return (error: Error): boolean => {
    if (error instanceof LlmRateLimitedError) return (error.retryAfterMs ?? 0) <= maxDelayMs;
    return error instanceof LlmTransientError || error instanceof TaskCancelledError;
  };
}

/** Failures that count against the provider's health (permanent refusals and bad output do not). */
function unhealthy(error: Error): boolean {
  return (
    error instanceof LlmRateLimitedError ||
    error instanceof LlmTransientError ||
    error instanceof TaskCancelledError
  );
}

/**
 * One policy per provider (share it between the provider's cheap and strong writers, so its circuit
 * opens for both): each attempt has a timeout (the SDK request is aborted through the signal); 429s,
 * 5xx and timeouts are retried with exponential backoff and full jitter, a 429's `retry-after` taken as
 * the delay when it gives one; consecutive failures open the circuit, and while it is open calls fail
 * at once with `BrokenCircuitError` (the writer then falls back without waiting).
 */
export function createProviderPolicy(options: ResilienceOptions = {}): ProviderPolicy {
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const initial = options.initialDelayMs ?? 500;
  const random = options.random ?? Math.random;
  const breaker = circuitBreaker(handleWhen(unhealthy), {
    halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
    breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
  });
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
    const error = 'error' in context.result ? context.result.error : undefined;
    if (error instanceof LlmRateLimitedError && error.retryAfterMs !== undefined) {
      return Math.min(maxDelayMs, error.retryAfterMs);
    }
    const ceiling = Math.min(maxDelayMs, initial * 2 ** (context.attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  });
  const retries = retry(handleWhen(retryable(maxDelayMs)), {
    maxAttempts: Math.max(0, (options.maxAttempts ?? 3) - 1),
    backoff,
  });
  if (options.onRetry) {
    const onRetry = options.onRetry;
    retries.onRetry((reason) => onRetry('error' in reason ? reason.error : undefined, 0));
  }
  const perAttempt = timeout(options.timeoutMs ?? 20_000, TimeoutStrategy.Aggressive);
  const policy = wrap(retries, breaker, perAttempt);
  return {
    breaker,
    execute: (fn) => policy.execute(({ signal }) => fn(signal)),
  };
}

/** True when a call failed because the provider's circuit is open. */
export function isCircuitOpen(error: unknown): boolean {
  return error instanceof BrokenCircuitError;
}

/** True when a call failed on its timeout. */
export function isTimeout(error: unknown): boolean {
  return error instanceof TaskCancelledError;
}
