import type { Kysely } from 'kysely';
import { signWebhook } from '../app/crypto.ts';
import type { DB } from '../store/schema.ts';
import { getSecret, type KeyRing } from '../store/secrets.ts';
import {
  claimDueDeliveries,
  type DueDelivery,
  enqueueDeliveries,
  recordDeliveryAttempt,
  releaseDeliveries,
} from '../store/webhooks.ts';
import type { WebhookEvent } from './services.ts';

export interface WebhookDispatcherOptions {
  db: Kysely<DB>;
  /**
   * Opens the endpoints' signing secrets: the key ring, or how to read the
   * current one (a running server's ring changes when its key is rotated).
   * Without it nothing can be signed: deliveries wait.
   */
  ring?: KeyRing | (() => KeyRing | undefined);
  now: () => Date;
  /** Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Timeout of one delivery request. Default: 10 s. */
  timeoutMs?: number;
  /** Attempts before a delivery fails for good. Default: 8. */
  maxAttempts?: number;
  /** Delay before attempt n+1 (n = attempts made). Default: 2^n seconds, capped at 1 h, with ±20% jitter. */
  backoffMs?: (attempts: number) => number;
  /** Deliveries claimed per round. Default: 20. */
  batch?: number;
  onAttempt?: (outcome: 'delivered' | 'retry' | 'failed', delivery: DueDelivery, detail: string) => void;
}

/** The default backoff: 2^n s (1 s, 2 s, 4 s, ...) capped at an hour, ±20% jitter. */
export function defaultBackoffMs(attempts: number): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Outbound webhooks. `emit` records one delivery per subscribed endpoint in
 * the store (so nothing is lost when the process stops) and wakes the
 * sender; `deliverDue` sends what is due: a POST of the JSON payload with
 * `X-WireReport-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`,
 * `X-WireReport-Event` and `X-WireReport-Delivery`. 2xx is delivered; 408,
 * 429, 5xx and network errors retry with backoff; other 4xx fail at once.
 */
export class WebhookDispatcher {
  readonly #o: WebhookDispatcherOptions;
  readonly #inflight = new Set<number>();
  #stopping = false;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = options;
  }

  /** Queues an event for every endpoint that subscribed to its type. Never throws for delivery problems. */
  async emit(event: WebhookEvent): Promise<void> {
    const ids = await enqueueDeliveries(this.#o.db, event, this.#o.now());
    if (ids.length > 0) this.#wake?.();
  }

  /** Sends every delivery due now, once each. Returns how many attempts were made. */
  async deliverDue(): Promise<number> {
    if (this.#stopping) return 0;
    const due = await claimDueDeliveries(this.#o.db, this.#o.now(), this.#o.batch ?? 20);
    for (const d of due) this.#inflight.add(d.id);
    await Promise.all(due.map((d) => this.#deliver(d).finally(() => this.#inflight.delete(d.id))));
    return due.length;
  }

  async #deliver(d: DueDelivery): Promise<void> {
    const { db, now } = this.#o;
    const maxAttempts = this.#o.maxAttempts ?? 8;
    const retryOrFail = async (status: number | null, error: string) => {
      if (d.attempts >= maxAttempts) {
        await recordDeliveryAttempt(db, d.id, { kind: 'failed', status, error }, now());
        this.#o.onAttempt?.('failed', d, error);
      } else {
        const retryAt = new Date(now().getTime() + (this.#o.backoffMs ?? defaultBackoffMs)(d.attempts));
        await recordDeliveryAttempt(db, d.id, { kind: 'retry', status, error, retryAt }, now());
        this.#o.onAttempt?.('retry', d, error);
      }
    };
    let secret: string | null = null;
    try {
      const ring = typeof this.#o.ring === 'function' ? this.#o.ring() : this.#o.ring;
      secret = ring ? await getSecret(db, ring, `webhook:${d.endpointId}`) : null;
    } catch (error) {
      await retryOrFail(null, `cannot open the signing secret: ${(error as Error).message}`);
      return;
    }
    if (secret === null) {
      await retryOrFail(null, 'no signing secret (WIREREPORT_SECRET_KEY unset or secret missing)');
      return;
    }
    const body = JSON.stringify({ id: d.eventId, ...d.payload });
    const t = Math.floor(now().getTime() / 1000);
    try {
      const response = await (this.#o.fetch ?? fetch)(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WireReport-Webhooks/1',
          'x-wirereport-event': d.eventType,
          'x-wirereport-delivery': String(d.id),
          'x-wirereport-signature': signWebhook(secret, body, t),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        await recordDeliveryAttempt(db, d.id, { kind: 'delivered', status: response.status }, now());
        this.#o.onAttempt?.('delivered', d, String(response.status));
      } else if (response.status === 408 || response.status === 429 || response.status >= 500) {
        await retryOrFail(response.status, `HTTP ${response.status}`);
      } else {
        const error = `HTTP ${response.status}`;
        await recordDeliveryAttempt(db, d.id, { kind: 'failed', status: response.status, error }, now());
        this.#o.onAttempt?.('failed', d, error);
      }
    } catch (error) {
      const e = error as Error;
      await retryOrFail(null, e.name === 'TimeoutError' ? 'timed out' : `${e.name}: ${e.message}`);
    }
  }

  /**
   * Runs the sender in the background: delivers what is due, then sleeps
   * until woken by `emit` or `idleMs` (default 1 s) passes.
   */
  start(idleMs = 1000, onError: (error: unknown) => void = () => {}): void {
    if (this.#running) return;
    this.#running = (async () => {
      while (!this.#stopping) {
        try {
          if ((await this.deliverDue()) > 0) continue;
        } catch (error) {
          onError(error);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    })();
  }

  /**
   * Stops: no new round starts; the attempts in flight finish (each bounded
   * by the timeout). Deliveries claimed but not attempted go back to pending.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    await releaseDeliveries(this.#o.db, [...this.#inflight], this.#o.now());
  }
}
