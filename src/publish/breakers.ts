import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import type { Platform } from '../domain/platform.ts';
import {
  AuthExpiredError,
  DuplicateContentError,
  PermanentPublishError,
  PlatformUnavailableError,
  RateLimitedError,
} from './errors.ts';
import type { PlatformAdapter } from './platform.ts';

export interface BreakerOptions {
  /** Consecutive failures that open a platform's breaker. Default: 5. */
  platformThreshold?: number;
  /** Consecutive failures that open one account's breaker. Default: 3. */
  accountThreshold?: number;
  /** How long an open breaker waits before letting one trial call through (ms). Default: 30 s. */
  halfOpenAfterMs?: number;
  now?: () => number;
}

/**
 * Only outages count against a breaker: transient and uncertain failures
 * (5xx, timeouts, refused connections). A refusal of one post (permanent,
 * duplicate), a rate limit or expired credentials say nothing about the
 * platform's health.
 */
const isOutage = (error: unknown): boolean =>
  !(
    error instanceof PermanentPublishError ||
    error instanceof DuplicateContentError ||
    error instanceof RateLimitedError ||
    error instanceof AuthExpiredError
  );

/**
 * Circuit breakers (cockatiel) per platform and per account. `wrap` returns
 * an adapter whose calls go through the platform's breaker and then the
 * account's; while either is open the call is not made and
 * PlatformUnavailableError (a RateLimitedError) says when to try again, so
 * an outage delays that platform's (or that account's) posts and nobody else's.
 * State lives in this process: each worker learns an outage on its own.
 */
export class PublishBreakers {
  readonly #options: Required<Omit<BreakerOptions, 'now'>> & { now: () => number };
  readonly #platforms = new Map<Platform, { policy: CircuitBreakerPolicy; openedAt: number }>();
  readonly #accounts = new Map<string, { policy: CircuitBreakerPolicy; openedAt: number }>();

  constructor(options: BreakerOptions = {}) {
    this.#options = {
      platformThreshold: options.platformThreshold ?? 5,
      accountThreshold: options.accountThreshold ?? 3,
      halfOpenAfterMs: options.halfOpenAfterMs ?? 30_000,
      now: options.now ?? Date.now,
    };
  }

  #breaker<K>(map: Map<K, { policy: CircuitBreakerPolicy; openedAt: number }>, key: K, threshold: number) {
    let entry = map.get(key);
    if (!entry) {
      const policy = circuitBreaker(handleWhen(isOutage), {
        halfOpenAfter: this.#options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(threshold),
      });
      const created = { policy, openedAt: 0 };
      policy.onBreak(() => {
        created.openedAt = this.#options.now();
      });
      map.set(key, created);
      entry = created;
    }
    return entry;
  }

  /** Every breaker this process holds, for health views and metrics ("platform:x", "account:nba-desk"). */
  states(): { name: string; state: 'closed' | 'half_open' | 'open' }[] {
    const label = (state: CircuitState) =>
      state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half_open' : 'open';
    return [
      ...[...this.#platforms].map(([p, b]) => ({ name: `platform:${p}`, state: label(b.policy.state) })),
      ...[...this.#accounts].map(([a, b]) => ({ name: `account:${a}`, state: label(b.policy.state) })),
    ] as { name: string; state: 'closed' | 'half_open' | 'open' }[];
  }

  /** Platforms whose breaker is open now (the claim can skip them). */
  openPlatforms(): Platform[] {
    return [...this.#platforms].filter(([, b]) => b.policy.state === CircuitState.Open).map(([p]) => p);
  }

  /** Whether an account's or its platform's breaker is open. */
  state(platform: Platform, accountId: string): { platform: CircuitState; account: CircuitState } {
    return {
      platform: this.#platforms.get(platform)?.policy.state ?? CircuitState.Closed,
      account: this.#accounts.get(accountId)?.policy.state ?? CircuitState.Closed,
    };
  }

  wrap(adapter: PlatformAdapter, accountId: string): PlatformAdapter {
    const platform = this.#breaker(this.#platforms, adapter.platform, this.#options.platformThreshold);
    const account = this.#breaker(this.#accounts, accountId, this.#options.accountThreshold);
    const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await platform.policy.execute(() => account.policy.execute(call));
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          const which = platform.policy.state === CircuitState.Open ? platform : account;
          const retryAt = Math.max(
            which.openedAt + this.#options.halfOpenAfterMs,
            this.#options.now() + 1000,
          );
          throw new PlatformUnavailableError(
            `${adapter.platform}${which === account ? ` account ${accountId}` : ''}: circuit open after repeated failures`,
            retryAt,
            { cause: error },
          );
        }
        throw error;
      }
    };
    return {
      platform: adapter.platform,
      ...(adapter.capabilities ? { capabilities: adapter.capabilities } : {}),
      publish: (request, signal) => guarded(() => adapter.publish(request, signal)),
      // Reconciliation reads go through the breakers too: an outage makes them wait as well.
      find: (request, signal) => guarded(() => adapter.find(request, signal)),
      ...(adapter.delete
        ? { delete: (id: string, signal: AbortSignal) => guarded(() => adapter.delete!(id, signal)) }
        : {}),
      ...(adapter.engagement
        ? { engagement: (id: string, signal: AbortSignal) => guarded(() => adapter.engagement!(id, signal)) }
        : {}),
    };
  }
}
