import type { Clock } from '../http/index.ts';

/** An opaque handle of a scheduled timer. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * Timers and the time, injected so pollers run on real time in production and
 * on virtual time in tests. A timer callback may return a promise: the real
 * scheduler ignores it, {@link ManualScheduler} awaits it, so a test knows the
 * work a timer started has finished.
 */
export interface Scheduler extends Clock {
  setTimer(fn: () => void | Promise<void>, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The real scheduler over `setTimeout` and `Date.now`. */
export function systemScheduler(): Scheduler {
  let nextId = 1;
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    setTimer(fn, delayMs) {
      const id = nextId++;
      timers.set(
        id,
        setTimeout(
          () => {
            timers.delete(id);
            void fn();
          },
          Math.max(0, delayMs),
        ),
      );
      return { id };
    },
    clearTimer(handle) {
      clearTimeout(timers.get(handle.id));
      timers.delete(handle.id);
    },
  };
}

interface ManualTimer {
  id: number;
  dueAt: number;
  fn: () => void | Promise<void>;
}

/**
 * Virtual time for tests: nothing fires until `advance()` or `runNext()`; then
 * the timers due fire in time order (those due at the same instant together),
 * and their returned promises are awaited before time moves on.
 */
export class ManualScheduler implements Scheduler {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, ManualTimer>();

  constructor(startAt: number) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.size;
  }

  setTimer(fn: () => void | Promise<void>, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { id, dueAt: this.#now + Math.max(0, delayMs), fn });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id);
  }

  /** Moves time forward by `ms`, firing (and awaiting) every timer due on the way, including ones they set. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next > target) break;
      await this.#fireAt(next);
    }
    this.#now = target;
  }

  /** Moves time to the earliest timer and fires every timer due then; false when none is pending. */
  async runNext(): Promise<boolean> {
    const next = this.#earliest();
    if (next === undefined) return false;
    await this.#fireAt(next);
    return true;
  }

  #earliest(): number | undefined {
    let min: number | undefined;
    for (const timer of this.#timers.values()) if (min === undefined || timer.dueAt < min) min = timer.dueAt;
    return min;
  }

  async #fireAt(at: number): Promise<void> {
    this.#now = Math.max(this.#now, at);
    const due = [...this.#timers.values()].filter((t) => t.dueAt <= at);
    for (const timer of due) this.#timers.delete(timer.id);
    await Promise.all(due.map(async (timer) => timer.fn()));
  }
}
