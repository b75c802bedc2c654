import type { Logger } from 'pino';
import type { LiveBus, LiveMessage } from '../api/live-bus.ts';
import type { Services } from '../api/services.ts';
import { type Alert, budgetAlerts, type FeedSnapshot, feedAlerts } from './alerts.ts';

export interface AlertWatcherOptions {
  services: Services;
  /** The engine's live events (drafts, publish errors). */
  bus: LiveBus;
  /** Where alerts go (the control bot's `alert`). */
  send: (alert: Alert) => Promise<unknown>;
  /** The live feeds' state. Default: none (replays have no live feeds). */
  feeds?: () => readonly FeedSnapshot[];
  /** The engine's clock (budgets are per UTC day of it). Default: Date.now. */
  now?: () => number;
  /** Platform of each account (for breaker alerts). */
  platformOf: (accountId: string) => string;
  /** Milliseconds between looks at budgets and feeds. Default: 30000. */
  pollMs?: number;
  /** A platform's breaker alert is repeated at most this often (ms). Default: 600000. */
  breakerQuietMs?: number;
  logger?: Logger;
}

/** The error the publish breakers raise while a platform's (or account's) breaker is open. */
const BREAKER_ERRORS = new Set(['PlatformUnavailableError']);

/**
 * Turns what the engine does into operator alerts: a post entering review
 * (with approve and reject buttons), a breaking-news draft the verifier
 * rejected, a platform breaker open (from publish errors), and, on a timer,
 * budgets at 80% and sources down. Each alert is sent once (budgets once
 * per account, kind and UTC day; sources until they recover; breakers at
 * most every `breakerQuietMs`).
 */
export class AlertWatcher {
  readonly #o: AlertWatcherOptions;
  readonly #now: () => number;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #down = new Set<string>();
  #budgetSent = new Set<string>();
  readonly #breakerAt = new Map<string, number>();
  #pending: Promise<unknown> = Promise.resolve();

  constructor(options: AlertWatcherOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#unsubscribe = this.#o.bus.subscribe((m) => {
      this.#pending = this.#pending.then(() => this.onLive(m)).catch((error: unknown) => this.#fail(error));
    });
    this.#timer = setInterval(() => {
      this.check().catch((error: unknown) => this.#fail(error));
    }, this.#o.pollMs ?? 30_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#timer) clearInterval(this.#timer);
    await this.#pending;
  }

  #fail(error: unknown): void {
    this.#o.logger?.error({ err: error }, 'alert watcher failed');
  }

  /** Alerts for one live event (exposed for tests; `start` feeds it from the bus). */
  async onLive(m: LiveMessage): Promise<void> {
    if (m.type === 'post' && (m.post.status === 'awaiting_approval' || m.post.status === 'rejected')) {
      const story = await this.#o.services.getPost(m.post.id);
      const breaking = story.event.breaking;
      if (m.post.status === 'awaiting_approval') {
        await this.#o.send({
          kind: 'post_review',
          postId: m.post.id,
          accountId: m.post.accountId,
          text: m.post.text,
          breaking,
        });
      } else if (breaking) {
        await this.#o.send({
          kind: 'draft_rejected',
          postId: m.post.id,
          accountId: m.post.accountId,
          text: m.post.text,
          reasons: m.post.reasons,
          breaking,
        });
      }
    }
    if (m.type === 'publish_error' && BREAKER_ERRORS.has(m.errorName)) {
      const platform = this.#o.platformOf(m.post.accountId);
      const last = this.#breakerAt.get(platform);
      const now = this.#now();
      if (last !== undefined && now - last < (this.#o.breakerQuietMs ?? 600_000)) return;
      this.#breakerAt.set(platform, now);
      await this.#o.send({ kind: 'breaker_open', platform, accountId: m.post.accountId, detail: m.error });
    }
  }

  /** One look at budgets and feeds; sends what changed. */
  async check(): Promise<void> {
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    const { accounts } = await this.#o.services.budgets();
    const budgets = budgetAlerts(accounts, day, this.#budgetSent);
    this.#budgetSent = budgets.sent;
    const feeds = feedAlerts(this.#o.feeds?.() ?? [], this.#down);
    this.#down = feeds.down;
    for (const alert of [...feeds.alerts, ...budgets.alerts]) await this.#o.send(alert);
  }
}
