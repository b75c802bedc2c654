import { GameTracker } from '../signals/game-tracker.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import { correctionEvents } from '../sources/live/corrections.ts';
import type { GameBatch } from '../sources/live/game-monitor.ts';
import { upsertGame } from '../store/events.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { Ingestor, IngestResult } from './ingest.ts';

export interface LiveIngestDeps {
  store: Store;
  ingestor: Ingestor;
  clock: Clock;
  /** Told about every batch once it is stored (metrics, logs, live views). */
  onBatch?: (batch: GameBatch, results: IngestResult[], storedAt: number) => void;
  /** Told about score corrections and removed plays that held over several polls. */
  onCorrection?: (batch: GameBatch) => void;
}

/**
 * The sink of live game monitors: scores each new play with the game's
 * tracker, ingests the batch (events exactly once, posts written, verified
 * and queued), and keeps the game's facts current for the verifier and the
 * `games` listing. A batch offered twice (after a failure) is harmless: the
 * tracker ignores event ids it has seen and the store ignores stored events.
 *
 * Score corrections that held for several polls (see `PlayDiffer`) become
 * `score_correction` events (one per play the scorer changed, see
 * `correctionEvents`), scored, routed, written, verified and queued like any
 * other; their ids are content-derived, so a correction is posted once. A
 * score that flaps back within the hold never reaches here. Removed plays are
 * only reported (`onCorrection`).
 */
export class LiveIngest {
  readonly #deps: LiveIngestDeps;
  readonly #trackers = new Map<string, GameTracker>();
  /** Scored events of a batch whose ingestion failed: the tracker has seen them, the store has not. */
  readonly #pending = new Map<string, ScoredEvent[]>();

  constructor(deps: LiveIngestDeps) {
    this.#deps = deps;
  }

  readonly sink = async (batch: GameBatch): Promise<void> => {
    let tracker = this.#trackers.get(batch.gameId);
    if (!tracker) {
      tracker = new GameTracker();
      this.#trackers.set(batch.gameId, tracker);
    }
    const scored = [
      ...(this.#pending.get(batch.gameId) ?? []),
      ...batch.events.flatMap((event) => tracker.push(event)),
      ...correctionEvents(batch.corrections, batch.facts, batch.polledAt).flatMap((event) =>
        tracker.push(event),
      ),
    ];
    let results: IngestResult[] = [];
    try {
      if (scored.length > 0) results = await this.#deps.ingestor.ingest(scored);
    } catch (error) {
      // The monitor offers the batch again; the tracker will not score these twice, so keep them.
      this.#pending.set(batch.gameId, scored);
      throw error;
    }
    this.#pending.delete(batch.gameId);
    await upsertGame(this.#deps.store.db, batch.facts, new Date(this.#deps.clock.now()));
    if (batch.corrections.length > 0 || batch.removed.length > 0) this.#deps.onCorrection?.(batch);
    if (batch.final) this.#trackers.delete(batch.gameId);
    this.#deps.onBatch?.(batch, results, Date.now());
  };
}
