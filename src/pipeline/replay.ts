import type { GameEvent } from '../domain/event.ts';
import { GameTracker } from '../signals/game-tracker.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import type { ManualClock, ScaledClock } from './clock.ts';
import type { CreatedPost, Ingestor, IngestResult, PreparedBatch } from './ingest.ts';
import type { Publisher } from './publisher.ts';

export interface ReplayProgress {
  done: number;
  total: number;
  published: number;
}

export interface ReplayStats {
  events: number;
  duplicates: number;
  posts: CreatedPost[];
  published: number;
  expired: number;
  /** Milliseconds from the start of an event's ingestion to its posts being stored, per post. */
  latencies: number[];
}

export interface ReplayDeps {
  ingestor: Ingestor;
  /**
   * Publishes between events as the queue allows. Without one, events are only
   * ingested (written, verified and queued) and the queue is left for a
   * publishing loop of its own.
   */
  publisher?: Publisher;
  onProgress?: (p: ReplayProgress) => void;
  onPublished?: () => void;
  /** Most events ingested in one transaction at full speed (quiet stretches only). Default: 64. */
  batchSize?: number;
  /**
   * How many batches are planned (written and verified) ahead of the one
   * being stored, at full speed. Default: 2.
   */
  ahead?: number;
}

/** Merges the events of several games into one timeline; each game keeps its feed order. */
export function mergeTimelines(games: readonly GameEvent[][]): GameEvent[] {
  const cursors = games.map(() => 0);
  const out: GameEvent[] = [];
  for (;;) {
    let best = -1;
    for (let g = 0; g < games.length; g++) {
      const e = games[g]![cursors[g]!];
      if (e && (best < 0 || e.occurredAt < games[best]![cursors[best]!]!.occurredAt)) best = g;
    }
    if (best < 0) return out;
    out.push(games[best]![cursors[best]!]!);
    cursors[best]!++;
  }
}

function scoreWith(trackers: Map<string, GameTracker>, event: GameEvent): ScoredEvent[] {
  let tracker = trackers.get(event.gameId);
  if (!tracker) {
    tracker = new GameTracker();
    trackers.set(event.gameId, tracker);
  }
  return tracker.push(event);
}

/**
 * Publishes everything the queue allows up to virtual time `until`, moving
 * the manual clock along as spacing and not-before times come due, and
 * expiring what goes stale on the way. Returns when the queue next needs
 * attention (epoch ms; +Infinity when nothing is queued).
 */
export async function publishUntil(
  publisher: Publisher,
  clock: ManualClock,
  until: number,
  stats: ReplayStats,
  deps: Pick<ReplayDeps, 'onPublished'>,
): Promise<number> {
  let swept = false;
  // Posts whose outcome is unknown (a crash mid-publish) are settled first: their accounts wait for them.
  await publisher.reconcile();
  for (;;) {
    const result = await publisher.publishOne();
    if (result) {
      if (result.outcome === 'published') {
        stats.published++;
        deps.onPublished?.();
      } else {
        // An uncertain outcome is settled before anything else of the account moves.
        await publisher.reconcile();
      }
      swept = false;
      continue;
    }
    const wake = await publisher.nextWake();
    const at = wake ? wake.getTime() : Number.POSITIVE_INFINITY;
    if (at <= clock.now()) {
      // Due but not claimable: stale posts expire, taken-back leases reconcile; then look again once.
      if (swept) return at;
      const s = await publisher.sweep();
      stats.expired += s.expired;
      await publisher.reconcile();
      swept = true;
      continue;
    }
    if (at > until || at === Number.POSITIVE_INFINITY) return at;
    clock.advanceTo(at);
    swept = false;
  }
}

/**
 * Replays recorded events at full speed on a manual clock: before each event
 * the queue publishes what would have gone out by then, so spacing, priority
 * and expiry behave as they would live. Without a publisher the events are
 * ingested only.
 */
