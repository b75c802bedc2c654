/** A scoring run: one team outscoring the other by a wide margin over a stretch. */
export interface Run {
  runFor: string;
  runPoints: number;
  runAgainst: number;
  /** The threshold just crossed (10, 15, 20 ...). */
  threshold: number;
}

/** Options for {@link RunDetector}. */
export interface RunOptions {
  /** Points that make a run worth announcing (default 10: a 10-0 run). */
  minPoints?: number;
  /** Most points the other team may score during it (default 2: a 12-2 run still counts). */
  maxAgainst?: number;
  /** A run is announced again each time it grows by this many points (default 5). */
  step?: number;
}

/**
 * Watches scoring plays of one game and reports runs. The run of a team is the
 * longest recent stretch in which it scored and the opponent scored at most
 * `maxAgainst`. It is announced when it first reaches `minPoints`, then again
 * at each further `step` (10-0, then 15-2 ...), never twice for one threshold.
 */
export class RunDetector {
  readonly #scores: Array<{ teamId: string; points: number }> = [];
  readonly #announced = new Map<number, number>();
  readonly #minPoints: number;
  readonly #maxAgainst: number;
  readonly #step: number;

  constructor(options: RunOptions = {}) {
    this.#minPoints = options.minPoints ?? 10;
    this.#maxAgainst = options.maxAgainst ?? 2;
    this.#step = options.step ?? 5;
  }

  /** Records points scored by `teamId`; returns the run it extends when one is worth announcing. */
  score(teamId: string, points: number): Run | undefined {
    if (points <= 0) return undefined;
    this.#scores.push({ teamId, points });
    let runPoints = 0;
    let runAgainst = 0;
    let start = this.#scores.length;
    for (let i = this.#scores.length - 1; i >= 0; i--) {
      const s = this.#scores[i]!;
      if (s.teamId === teamId) runPoints += s.points;
      else if (runAgainst + s.points > this.#maxAgainst) break;
      else runAgainst += s.points;
      if (s.teamId === teamId) start = i;
    }
    if (runPoints < this.#minPoints) return undefined;
    const threshold = this.#minPoints + Math.floor((runPoints - this.#minPoints) / this.#step) * this.#step;
    const announced = this.#announced.get(start) ?? 0;
    if (threshold <= announced) return undefined;
    this.#announced.set(start, threshold);
    return { runFor: teamId, runPoints, runAgainst: this.#againstSince(start, teamId), threshold };
  }

  /** Opponent points from the run's first basket on (points before it do not belong to the run). */
  #againstSince(start: number, teamId: string): number {
    let against = 0;
    for (let i = start; i < this.#scores.length; i++) {
      const s = this.#scores[i]!;
      if (s.teamId !== teamId) against += s.points;
    }
    return against;
  }
}
