import type { GameEvent, Significance } from '../domain/index.ts';

/** An event (from a source, or derived by the tracker) with how much it matters. */
export interface ScoredEvent {
  event: GameEvent;
  significance: Significance;
}
