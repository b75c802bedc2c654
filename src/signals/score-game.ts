import type { GameEvent } from '../domain/index.ts';
import { GameTracker } from './game-tracker.ts';
import type { ScoredEvent } from './scored-event.ts';

/**
 * Scores a whole recording: each event in the given order, followed by the
 * events derived from it (see `GameTracker`). Events of several games may be
 * interleaved; each game gets its own tracker. Repeated event ids are dropped.
 */
export function scoreGame(events: readonly GameEvent[]): ScoredEvent[] {
  const trackers = new Map<string, GameTracker>();
  const out: ScoredEvent[] = [];
  for (const event of events) {
    let tracker = trackers.get(event.gameId);
    if (!tracker) {
      tracker = new GameTracker();
      trackers.set(event.gameId, tracker);
    }
    out.push(...tracker.push(event));
  }
  return out;
}
