/**
 * The in-process event bus behind the dashboard's live stream (and the
 * control bot's alerts): the engine's hooks publish what happens, each
 * subscriber (one per open SSE connection) receives it. Events get an
 * increasing id; the last `keep` are retained so a client that reconnects
 * with `Last-Event-ID` gets what it missed.
 *
 * Publishing never throws and never waits: a subscriber that throws is
 * dropped, so a broken connection cannot stall the engine.
 */

/** What the live stream carries. */
export type LiveEvent =
  | {
      type: 'post';
      /** A draft was stored: queued, awaiting approval or rejected by the verifier. */
      post: {
        id: string;
        accountId: string;
        eventId: string;
        status: string;
        text: string;
        significance: number;
        reasons: string[];
      };
    }
  | {
      type: 'published';
      post: { id: string; accountId: string; platformPostId: string; url?: string };
    }
  | { type: 'publish_error'; post: { id: string; accountId: string }; error: string; errorName: string };

export type LiveEventType = LiveEvent['type'];

/** A published event: the event with its id and time (epoch ms). */
export type LiveMessage = LiveEvent & { id: number; at: number };

export type LiveListener = (message: LiveMessage) => void;

export interface LiveBusOptions {
  /** Events retained for reconnecting clients. Default: 200. */
  keep?: number;
  /** Clock for `at`. Default: Date.now. */
  now?: () => number;
}

export class LiveBus {
  readonly #listeners = new Set<LiveListener>();
  readonly #recent: LiveMessage[] = [];
  readonly #keep: number;
  readonly #now: () => number;
  #nextId = 1;

  constructor(options: LiveBusOptions = {}) {
    this.#keep = Math.max(0, options.keep ?? 200);
    this.#now = options.now ?? Date.now;
  }

  /** Delivers `event` to every subscriber (synchronously) and retains it. Returns the message sent. */
  publish(event: LiveEvent): LiveMessage {
    const message: LiveMessage = { ...event, id: this.#nextId++, at: this.#now() };
    this.#recent.push(message);
    if (this.#recent.length > this.#keep) this.#recent.splice(0, this.#recent.length - this.#keep);
    for (const listener of [...this.#listeners]) {
      try {
        listener(message);
      } catch {
        this.#listeners.delete(listener);
      }
    }
    return message;
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Retained messages with an id above `afterId` (all retained when undefined), oldest first. */
  since(afterId?: number): LiveMessage[] {
    if (afterId === undefined) return [...this.#recent];
    return this.#recent.filter((m) => m.id > afterId);
  }

  /** Open subscriptions (for tests and metrics). */
  get subscribers(): number {
    return this.#listeners.size;
  }
}

/** The engine hooks' arguments, as far as the bus reads them. */
export interface EngineHookPost {
  id: string;
  accountId: string;
  eventId: string;
  status: string;
  text: string;
  significance: number;
  verdict: { reasons: string[] };
}

/**
 * Handlers for the engine's `onPost`, `onPublished` and `onPublishError`
 * hooks that put what happened on `bus` (call them from the hooks the
 * engine is given).
 */
export function busHooks(bus: LiveBus) {
  return {
    onPost(p: EngineHookPost): void {
      bus.publish({
        type: 'post',
        post: {
          id: p.id,
          accountId: p.accountId,
          eventId: p.eventId,
          status: p.status,
          text: p.text,
          significance: p.significance,
          reasons: p.verdict.reasons,
        },
      });
    },
    onPublished(p: { id: string; accountId: string; platformPostId: string; url?: string }): void {
      bus.publish({
        type: 'published',
        post: {
          id: p.id,
          accountId: p.accountId,
          platformPostId: p.platformPostId,
          ...(p.url !== undefined ? { url: p.url } : {}),
        },
      });
    },
    onPublishError(p: { id: string; accountId: string }, error: unknown): void {
      const e = error instanceof Error ? error : new Error(String(error));
      bus.publish({
        type: 'publish_error',
        post: { id: p.id, accountId: p.accountId },
        error: e.message,
        errorName: e.name,
      });
    },
  };
}
