import { describe, expect, it } from 'vitest';
import { clockSeconds } from '../domain/clock.ts';
import type { GameEvent } from '../domain/index.ts';
import { momentOf, progressOf } from './game-clock.ts';

const at = (league: GameEvent['league'], period: number, clock: string) =>
  ({ league, period, clock }) as GameEvent;

describe('game clock', () => {
  it('reads minutes:seconds and tenths', () => {
    expect(clockSeconds('4:31')).toBe(271);
    expect(clockSeconds('9.1')).toBe(9.1);
    expect(clockSeconds('12:00')).toBe(720);
    expect(clockSeconds('')).toBeUndefined();
  });

  it('measures progress through regulation and treats overtime as fully late', () => {
    expect(progressOf(at('nba', 1, '12:00')).elapsed).toBe(0);
    expect(progressOf(at('nba', 3, '12:00')).elapsed).toBe(0.5);
    expect(progressOf(at('nfl', 4, '0:00')).elapsed).toBe(1);
    expect(progressOf(at('nba', 5, '3:00'))).toMatchObject({
      elapsed: 1,
      overtime: true,
      secondsLeftInPeriod: 180,
    });
  });

  it('says when it happened', () => {
    expect(momentOf(at('nba', 4, '2:10'))).toBe('with 2:10 left in the 4th');
    expect(momentOf(at('nba', 2, '0.0'))).toBe('at the end of the 2nd');
    expect(momentOf(at('nba', 6, '1:00'))).toBe('with 1:00 left in 2OT');
    expect(momentOf(at('mlb', 7, ''))).toBe('in the 7th inning');
  });
});
