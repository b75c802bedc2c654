import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlayerFacts, TeamFacts } from '../domain/index.ts';
import { extractClaimsWith, findProblems } from './extract-claims.ts';
import { parseRotoWireRecord, rotowireLookup } from './rotowire.ts';
import { spanOf } from './test-support.ts';

const FILE = new URL('../../fixtures/factuality/accuracy_shared_task_dev/shared_task.jsonl', import.meta.url);
const lines = readFileSync(FILE, 'utf8').trim().split('\n');
const ORDINALS = ['first', 'second', 'third', 'fourth'];

function game(index: number) {
  const g = parseRotoWireRecord(JSON.parse(lines[index] as string), `shared_task.jsonl: line ${index + 1}`);
  const lookup = rotowireLookup(g);
  const { facts } = g;
  const pts = (p: PlayerFacts) => p.stats.points ?? 0;
  const roster = (t: TeamFacts) =>
    facts.players.filter((p) => p.teamId === t.id && !p.didNotPlay).sort((a, b) => pts(b) - pts(a));
  return { facts, lookup, pts, roster, problems: (text: string) => findProblems(text, lookup) };
}

/** A player whose points, rebounds and assists all differ from `p`'s. */
function unlike(players: PlayerFacts[], p: PlayerFacts): PlayerFacts | undefined {
  const keys = ['points', 'rebounds', 'assists'] as const;
  return players.find((q) => q.id !== p.id && keys.every((k) => (q.stats[k] ?? 0) !== (p.stats[k] ?? 0)));
}

const line = (p: PlayerFacts) =>
  `${p.stats.points} points, ${p.stats.rebounds} rebounds and ${p.stats.assists} assists`;

describe('box-score words on RotoWire records', () => {
  for (const index of [0, 7, 41]) {
    const { facts, pts, roster, problems } = game(index);
    const home = roster(facts.home);
    const away = roster(facts.away);
    const label = `record ${index} (${facts.away.name} at ${facts.home.name})`;

    it(`flags the name when the numbers are a teammate's, ${label}`, () => {
      const [a] = home;
      const b = a && unlike(home, a);
      if (!a || !b) throw new Error('record has no two distinct lines');
      expect(problems(`${a.name} finished with ${line(a)}.`)).toEqual([]);
      const swapped = `${a.name} finished with ${line(b)}.`;
      const found = problems(swapped);
      expect(found).toEqual([
        expect.objectContaining({ ...spanOf(swapped, a.name), type: 'NAME', status: 'contradicted' }),
      ]);
    });

    it(`ranks 'was next' against the teammate named before, ${label}`, () => {
      const distinct = home.filter((p, i) => i === 0 || pts(p) !== pts(home[i - 1] as PlayerFacts));
      const [first, second, third] = distinct;
      if (!first || !second || !third) throw new Error('record has fewer than three scorers');
      const right = `${first.name} scored ${pts(first)} points. ${second.name} was next with ${pts(second)} points.`;
      expect(problems(right)).toEqual([]);
      const wrong = `${first.name} scored ${pts(first)} points. ${third.name} was next with ${pts(third)} points.`;
      expect(problems(wrong)).toEqual([
        expect.objectContaining({ ...spanOf(wrong, 'next'), type: 'WORD', kind: 'superlative' }),
      ]);
    });

    it(`puts a player of the other team continuing a list in the wrong context, ${label}`, () => {
      const [a] = home;
      const [b] = away;
      if (!a || !b) throw new Error('record has no scorers');
      const text = `${a.name} scored ${pts(a)} points. ${b.name} added ${pts(b)} points.`;
      expect(problems(text)).toEqual([expect.objectContaining({ ...spanOf(text, b.name), type: 'CONTEXT' })]);
      const switched = `${a.name} scored ${pts(a)} points. For the ${facts.away.name}, ${b.name} added ${pts(b)} points.`;
      expect(problems(switched)).toEqual([]);
    });

    it(`checks who led a team and which team, ${label}`, () => {
      const [top] = home;
      const low = home.find((p) => pts(p) < pts(top as PlayerFacts));
      const [other] = away;
      if (!top || !low || !other) throw new Error('record has no scorers');
      expect(problems(`The ${facts.home.name} were led by ${top.name}.`)).toEqual([]);
      const wrong = `The ${facts.home.name} were led by ${low.name}.`;
      expect(problems(wrong)).toEqual([expect.objectContaining({ ...spanOf(wrong, 'led'), type: 'WORD' })]);
      const team = `The ${facts.home.name} were led by ${other.name}.`;
      expect(problems(team)).toEqual([
        expect.objectContaining({ ...spanOf(team, facts.home.name), type: 'NAME' }),
      ]);
    });

    it(`knows which team was at home, ${label}`, () => {
      expect(problems(`The ${facts.away.name} visited the host ${facts.home.displayName}.`)).toEqual([]);
      const wrong = `The ${facts.home.name} beat up on the host ${facts.away.displayName}.`;
      expect(problems(wrong)).toContainEqual(
        expect.objectContaining({ ...spanOf(wrong, 'host'), type: 'WORD' }),
      );
    });

    it(`reads 'outscored ... in the Nth quarter' from the line scores, ${label}`, () => {
      const q = facts.home.linescores.findIndex((h, i) => h !== facts.away.linescores[i]);
      const ahead =
        (facts.home.linescores[q] ?? 0) > (facts.away.linescores[q] ?? 0) ? facts.home : facts.away;
      const behind = ahead === facts.home ? facts.away : facts.home;
      const right = `The ${ahead.name} outscored the ${behind.name} in the ${ORDINALS[q]} quarter.`;
      expect(problems(right)).toEqual([]);
      const wrong = `The ${behind.name} outscored the ${ahead.name} in the ${ORDINALS[q]} quarter.`;
      expect(problems(wrong)).toEqual([
        expect.objectContaining({ ...spanOf(wrong, 'outscored'), type: 'WORD' }),
      ]);
    });

    it(`reads a rebounding battle as team totals, not the score, ${label}`, () => {
      const h = facts.home.stats.rebounds ?? 0;
      const a = facts.away.stats.rebounds ?? 0;
      const more = h >= a ? facts.home : facts.away;
      const text = `Rebounding was key, as the ${more.name} won that battle, ${Math.max(h, a)}-${Math.min(h, a)}.`;
      expect(problems(text)).toEqual([]);
      const wrong = `Rebounding was key, as the ${more.name} won that battle, ${Math.max(h, a) + 5}-${Math.min(h, a)}.`;
      expect(problems(wrong)).toEqual([expect.objectContaining({ type: 'NUMBER' })]);
    });
  }

  it('flags a player who did not play by name, not by number', () => {
    for (const index of [0, 7, 41]) {
      const { facts, problems } = game(index);
      const out = facts.players.find((p) => p.didNotPlay);
      if (!out) continue;
      const text = `${out.name} chipped in 12 points and five rebounds.`;
      expect(problems(text)).toEqual([expect.objectContaining({ ...spanOf(text, out.name), type: 'NAME' })]);
      return;
    }
    throw new Error('no record with a player who did not play');
  });
});

