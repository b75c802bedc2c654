import { describe, expect, it } from 'vitest';
import { graphemeCount } from './checks/length.ts';
import { foldAccents } from './text.ts';

describe('text helpers', () => {
  it('folds accents without changing the length, and gives back text with nothing to fold as it is', () => {
    expect(foldAccents('Dončić and Jokić')).toBe('Doncic and Jokic');
    expect(foldAccents('Luka Dončić 🔥 drops 40')).toBe('Luka Doncic 🔥 drops 40');
    // Already decomposed: the combining mark stays (folding it would shift every later span).
    const decomposed = 'Donc\u030cic\u0301';
    expect(foldAccents(decomposed)).toBe(decomposed);
    for (const text of ['Knicks 108, Pacers 125', 'Knicks win 🏀🔥 #NBA', 'Ωmega – “quoted” …']) {
      expect(foldAccents(text)).toBe(text);
      expect(foldAccents(text)).toHaveLength(text.length);
    }
  });

  it('counts graphemes the same on the plain-ASCII path and the segmenting one', () => {
    expect(graphemeCount('Knicks 108, Pacers 125')).toBe(22);
    expect(graphemeCount('Knicks 108 🏀, Pacers 125')).toBe(24);
    expect(graphemeCount('e\u0301👍🏽')).toBe(2);
    expect(graphemeCount('')).toBe(0);
    expect(graphemeCount('a\r\nb\nc')).toBe(5);
  });
});
