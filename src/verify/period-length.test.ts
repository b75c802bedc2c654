import { describe, expect, it } from 'vitest';
import { findProblems } from './extract-claims.ts';
import { factLookup } from './grounding.ts';
import { loadGame, NBA_FILE } from './test-support.ts';

const { facts } = loadGame(NBA_FILE, 'nba');
const lookup = factLookup({ facts });
const home = facts.home;

describe('a stretch of the game named by its length', () => {
  it('is whole quarters when its length is: the league period length, true of every game', () => {
    const text = `The ${home.name} outscored them over the final 12 minutes and over the first 24 minutes.`;
    const claims = findProblems(text, lookup, 'unsupported');
    expect(claims.filter((c) => /minutes/.test(c.text))).toEqual([]);
    const odd = findProblems(`They led over the final 7 minutes.`, lookup, 'unsupported');
    expect(odd.map((c) => c.text)).toEqual(['7 minutes']);
  });
});
