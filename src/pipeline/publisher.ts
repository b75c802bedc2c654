import type { Account } from '../domain/account.ts';
import {
  AuthExpiredError,
  DuplicateContentError,
  PermanentPublishError,
  PlatformUnavailableError,
  RateLimitedError,
  UncertainPublishError,
} from '../publish/errors.ts';
import type { ImageAttachment, PlatformAdapter, PublishRequest } from '../publish/platform.ts';
import { budgetDecision, budgetPeriods, type PlatformBudget } from '../publish/x/budget.ts';
import { xPostFeeUsdMicros } from '../publish/x/fees.ts';
import { MAX_PUBLISH_ATTEMPTS, retryDelayMs } from '../queue/schedule.ts';
import {
  handOffToFallbacks,
  holdQueuedPosts,
  platformSpend,
  postPriority,
  recordLimit,
} from '../store/limits.ts';
import { listParts, type PostPart } from '../store/parts.ts';
import {
  type ClaimedPost,
  claimNextPost,
  expireStale,
  listUnconfirmed,
  markFailed,
  markPublished,
  markUnconfirmed,
  nextWakeTime,
  requeue,
  takeBackExpiredLeases,
} from '../store/posts.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import {
  chainPublished,
  publishChain,
  reconcileChain,
  shapeThread,
  unsentTexts,
} from './thread-publisher.ts';

export interface PublisherDeps {
  store: Store;
  accounts: readonly Account[];
  /** The adapter that publishes for an account (the outbox when it has no credentials). */
  adapterFor: (account: Account) => PlatformAdapter;
  clock: Clock;
  /** Name of this worker in leases and attempts. */
  worker: string;
  /** Default: 60 s. A lease must outlast the publish timeout. */
  leaseMs?: number;
  /** Timeout of one platform call. Default: 20 s. */
  timeoutMs?: number;
  onPublished?: (post: { id: string; accountId: string; platformPostId: string; url?: string }) => void;
  onError?: (post: { id: string; accountId: string }, error: unknown) => void;
  /**
   * After an uncertain publish, how long a platform's "not found" is not
   * trusted (a request in flight when a worker died can still land; some
   * servers show new posts late). Default: 15 s; the outbox, in our own
   * store, needs none.
   */
  absentGraceMs?: number;
  /**
   * Images to attach to a post (the score card of a final), asked for only
   * when the account publishes to a real platform. Default: none. A failure
   * here publishes the post without images rather than not at all.
   */
  imagesFor?: (
    post: { id: string; eventId: string },
    account: Account,
  ) => Promise<readonly ImageAttachment[]>;
  /**
   * The spending cap of an account on a paying platform (X), or null.
   * Default: none. When a post does not fit, it goes to the account's
   * `fallbacks`, or waits for the next budget period.
   */
  budgetFor?: (account: Account) => PlatformBudget | null;
}

export type PublishOutcome = 'published' | 'requeued' | 'failed' | 'unconfirmed';

/**
 * The conductor's second half: takes the next post any account may publish,
 * publishes it, and records the outcome. Exactly-once rests on three rules:
 *
 * 1. the post is marked `publishing` (with a lease) and committed *before*
 *    the platform is called;
 * 2. a call whose outcome is unknown (timeout, crash, X's duplicate-content
 *    403) makes the post `unconfirmed`, never `queued`: before anything is
 *    retried, `reconcile` asks the platform whether it has the post;
 * 3. posts whose lease ran out (their worker died) are taken back as
 *    unconfirmed by `sweep`, and reconciled the same way.
 */
export class Publisher {
  readonly #deps: PublisherDeps;
  readonly #accounts: Map<string, Account>;

  constructor(deps: PublisherDeps) {
    this.#deps = deps;
    this.#accounts = new Map(deps.accounts.map((a) => [a.id, a]));
  }

  #now(): Date {
    return new Date(this.#deps.clock.now());
  }

