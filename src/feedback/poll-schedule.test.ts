import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_OFFSETS_MS, nextStep, retryAt, validateOffsets } from './poll-schedule.ts';

const T = Date.parse('2026-11-22T12:00:00Z');
const MIN = 60_000;
const H = 3_600_000;

describe('engagement read schedule', () => {
  it('goes to the next step after a read on time', () => {
    expect(nextStep(T, 0, T + 15 * MIN)).toEqual({ step: 1, at: T + H });
    expect(nextStep(T, 3, T + 24 * H)).toEqual({ step: 4, at: T + 72 * H });
  });

  it('ends after the last step', () => {
    expect(nextStep(T, DEFAULT_POLL_OFFSETS_MS.length - 1, T + 72 * H)).toBeNull();
  });

  it('skips the steps whose time passed while nobody read (no catch-up burst)', () => {
    // Read for step 0 only 30 h after publishing: steps 1-3 are in the past, 72 h is next.
    expect(nextStep(T, 0, T + 30 * H)).toEqual({ step: 4, at: T + 72 * H });
    expect(nextStep(T, 0, T + 80 * H)).toBeNull();
  });

  it('backs off failed reads, never past the next step', () => {
    expect(retryAt(T, 0, 1, T + 15 * MIN)).toBe(T + 16 * MIN);
    expect(retryAt(T, 0, 2, T + 16 * MIN)).toBe(T + 18 * MIN);
    // Step 0's retry would be 64 min after a 7th failure: the 1 h step comes first.
    expect(retryAt(T, 0, 7, T + 20 * MIN)).toBe(T + H);
    // The last step has no next one: plain backoff (capped at 1 h).
    expect(retryAt(T, 4, 12, T + 72 * H)).toBe(T + 73 * H);
  });

  it('refuses schedules that are empty, negative or not increasing, naming the entry', () => {
    expect(() => validateOffsets([])).toThrow(/at least one/);
    expect(() => validateOffsets([MIN, -1])).toThrow(/\[1\]: expected a positive duration/);
    expect(() => validateOffsets([H, MIN])).toThrow(/\[1\]: .* not after the previous/);
    expect(() => validateOffsets(DEFAULT_POLL_OFFSETS_MS)).not.toThrow();
  });
});
