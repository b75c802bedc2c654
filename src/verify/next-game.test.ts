import { describe, expect, it } from 'vitest';
import { findProblems } from './extract-claims.ts';
import { factLookup } from './grounding.ts';
import { loadGame, NBA_FILE } from './test-support.ts';

const { facts } = loadGame(NBA_FILE, 'nba');
const lookup = factLookup({ facts });
const home = facts.home;

describe('claims about a later game', () => {
  it('reports where the next game is played and where a team travels as unverifiable', () => {
    const text = `The ${home.name} head back home to face the Celtics on Friday, while the ${facts.away.name} will travel to Boston for a road matchup.`;
    const problems = findProblems(text, lookup, 'unsupported').filter(
      (p) => p.kind !== 'team' && p.kind !== 'date',
    );
    expect(problems.map((p) => [p.text, p.status, p.type])).toEqual([
      ['home', 'unverifiable', 'WORD'],
      ['Boston', 'unverifiable', 'NAME'],
      ['road', 'unverifiable', 'WORD'],
    ]);
    expect(findProblems(text, lookup, 'contradicted')).toEqual([]);
  });

  it('leaves home and road words about this game to the home/away rule, and other words alone', () => {
    const text = `The ${home.name} won in front of their home crowd.`;
    expect(findProblems(text, lookup, 'unsupported')).toEqual([]);
    const words = 'They will face a team that hit home runs again and again, then won on home ice.';
    expect(findProblems(words, lookup, 'unsupported').filter((p) => p.kind === 'word')).toEqual([]);
  });
});
