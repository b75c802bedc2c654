/**
 * The decaying schedule of engagement reads: pure rules, times in epoch ms.
 * Early reads catch the first burst, later ones the settled counts; after the
 * last step a post is never read again (reads cost rate limit, and on X money).
 */

/** Default read times after publishing: 15 min, 1 h, 6 h, 24 h, 72 h. */
export const DEFAULT_POLL_OFFSETS_MS: readonly number[] = [
  15 * 60_000,
  3_600_000,
  6 * 3_600_000,
  24 * 3_600_000,
  72 * 3_600_000,
];

/** Consecutive failed reads after which a step is given up (the next step still comes). */
export const MAX_FAILURES_PER_STEP = 3;

/**
 * Checks a schedule: at least one offset, each positive and later than the
 * one before. Throws an error naming the bad entry.
 */
export function validateOffsets(offsets: readonly number[], where = 'engagement schedule'): void {
  if (offsets.length === 0) throw new Error(`${where}: at least one offset is needed`);
  offsets.forEach((o, i) => {
    if (!Number.isFinite(o) || o <= 0)
      throw new Error(`${where}[${i}]: expected a positive duration, got ${o}`);
    if (i > 0 && o <= offsets[i - 1]!)
      throw new Error(`${where}[${i}]: ${o} ms is not after the previous offset (${offsets[i - 1]} ms)`);
  });
}

/**
 * The step to read next after a read (or a given-up step) at `now`: the first
 * step after `step` whose time has not yet passed, so a collector that was
 * stopped for a day does not read the same post three times in a row to
 * catch up. Returns null when the schedule is over.
 */
export function nextStep(
  publishedAt: number,
  step: number,
  now: number,
  offsets: readonly number[] = DEFAULT_POLL_OFFSETS_MS,
): { step: number; at: number } | null {
  for (let s = step + 1; s < offsets.length; s++) {
    const at = publishedAt + offsets[s]!;
    if (at > now) return { step: s, at };
  }
  return null;
}

/**
 * When to try a failed read again: 1 min doubling with the failures, never
 * later than the next step's time (that read is worth more than this one).
 */
export function retryAt(
  publishedAt: number,
  step: number,
  failures: number,
  now: number,
  offsets: readonly number[] = DEFAULT_POLL_OFFSETS_MS,
): number {
  const backoff = now + Math.min(3_600_000, 60_000 * 2 ** Math.max(0, failures - 1));
  const next = offsets[step + 1];
  return next === undefined ? backoff : Math.min(backoff, Math.max(now + 1000, publishedAt + next));
}