export async function replayAtFullSpeed(
  timeline: readonly GameEvent[],
  clock: ManualClock,
  deps: ReplayDeps,
): Promise<ReplayStats> {
  const stats: ReplayStats = { events: 0, duplicates: 0, posts: [], published: 0, expired: 0, latencies: [] };
  const trackers = new Map<string, GameTracker>();
  const maxBatch = Math.max(1, deps.batchSize ?? 64);
  const ahead = Math.max(0, deps.ahead ?? 2);
  // When the queue next needs the publisher: skipping it until then keeps the
  // replay from asking the store about an idle queue before every event.
  let nextCheck = Number.NEGATIVE_INFINITY;
  let pending: ScoredEvent[] = [];
  // Batches on their way, oldest first, each with the time of its last event. Without a
  // publisher each is committed at once (the ingestor stores those ready together) and
  // awaited later; with one, each is committed only after the queue published up to it.
  const window: { prepared: PreparedBatch; stored?: Promise<IngestResult[]>; last: number; done: number }[] =
    [];
  let done = 0;
  /** Waits for the oldest batches until at most `keep` are on their way. */
  const settle = async (keep: number) => {
    while (window.length > keep) {
      const { prepared, stored, last, done } = window.shift()!;
      const before = stats.posts.length;
      if (stored) {
        record(await stored, stats);
      } else {
        // Events before the last of a batch are never written about, so publishing
        // up to the last one's time first is what would have happened event by event.
        if (deps.publisher && last >= nextCheck)
          nextCheck = await publishUntil(deps.publisher, clock, last, stats, deps);
        clock.advanceTo(last);
        record(await deps.ingestor.commit(prepared), stats);
      }
      if (stats.posts.length > before) nextCheck = Number.NEGATIVE_INFINITY;
      deps.onProgress?.({ done, total: timeline.length, published: stats.published });
    }
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const last = pending[pending.length - 1]!.event.occurredAt;
    const prepared = deps.ingestor.prepare(pending);
    pending = [];
    if (deps.publisher) {
      window.push({ prepared, last, done });
    } else {
      clock.advanceTo(last);
      const stored = deps.ingestor.commit(prepared);
      // Failures are taken when awaited, in order (settle).
      stored.catch(() => {});
      window.push({ prepared, stored, last, done });
    }
    await settle(ahead);
  };
  try {
    for (const event of timeline) {
      done++;
      for (const scored of scoreWith(trackers, event)) {
        pending.push(scored);
        if (deps.ingestor.isNewsworthy(scored) || pending.length >= maxBatch) await flush();
      }
    }
    await flush();
    await settle(0);
  } finally {
    // After a failure, what is still on its way is settled (stored or dropped) before the error is passed on.
    await Promise.all(
      window.map(({ prepared, stored }) => stored?.catch(() => {}) ?? deps.ingestor.discard(prepared)),
    );
  }
  if (deps.publisher) {
    await publishUntil(deps.publisher, clock, Number.POSITIVE_INFINITY, stats, deps);
    stats.expired += (await deps.publisher.sweep()).expired;
  }
  return stats;
}

function record(results: readonly IngestResult[], stats: ReplayStats): void {
  for (const r of results) {
    stats.events++;
    if (r.duplicate) stats.duplicates++;
    for (const p of r.posts) {
      stats.posts.push(p);
      stats.latencies.push(p.latencyMs);
    }
  }
}

async function ingestScored(
  scored: ScoredEvent[],
  stats: ReplayStats,
  deps: Pick<ReplayDeps, 'ingestor'>,
): Promise<void> {
  record(await deps.ingestor.ingest(scored), stats);
}

/**
 * Replays recorded events in scaled real time: each event is ingested when
 * the scaled clock reaches its time; the engine's own publishing loop (not
 * this function) publishes meanwhile.
 */
export async function replayScaled(
  timeline: readonly GameEvent[],
  clock: ScaledClock,
  deps: Omit<ReplayDeps, 'publisher'>,
  signal?: AbortSignal,
): Promise<ReplayStats> {
  const stats: ReplayStats = { events: 0, duplicates: 0, posts: [], published: 0, expired: 0, latencies: [] };
  const trackers = new Map<string, GameTracker>();
  let i = 0;
  for (const event of timeline) {
    for (
      let wait = clock.realDelayUntil(event.occurredAt);
      wait > 0 && !signal?.aborted;
      wait = clock.realDelayUntil(event.occurredAt)
    ) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
    }
    if (signal?.aborted) break;
    await ingestScored(scoreWith(trackers, event), stats, deps);
    i++;
    deps.onProgress?.({ done: i, total: timeline.length, published: stats.published });
  }
  return stats;
}