  #request(post: { id: string; accountId: string; text: string }): {
    request: PublishRequest;
    account: Account;
  } {
    const account = this.#accounts.get(post.accountId);
    if (!account) throw new Error(`post ${post.id}: account ${post.accountId} is not configured`);
    return {
      account,
      request: {
        idempotencyKey: post.id,
        account: { id: account.id, handle: account.handle, platform: account.platform },
        text: post.text,
      },
    };
  }

  /** How long after an uncertain publish an absent post is still not trusted to be absent. */
  #absentGraceMs(adapter: PlatformAdapter): number {
    return adapter.platform === 'outbox' ? 0 : (this.#deps.absentGraceMs ?? 15_000);
  }

  /** Publishes one post if any is due. Returns null when nothing is. */
  async publishOne(): Promise<{ post: ClaimedPost; outcome: PublishOutcome } | null> {
    const { store, worker } = this.#deps;
    const post = await claimNextPost(store.db, {
      now: this.#now(),
      worker,
      leaseMs: this.#deps.leaseMs ?? 60_000,
    });
    if (!post) return null;
    const { request, account } = this.#request(post);
    // A thread's posts, lead first (migration 0005); [] for a single post.
    const parts = await listParts(store.db, post.id);
    const held = await this.#holdIfLimited(post, account, parts);
    if (held) return { post, outcome: held };
    const adapter = this.#deps.adapterFor(account);
    if (this.#deps.imagesFor && adapter.platform !== 'outbox') {
      try {
        const images = await this.#deps.imagesFor(post, account);
        if (images.length > 0) request.images = images;
      } catch (error) {
        this.#deps.onError?.(post, error);
      }
    }
    if (parts.length > 0) {
      const shaped = shapeThread(post.text, parts, adapter, account.platform);
      if (shaped.kind === 'chain')
        return { post, outcome: await this.#publishThread(post, account, adapter, request, parts) };
      request.text = shaped.text;
    }
    const signal = AbortSignal.timeout(this.#deps.timeoutMs ?? 20_000);
    try {
      const result = await adapter.publish(request, signal);
      await markPublished(
        store.db,
        post,
        'publishing',
        { ...result, platform: account.platform },
        `published on ${adapter.platform}`,
        this.#now(),
      );
      this.#deps.onPublished?.({
        id: post.id,
        accountId: post.accountId,
        platformPostId: result.platformPostId,
        ...(result.url ? { url: result.url } : {}),
      });
      return { post, outcome: 'published' };
    } catch (error) {
      this.#deps.onError?.(post, error);
      return { post, outcome: await this.#handleFailure(post, error, signal.aborted) };
    }
  }

  /**
   * Publishes what is missing of a thread, post by post (`publishChain`: each
   * post's id is stored before the next is sent). Once the lead is out the
   * post is never failed nor sent from scratch: a part the platform refuses
   * for good, or a part that keeps failing, ends the thread there and the post
   * counts as published with the replies that made it.
   */
  async #publishThread(
    post: ClaimedPost,
    account: Account,
    adapter: PlatformAdapter,
    lead: PublishRequest,
    parts: PostPart[],
  ): Promise<PublishOutcome> {
    const db = this.#deps.store.db;
    const result = await publishChain({
      store: this.#deps.store,
      adapter,
      platform: account.platform,
      post,
      lead,
      parts,
      worker: this.#deps.worker,
      leaseMs: this.#deps.leaseMs ?? 60_000,
      timeoutMs: this.#deps.timeoutMs ?? 20_000,
      now: () => this.#now(),
    });
    let reason = `published on ${adapter.platform} as a thread of ${parts.length} posts`;
    if (!result.ok) {
      this.#deps.onError?.(post, result.error);
      if (result.lost) return 'unconfirmed';
      const e = result.error;
      const uncertain =
        result.timedOut || e instanceof UncertainPublishError || e instanceof DuplicateContentError;
      const waits = e instanceof RateLimitedError || e instanceof AuthExpiredError;
      const ends =
        e instanceof PermanentPublishError || (!uncertain && !waits && post.attempts >= MAX_PUBLISH_ATTEMPTS);
      if (!result.rootOut || !ends) return this.#handleFailure(post, e, result.timedOut);
      reason = `published on ${adapter.platform}; the thread stops after ${parts.filter((p) => p.platformPostId).length} of ${parts.length} posts: ${e instanceof Error ? e.message : String(e)}`;
    }
    const published = chainPublished(parts);
    const platform = account.platform;
    await markPublished(db, post, 'publishing', { ...published, platform }, reason, this.#now());
    this.#deps.onPublished?.({
      id: post.id,
      accountId: post.accountId,
      platformPostId: published.platformPostId,
      ...(published.url ? { url: published.url } : {}),
    });
    return 'published';
  }

  /** Reconciles an unconfirmed thread (`reconcileChain`); the outcome counted by `reconcile`. */
  async #reconcileThread(
    post: { id: string; accountId: string; since: Date },
    account: Account,
    adapter: PlatformAdapter,
    lead: PublishRequest,
    parts: PostPart[],
  ): Promise<'published' | 'requeued' | 'pending'> {
    const db = this.#deps.store.db;
    const state = await reconcileChain({
      store: this.#deps.store,
      adapter,
      platform: account.platform,
      post,
      lead,
      parts,
      timeoutMs: this.#deps.timeoutMs ?? 20_000,
      now: () => this.#now(),
    });
    const now = this.#now();
    if (state === 'complete') {
      const published = { ...chainPublished(parts), platform: account.platform };
      await markPublished(db, post, 'unconfirmed', published, 'thread found by reconciliation', now);
      return 'published';
    }
    if (state === 'continue') {
      await requeue(db, post, 'unconfirmed', now, 'thread found in part: the rest was never sent', now);
      return 'requeued';
    }
    if (now.getTime() - post.since.getTime() < this.#absentGraceMs(adapter)) return 'pending';
    const missing = parts.find((p) => !p.platformPostId)?.idx ?? 0;
    await requeue(db, post, 'unconfirmed', now, `thread post ${missing} confirmed absent`, now);
    return 'requeued';
  }

  /**
   * Before calling the platform: a limit stored by any worker (a 429, an
   * exhausted window) holds the post and the account's queue until it lifts;
   * a spent budget hands the post to the account's fallbacks or holds it until
   * the next budget period. Returns the outcome when the post was held.
   */
  async #holdIfLimited(
    post: ClaimedPost,
    account: Account,
    parts: readonly PostPart[] = [],
  ): Promise<PublishOutcome | null> {
    const db = this.#deps.store.db;
    const now = this.#now();
    // The claim read the stored limits of the account's platform (any worker's 429s and windows).
    const until = post.blockedUntil;
    if (until) {
      await requeue(db, post, 'publishing', until, 'platform rate limit in force', now);
      await holdQueuedPosts(db, account.id, until);
      return 'requeued';
    }
    const budget = this.#deps.budgetFor?.(account);
    if (!budget) return null;
    const { dayStart, monthStart } = budgetPeriods(now);
    const [day, month, priority] = await Promise.all([
      platformSpend(db, account.id, account.platform, dayStart),
      platformSpend(db, account.id, account.platform, monthStart),
      postPriority(db, post.id),
    ]);
    const decision = budgetDecision(
      budget,
      { day, month },
      {
        // A thread pays for every post still to send.
        feeUsdMicros: unsentTexts(post.text, parts).reduce((sum, t) => sum + xPostFeeUsdMicros(t), 0),
        priority: priority ?? Number.MAX_SAFE_INTEGER,
      },
      now,
    );
    if (decision.ok) return null;
    const fallbacks = account.fallbacks ?? [];
    if (fallbacks.length > 0) {
      const given = await handOffToFallbacks(db, post.id, fallbacks, decision.reason, now);
      if (given.length > 0) {
        await markFailed(db, post, 'publishing', `${decision.reason}: handed to ${given.join(', ')}`, now);
        return 'failed';
      }
    }
    await requeue(db, post, 'publishing', decision.until, decision.reason, now);
    return 'requeued';
  }

  async #handleFailure(post: ClaimedPost, error: unknown, timedOut: boolean): Promise<PublishOutcome> {
    const db = this.#deps.store.db;
    const now = this.#now();
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error instanceof RateLimitedError && !(error instanceof PlatformUnavailableError)) {
      // The platform's word, for every worker: nothing of this account before retryAt.
      const account = this.#accounts.get(post.accountId);
      if (account) {
        await recordLimit(
          db,
          {
            accountId: account.id,
            platform: account.platform,
            scope: 'publish',
            resetAt: error.retryAt,
            exceeded: true,
          },
          now,
        );
        await holdQueuedPosts(db, account.id, new Date(Math.max(error.retryAt, now.getTime())));
      }
    }
    if (error instanceof RateLimitedError) {
      await requeue(
        db,
        post,
        'publishing',
        new Date(Math.max(error.retryAt, now.getTime())),
        'rate limited',
        now,
        message,
      );
      return 'requeued';
    }
    if (error instanceof PermanentPublishError) {
      await markFailed(db, post, 'publishing', 'refused by the platform', now, message);
      return 'failed';
    }
    if (error instanceof AuthExpiredError) {
      // Hold the post; credentials must be refreshed (or fixed by an operator).
      await requeue(
        db,
        post,
        'publishing',
        new Date(now.getTime() + 15 * 60_000),
        'credentials refused',
        now,
        message,
      );
      return 'requeued';
    }
    if (error instanceof DuplicateContentError || error instanceof UncertainPublishError || timedOut) {
      await markUnconfirmed(db, post, timedOut ? 'publish timed out' : 'outcome unknown', now, message);
      return 'unconfirmed';
    }
    if (post.attempts >= MAX_PUBLISH_ATTEMPTS) {
      await markFailed(db, post, 'publishing', `gave up after ${post.attempts} attempts`, now, message);
      return 'failed';
    }
    await requeue(
      db,
      post,
      'publishing',
      new Date(now.getTime() + retryDelayMs(post.attempts)),
      'transient failure',
      now,
      message,
    );
    return 'requeued';
  }

  /**
   * Asks the platform about every unconfirmed post: found means published,
   * certainly absent means back to the queue. When the platform cannot tell,
   * the post stays unconfirmed (and its account waits) until it can.
   */
  async reconcile(): Promise<{ published: number; requeued: number; pending: number }> {
    const db = this.#deps.store.db;
    const counts = { published: 0, requeued: 0, pending: 0 };
    for (const post of await listUnconfirmed(db)) {
      const { request, account } = this.#request(post);
      const adapter = this.#deps.adapterFor(account);
      try {
        const parts = await listParts(db, post.id);
        if (parts.length > 0) {
          // A thread: the chain is looked for post by post; a single message, by the text it was sent as.
          const shaped = shapeThread(post.text, parts, adapter, account.platform);
          if (shaped.kind === 'chain') {
            counts[await this.#reconcileThread(post, account, adapter, request, parts)]++;
            continue;
          }
          request.text = shaped.text;
        }
        const found = await adapter.find(request, AbortSignal.timeout(this.#deps.timeoutMs ?? 20_000));
        const now = this.#now();
        if (!found && now.getTime() - post.since.getTime() < this.#absentGraceMs(adapter)) {
          // A request in flight when its worker died can still land: "absent" is
          // trusted only once the platform has had time to show it.
          counts.pending++;
          continue;
        }
        if (found) {
          await markPublished(
            db,
            post,
            'unconfirmed',
            { ...found, platform: account.platform },
            'found on the platform by reconciliation',
            now,
          );
          counts.published++;
        } else {
          await requeue(db, post, 'unconfirmed', now, 'confirmed absent on the platform', now);
          counts.requeued++;
        }
      } catch (error) {
        this.#deps.onError?.(post, error);
        counts.pending++;
      }
    }
    return counts;
  }

  /** Expires stale queued posts and takes back posts whose publishing lease ran out. */
  async sweep(options: { everything?: boolean } = {}): Promise<{ expired: number; takenBack: number }> {
    const db = this.#deps.store.db;
    const now = this.#now();
    const takenBack = (await takeBackExpiredLeases(db, now, options.everything ?? false)).length;
    const expired = await expireStale(db, now);
    return { expired, takenBack };
  }

  /** When the next queued post may become publishable (null: nothing queued). */
  nextWake(): Promise<Date | null> {
    return nextWakeTime(this.#deps.store.db, this.#now());
  }
}
