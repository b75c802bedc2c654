import { describe, expect, it } from 'vitest';
import { clockSeconds } from '../../domain/clock.ts';
import { DEFAULT_POLLING, type PollSituation, pollDelay, pollPhase } from './poll-policy.ts';

const START = Date.parse('2025-06-01T00:00:00Z');
const base: PollSituation = {
  sport: 'basketball',
  state: 'in',
  startTime: new Date(START).toISOString(),
  period: 2,
  clock: '6:12',
  regulationPeriods: 4,
  awayScore: 50,
  homeScore: 48,
};
const mid = () => 0.5;

describe('poll policy', () => {
  it('polls about every 10 s in play, faster in the last two minutes of a close game', () => {
    expect(pollDelay(base, START, DEFAULT_POLLING, mid)).toBe(10_000);
    const late = { ...base, period: 4, clock: '1:48' };
    expect(pollPhase(late, START)).toBe('clutch');
    expect(pollDelay(late, START, DEFAULT_POLLING, mid)).toBe(4_000);
    expect(pollPhase({ ...late, homeScore: 70 }, START)).toBe('live');
    expect(pollPhase({ ...late, clock: '2:01' }, START)).toBe('live');
    expect(pollPhase({ ...late, period: 5, clock: '0:40' }, START)).toBe('clutch');
  });

  it('slows down at breaks and halftime, and stops after the final', () => {
    expect(pollPhase({ ...base, clock: '0.0', period: 1 }, START)).toBe('break');
    expect(pollPhase({ ...base, statusName: 'STATUS_END_PERIOD' }, START)).toBe('break');
    expect(pollPhase({ ...base, statusName: 'STATUS_HALFTIME' }, START)).toBe('halftime');
    expect(pollDelay({ ...base, statusName: 'STATUS_HALFTIME' }, START, DEFAULT_POLLING, mid)).toBe(60_000);
    expect(pollDelay({ ...base, state: 'post' }, START)).toBeUndefined();
  });

  it('idles far from the start without overshooting the start window', () => {
    const pre = { ...base, state: 'pre' as const, period: 0, clock: '' };
    expect(pollPhase(pre, START - 3 * 3_600_000)).toBe('idle');
    expect(pollDelay(pre, START - 3 * 3_600_000, DEFAULT_POLLING, mid)).toBe(300_000);
    expect(pollDelay(pre, START - 17 * 60_000, DEFAULT_POLLING, mid)).toBe(120_000);
    expect(pollPhase(pre, START - 10 * 60_000)).toBe('pregame');
    expect(pollPhase(pre, START + 5 * 60_000)).toBe('pregame');
  });

  it('jitters by at most ±10%', () => {
    expect(pollDelay(base, START, DEFAULT_POLLING, () => 0)).toBe(9_000);
    expect(pollDelay(base, START, DEFAULT_POLLING, () => 0.999999)).toBe(11_000);
  });

  it('reads display clocks', () => {
    expect(clockSeconds('4:31')).toBe(271);
    expect(clockSeconds('7.1')).toBe(7.1);
    expect(clockSeconds('')).toBeUndefined();
  });
});
