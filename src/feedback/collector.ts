import type { Kysely } from 'kysely';
import type { Account } from '../domain/account.ts';
import type { Clock } from '../pipeline/clock.ts';
import { PublishBreakers } from '../publish/breakers.ts';
import { AuthExpiredError, PermanentPublishError, RateLimitedError } from '../publish/errors.ts';
import type { Engagement, PlatformAdapter } from '../publish/platform.ts';
import {
  type ClaimedPoll,
  claimDuePolls,
  enrolPublished,
  type PollOutcome,
  recordPoll,
  recordReadFee,
} from '../store/engagement.ts';
import type { DB } from '../store/schema.ts';
import {
  DEFAULT_POLL_OFFSETS_MS,
  MAX_FAILURES_PER_STEP,
  nextStep,
  retryAt,
  validateOffsets,
} from './poll-schedule.ts';

/** What a platform charges per post read, micro-dollars (X: $0.005, platforms.md). */
export const DEFAULT_READ_FEES_USD_MICROS: Readonly<Record<string, number>> = { x: 5_000 };

export interface CollectorDeps {
  db: Kysely<DB>;
  accounts: readonly Account[];
  /**
   * The adapter that reads an account's posts, without breakers (the
   * collector puts its own around it), or undefined when the account cannot
   * be read (the outbox; Telegram, whose Bot API has no such read).
   */
  readerFor: (account: Account) => PlatformAdapter | undefined;
  clock: Clock;
  /** Name of this worker in claims. */
  worker: string;
  /**
   * Whether publishing's breaker of the platform (or of the account) is open.
   * While it is, that account's reads wait: an outage seen by publishing is an
   * outage for reads too. Default: never open.
   */
  publishingBroken?: (platform: string, accountId: string) => boolean;
  /** Read times after publishing, increasing. Default: 15 min, 1 h, 6 h, 24 h, 72 h. */
  offsetsMs?: readonly number[];
  /** Reads claimed per platform and pass. Default: 20. */
  perPlatformPerPass?: number;
  /** Reads in flight at once per platform. Default: 2. */
  concurrencyPerPlatform?: number;
  /** Timeout of one read. Default: 10 s. */
  timeoutMs?: number;
  /**
   * Requests of a rate-limit scope kept for publishing: an account is not read
   * while any stored limit has at most `max(reserveMin, limit × reserveShare)`
   * remaining before its reset. Defaults: 5 and 0.2.
   */
  reserveMin?: number;
  reserveShare?: number;
  /** Fee per post read and UTC day, per platform, micro-dollars. Default: {@link DEFAULT_READ_FEES_USD_MICROS}. */
  readFeesUsdMicros?: Readonly<Record<string, number>>;
  /** Called once per read with its outcome and duration. Default: nothing. */
  onPoll?: (platform: string, outcome: PollMetricOutcome, seconds: number) => void;
}

/** Outcomes as metrics count them. */
export type PollMetricOutcome = 'ok' | 'gone' | 'rate_limited' | 'error' | 'refused';

export interface PassResult {
  enrolled: number;
  claimed: number;
  outcomes: Record<PollOutcome['kind'], number>;
}

/**
 * Reads engagement of published posts on a decaying schedule and stores
 * snapshots. The store is the truth (engagement_polls): a pass enrols newly
 * published posts, claims due reads per platform with SKIP LOCKED (bounded
 * per platform, so a backlog never floods a platform), reads them through
 * the account's adapter with a timeout and breakers of its own, and records
 * each outcome with a compare-and-set on the claim. Any number of workers
 * may run passes at once; each read happens once per step.
 *
 * Reads never starve publishing: accounts blocked by a stored rate limit, or
 * close to one (the reserve), are skipped; read failures open the collector's
 * breakers, never publishing's; and publishing's open breakers pause reads.
 */
export class EngagementCollector {
  readonly #deps: CollectorDeps;
  readonly #offsets: readonly number[];
  readonly #breakers: PublishBreakers;
  readonly #readers = new Map<string, { account: Account; adapter: PlatformAdapter }>();
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;

