/** Time as the pipeline sees it. Replays run on a virtual clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to (replays at full speed, tests). */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  /** Moves forward to `at`; never backwards. */
  advanceTo(at: number): void {
    if (at > this.#now) this.#now = at;
  }
}

/**
 * A clock that runs `speed` times faster than real time from a virtual start
 * (replays at --speed N). It can be pushed forward to skip idle stretches.
 */
export class ScaledClock implements Clock {
  #virtualStart: number;
  #realStart: number;
  readonly speed: number;
  readonly #real: () => number;
  constructor(virtualStart: number, speed: number, real: () => number = () => performance.now()) {
    this.#virtualStart = virtualStart;
    this.speed = speed;
    this.#real = real;
    this.#realStart = real();
  }
  now(): number {
    return Math.floor(this.#virtualStart + (this.#real() - this.#realStart) * this.speed);
  }
  /** Real milliseconds until virtual time `at`. */
  realDelayUntil(at: number): number {
    return Math.max(0, (at - this.now()) / this.speed);
  }
}
