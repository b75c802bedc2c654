import { describe, expect, it } from 'vitest';
import type { EspnPlay } from './schema.ts';
import { winProbabilityByPlay } from './win-probability.ts';

const play = (id: string) => ({ id, awayScore: 0, homeScore: 0, period: { number: 1 } }) as EspnPlay;

describe('winProbabilityByPlay', () => {
  it('converts shares to percent and measures each swing from the previous play that had one', () => {
    const wp = winProbabilityByPlay(
      [play('a'), play('b'), play('c'), play('d')],
      [
        { playId: 'a', homeWinPercentage: 0.5 },
        { playId: 'c', homeWinPercentage: 0.685, tiePercentage: 0.02 },
        { playId: 'd', homeWinPercentage: 0.4, tiePercentage: 0 },
        { playId: 'zzz', homeWinPercentage: 1 },
      ],
    );
    expect(wp.get('a')).toEqual({ homeWinPct: 50 });
    expect(wp.has('b')).toBe(false);
    expect(wp.get('c')).toEqual({ homeWinPct: 68.5, homeWinSwing: 18.5, tiePct: 2 });
    expect(wp.get('d')).toEqual({ homeWinPct: 40, homeWinSwing: -28.5 });
    expect(wp.size).toBe(3);
  });
});