  constructor(deps: CollectorDeps) {
    this.#deps = deps;
    this.#offsets = deps.offsetsMs ?? DEFAULT_POLL_OFFSETS_MS;
    validateOffsets(this.#offsets);
    this.#breakers = new PublishBreakers({ now: () => deps.clock.now() });
    for (const account of deps.accounts) {
      const adapter = deps.readerFor(account);
      if (adapter?.engagement)
        this.#readers.set(account.id, { account, adapter: this.#breakers.wrap(adapter, account.id) });
    }
  }

  /** Ids of the accounts whose posts are read (their adapter can read engagement). */
  accountIds(): string[] {
    return [...this.#readers.keys()];
  }

  /** Breaker states of the reads (per platform and account), for health views. */
  breakerStates() {
    return this.#breakers.states();
  }

  /** One pass: enrol, claim, read, record. Safe to run concurrently in several workers. */
  async pass(): Promise<PassResult> {
    const now = new Date(this.#deps.clock.now());
    const accountIds = this.accountIds();
    const result: PassResult = {
      enrolled: 0,
      claimed: 0,
      outcomes: { read: 0, retry: 0, skip: 0, gone: 0, failed: 0 },
    };
    if (accountIds.length === 0) return result;
    const last = this.#offsets[this.#offsets.length - 1]!;
    result.enrolled = await enrolPublished(this.#deps.db, {
      accountIds,
      since: new Date(now.getTime() - last),
      firstOffsetMs: this.#offsets[0]!,
      now,
    });
    const byPlatform = new Map<string, string[]>();
    for (const { account } of this.#readers.values()) {
      const list = byPlatform.get(account.platform) ?? [];
      list.push(account.id);
      byPlatform.set(account.platform, list);
    }
    const timeoutMs = this.#deps.timeoutMs ?? 10_000;
    await Promise.all(
      [...byPlatform].map(async ([platform, ids]) => {
        const claims = await claimDuePolls(this.#deps.db, {
          platform,
          accountIds: ids,
          limit: this.#deps.perPlatformPerPass ?? 20,
          now,
          // Longer than a read can take: a claim outlives its read unless the worker died.
          leaseMs: 2 * timeoutMs + 30_000,
          worker: this.#deps.worker,
          reserveMin: this.#deps.reserveMin ?? 5,
          reserveShare: this.#deps.reserveShare ?? 0.2,
        });
        result.claimed += claims.length;
        const queue = [...claims];
        const lanes = Math.max(1, this.#deps.concurrencyPerPlatform ?? 2);
        await Promise.all(
          Array.from({ length: Math.min(lanes, queue.length) }, async () => {
            for (let claim = queue.shift(); claim; claim = queue.shift()) {
              const outcome = await this.#read(claim, timeoutMs);
              result.outcomes[outcome.kind]++;
            }
          }),
        );
      }),
    );
    return result;
  }

  async #read(claim: ClaimedPoll, timeoutMs: number): Promise<PollOutcome> {
    const { db, worker } = this.#deps;
    const reader = this.#readers.get(claim.accountId);
    const began = performance.now();
    let outcome: PollOutcome;
    let metric: PollMetricOutcome;
    if (!reader) {
      // The account lost its credentials since the post was scheduled: nothing can read it now.
      outcome = { kind: 'failed', error: `account ${claim.accountId} has no reader` };
      metric = 'refused';
    } else if (this.#deps.publishingBroken?.(claim.platform, claim.accountId)) {
      outcome = {
        kind: 'retry',
        at: new Date(this.#deps.clock.now() + 60_000),
        error: 'publishing breaker open',
        countsAsFailure: false,
      };
      metric = 'rate_limited';
    } else {
      let engagement: Engagement | null | undefined;
      let error: unknown;
      try {
        engagement = await reader.adapter.engagement!(claim.platformPostId, AbortSignal.timeout(timeoutMs));
      } catch (e) {
        error = e;
      }
      ({ outcome, metric } = this.#classify(claim, engagement, error));
      if (outcome.kind === 'read') {
        const fee = (this.#deps.readFeesUsdMicros ?? DEFAULT_READ_FEES_USD_MICROS)[claim.platform] ?? 0;
        // A post read is charged (an error or a missing post returns no post to pay for).
        await recordReadFee(
          db,
          { postId: claim.postId, accountId: claim.accountId, platform: claim.platform, usdMicros: fee },
          new Date(this.#deps.clock.now()),
        );
      }
    }
    await recordPoll(db, { postId: claim.postId, worker }, outcome, new Date(this.#deps.clock.now()));
    this.#deps.onPoll?.(claim.platform, metric, (performance.now() - began) / 1000);
    return outcome;
  }

  #classify(
    claim: ClaimedPoll,
    engagement: Engagement | null | undefined,
    error: unknown,
  ): { outcome: PollOutcome; metric: PollMetricOutcome } {
    const now = this.#deps.clock.now();
    const published = claim.publishedAt.getTime();
    const next = () => {
      const n = nextStep(published, claim.step, now, this.#offsets);
      return n ? { step: n.step, at: new Date(n.at) } : null;
    };
    if (error === undefined) {
      if (!engagement) return { outcome: { kind: 'gone' }, metric: 'gone' };
      const counts = {
        likes: engagement.likes,
        reposts: engagement.reposts,
        replies: engagement.replies,
        quotes: engagement.quotes ?? null,
      };
      return { outcome: { kind: 'read', counts, next: next() }, metric: 'ok' };
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RateLimitedError)
      return {
        outcome: {
          kind: 'retry',
          at: new Date(Math.max(error.retryAt, now + 1000)),
          error: message,
          countsAsFailure: false,
        },
        metric: 'rate_limited',
      };
    if (error instanceof PermanentPublishError)
      return { outcome: { kind: 'failed', error: message }, metric: 'refused' };
    const failures = claim.failures + 1;
    if (failures >= MAX_FAILURES_PER_STEP)
      return { outcome: { kind: 'skip', error: message, next: next() }, metric: 'error' };
    // Expired credentials wait longer: publishing will meet them too, and an operator must act.
    const at =
      error instanceof AuthExpiredError
        ? now + 3_600_000
        : retryAt(published, claim.step, failures, now, this.#offsets);
    return {
      outcome: { kind: 'retry', at: new Date(at), error: message, countsAsFailure: true },
      metric: 'error',
    };
  }

  /**
   * Runs passes every `intervalMs` (default 30 s) until `stop()`; a pass that
   * claimed a full batch is followed at once by the next one. Errors go to
   * `onError` and the loop goes on.
   */
  start(intervalMs = 30_000, onError: (error: unknown) => void = () => {}): void {
    if (this.#running) return;
    this.#stopping = false;
    const full = this.#deps.perPlatformPerPass ?? 20;
    this.#running = (async () => {
      while (!this.#stopping) {
        let busy = false;
        try {
          const r = await this.pass();
          busy = r.claimed >= full;
        } catch (error) {
          onError(error);
        }
        if (busy || this.#stopping) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          timer.unref?.();
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Stops the loop after the pass in flight (its reads are bounded by the timeout). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#running = undefined;
  }
}