describe('streaks on RotoWire records', () => {
  it('contradicts a streak this game breaks or the record cannot hold, and leaves the rest unverifiable', () => {
    const { facts, lookup } = game(0);
    const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
    const loser = winner === facts.home ? facts.away : facts.home;
    const wins = Number(winner.record?.split('-')[0]);
    const broken = `The ${loser.name} have now won two straight games.`;
    expect(findProblems(broken, lookup)).toEqual([
      expect.objectContaining({ ...spanOf(broken, 'two'), type: 'NUMBER', status: 'contradicted' }),
    ]);
    const impossible = `The ${winner.name} have now won ${wins + 1} straight games.`;
    expect(findProblems(impossible, lookup)).toEqual([
      expect.objectContaining({ ...spanOf(impossible, String(wins + 1)), type: 'NUMBER' }),
    ]);
    const open = `The ${winner.name} have now won two straight games.`;
    expect(findProblems(open, lookup)).toEqual([]);
    expect(findProblems(open, lookup, 'unsupported')).toEqual([
      expect.objectContaining({ ...spanOf(open, 'two'), status: 'unverifiable' }),
    ]);
  });
});

describe('pulling away on RotoWire records', () => {
  it('holds "pulled away" to the winner', () => {
    const { facts, lookup } = game(7);
    const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
    const loser = winner === facts.home ? facts.away : facts.home;
    expect(findProblems(`The ${winner.name} pulled away late.`, lookup)).toEqual([]);
    const wrong = `The ${loser.name} pulled away late.`;
    expect(findProblems(wrong, lookup)).toEqual([
      expect.objectContaining({ ...spanOf(wrong, 'pulled away'), type: 'WORD' }),
    ]);
  });
});

describe('counts of players in double figures on RotoWire records', () => {
  it('counts the team players who scored ten or more', () => {
    const { facts, lookup } = game(41);
    const scorers = facts.players.filter(
      (p) => p.teamId === facts.home.id && !p.didNotPlay && (p.stats.points ?? 0) >= 10,
    ).length;
    expect(
      findProblems(`The ${facts.home.name} had ${scorers} players score in double figures.`, lookup),
    ).toEqual([]);
    const wrong = `The ${facts.home.name} had ${scorers + 1} players score in double figures.`;
    expect(findProblems(wrong, lookup)).toEqual([
      expect.objectContaining({ ...spanOf(wrong, String(scorers + 1)), type: 'NUMBER' }),
    ]);
  });
});

describe('whose numbers', () => {
  it("reads 'X's 23-point, 10-rebound night lifted the team' as X's, not the team's", () => {
    const { facts, lookup } = game(0);
    const p = facts.players.find((x) => x.teamId === facts.home.id && !x.didNotPlay) as PlayerFacts;
    const text = `${p.name}'s ${p.stats.points}-point, ${p.stats.rebounds}-rebound night lifted the ${facts.home.name}.`;
    expect(findProblems(text, lookup)).toEqual([]);
    const claims = extractClaimsWith(text, lookup).filter((c) => c.kind === 'number');
    expect(claims.map((c) => c.status)).toEqual(['supported', 'supported']);
  });
});
