import type { GameEvent } from '../domain/event.ts';
import { GameTracker } from '../signals/game-tracker.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import type { ManualClock, ScaledClock } from './clock.ts';
import type { CreatedPost, Ingestor } from './ingest.ts';
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
  publisher: Publisher;
  onProgress?: (p: ReplayProgress) => void;
  onPublished?: () => void;
  /** Events ingested per transaction batch at full speed. Default: 1. */
  batchSize?: number;
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
 * expiring what goes stale on the way.
 */
export async function publishUntil(
  publisher: Publisher,
  clock: ManualClock,
  until: number,
  stats: ReplayStats,
  deps: ReplayDeps,
): Promise<void> {
  for (;;) {
    const swept = await publisher.sweep();
    stats.expired += swept.expired;
    await publisher.reconcile();
    const result = await publisher.publishOne();
    if (result) {
      if (result.outcome === 'published') {
        stats.published++;
        deps.onPublished?.();
      }
      continue;
    }
    const wake = await publisher.nextWake();
    if (!wake || wake.getTime() > until || wake.getTime() <= clock.now()) {
      if (wake && wake.getTime() <= clock.now()) {
        // Something is due but was not claimable (in flight elsewhere): nothing more to do now.
      }
      return;
    }
    clock.advanceTo(wake.getTime());
  }
}

/**
 * Replays recorded events at full speed on a manual clock: before each event
 * the queue publishes what would have gone out by then, so spacing, priority
 * and expiry behave as they would live.
 */
export async function replayAtFullSpeed(
  timeline: readonly GameEvent[],
  clock: ManualClock,
  deps: ReplayDeps,
): Promise<ReplayStats> {
  const stats: ReplayStats = { events: 0, duplicates: 0, posts: [], published: 0, expired: 0, latencies: [] };
  const trackers = new Map<string, GameTracker>();
  const batchSize = Math.max(1, deps.batchSize ?? 1);
  for (let i = 0; i < timeline.length; i += batchSize) {
    const slice = timeline.slice(i, i + batchSize);
    const first = slice[0]!;
    await publishUntil(deps.publisher, clock, first.occurredAt, stats, deps);
    clock.advanceTo(first.occurredAt);
    const scored = slice.flatMap((e) => scoreWith(trackers, e));
    await ingestScored(scored, stats, deps);
    deps.onProgress?.({
      done: Math.min(i + batchSize, timeline.length),
      total: timeline.length,
      published: stats.published,
    });
  }
  await publishUntil(deps.publisher, clock, Number.POSITIVE_INFINITY, stats, deps);
  return stats;
}

async function ingestScored(scored: ScoredEvent[], stats: ReplayStats, deps: ReplayDeps): Promise<void> {
  const results = await deps.ingestor.ingest(scored);
  for (const r of results) {
    stats.events++;
    if (r.duplicate) stats.duplicates++;
    for (const p of r.posts) {
      stats.posts.push(p);
      stats.latencies.push(p.latencyMs);
    }
  }
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
    await ingestScored(scoreWith(trackers, event), stats, deps as ReplayDeps);
    i++;
    deps.onProgress?.({ done: i, total: timeline.length, published: stats.published });
  }
  return stats;
}
