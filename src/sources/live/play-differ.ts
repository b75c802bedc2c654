import type { GameEvent } from '../../domain/index.ts';

/** A play whose score changed after it was first reported, and held for N polls. */
export interface ScoreCorrection {
  eventId: string;
  /** The play as the feed states it now (new score, new snapshot). */
  event: GameEvent;
  previous: { awayScore: number; homeScore: number };
  current: { awayScore: number; homeScore: number };
  /** Consecutive polls the new score was seen in before it was reported. */
  stablePolls: number;
}

/** A reported play that disappeared from the feed for N consecutive polls. */
export interface RemovedPlay {
  eventId: string;
  /** The play as last reported (or as last corrected). */
  lastSeen: GameEvent;
  /** Consecutive polls it was missing from before it was reported. */
  missingPolls: number;
}

export interface DiffResult {
  /** Plays never reported before, in the feed's order of this poll. */
  added: GameEvent[];
  corrections: ScoreCorrection[];
  removed: RemovedPlay[];
}

export interface PlayDifferOptions {
  /** Consecutive polls a changed score (or an absence) must hold before it is reported. Default 3. */
  stablePolls?: number;
}

interface Known {
  /** What was last reported for this play (added or corrected). */
  reported: GameEvent;
  /** A different score seen lately, and for how many consecutive polls. */
  candidate?: { awayScore: number; homeScore: number; polls: number };
  /** Consecutive polls the play was missing from. */
  missing: number;
  /** Reported as removed (and not seen since). */
  removed: boolean;
}

/**
 * Turns the full play list of each poll of one game into what is new since the
 * previous polls. Contracts:
 * - every play id is reported in `added` exactly once, whatever the feed does
 *   later (re-sending, reordering, editing the text, removing and restoring);
 * - a play whose score (away, home) changed is reported in `corrections` once
 *   the same new score was seen in `stablePolls` consecutive polls; a flicker
 *   that reverts sooner is never reported; after a correction, the corrected
 *   score is the reference for later changes;
 * - a reported play missing from `stablePolls` consecutive polls is reported in
 *   `removed` once; if it comes back it is known again (not re-added).
 *
 * Polls must be full lists (an ESPN summary's plays); a poll that failed must
 * not be passed in, or its missing plays would count towards removal. A poll
 * answered "not modified" should be passed the previous list again: it
 * confirms pending corrections.
 */
export class PlayDiffer {
  readonly #stablePolls: number;
  readonly #known = new Map<string, Known>();
  #polls = 0;

  constructor(options: PlayDifferOptions = {}) {
    this.#stablePolls = Math.max(1, options.stablePolls ?? 3);
  }

  /** Polls seen so far. */
  get polls(): number {
    return this.#polls;
  }

  /** Plays reported so far (removed ones included). */
  get size(): number {
    return this.#known.size;
  }

  /** Whether the play of that id was already reported. */
  has(eventId: string): boolean {
    return this.#known.has(eventId);
  }

  /** Diffs one poll's full list of events against everything seen before. */
  next(events: readonly GameEvent[]): DiffResult {
    this.#polls += 1;
    const added: GameEvent[] = [];
    const corrections: ScoreCorrection[] = [];
    const removed: RemovedPlay[] = [];
    const present = new Set<string>();

    for (const event of events) {
      if (present.has(event.id)) continue; // a feed listing a play twice
      present.add(event.id);
      const known = this.#known.get(event.id);
      if (!known) {
        this.#known.set(event.id, { reported: event, missing: 0, removed: false });
        added.push(event);
        continue;
      }
      known.missing = 0;
      known.removed = false;
      const correction = this.#checkScore(known, event);
      if (correction) corrections.push(correction);
    }

    for (const [eventId, known] of this.#known) {
      if (present.has(eventId) || known.removed) continue;
      known.missing += 1;
      known.candidate = undefined;
      if (known.missing >= this.#stablePolls) {
        known.removed = true;
        removed.push({ eventId, lastSeen: known.reported, missingPolls: known.missing });
      }
    }
    return { added, corrections, removed };
  }

  #checkScore(known: Known, event: GameEvent): ScoreCorrection | undefined {
    const { reported } = known;
    if (event.awayScore === reported.awayScore && event.homeScore === reported.homeScore) {
      known.candidate = undefined;
      return undefined;
    }
    const candidate = known.candidate;
    if (candidate && candidate.awayScore === event.awayScore && candidate.homeScore === event.homeScore) {
      candidate.polls += 1;
    } else {
      known.candidate = { awayScore: event.awayScore, homeScore: event.homeScore, polls: 1 };
    }
    const polls = known.candidate?.polls ?? 0;
    if (polls < this.#stablePolls) return undefined;
    known.candidate = undefined;
    known.reported = event;
    return {
      eventId: event.id,
      event,
      previous: { awayScore: reported.awayScore, homeScore: reported.homeScore },
      current: { awayScore: event.awayScore, homeScore: event.homeScore },
      stablePolls: polls,
    };
  }
}
