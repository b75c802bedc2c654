import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractClaimsWith, findProblems } from './extract-claims.ts';
import { FactsFormatError, parseRotoWireRecord, rotowireLookup, selectRotoWireLine } from './rotowire.ts';
import { spanOf } from './test-support.ts';

const FILE = new URL('../../fixtures/factuality/accuracy_shared_task_dev/shared_task.jsonl', import.meta.url);
const lines = readFileSync(FILE, 'utf8').trim().split('\n');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function game(index: number) {
  const g = parseRotoWireRecord(JSON.parse(lines[index] as string), `shared_task.jsonl: line ${index + 1}`);
  return { ...g, facts: g.facts, lookup: rotowireLookup(g) };
}

describe('RotoWire facts', () => {
  for (const index of [0, 7, 41]) {
    const { facts, lookup, localDate } = game(index);
    const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
    const loser = winner === facts.home ? facts.away : facts.home;
    const played = facts.players.filter((p) => !p.didNotPlay);
    const top = [...played].sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0))[0];
    if (!top) throw new Error('no player');
    const day = DAYS[new Date(`${localDate}T12:00:00Z`).getUTCDay()];
    const s = top.stats;
    const truth =
      `The ${winner.displayName} defeated the ${loser.displayName}, ${winner.score}-${loser.score}, on ${day}. ` +
      `The ${winner.name} (${winner.record}) got ${s.points} points from ${top.name}, who went ${s.fieldGoalsMade}-of-${s.fieldGoalsAttempted} from the field and ${s.threePointFieldGoalsMade}-of-${s.threePointFieldGoalsAttempted} from three-point range in ${s.minutes} minutes. ` +
      `${top.name} led all scorers with ${s.points} points and added ${s.rebounds} rebounds.`;

    it(`supports true statements about record ${index} (${facts.away.name} at ${facts.home.name})`, () => {
      const claims = extractClaimsWith(truth, lookup);
      const bad = claims.filter((c) => c.status === 'contradicted');
      expect(bad).toEqual([]);
      const kinds = new Set(claims.filter((c) => c.status === 'supported').map((c) => c.kind));
      for (const k of ['team', 'player', 'score', 'record', 'number', 'date', 'word', 'superlative'])
        expect(kinds).toContain(k);
    });

    it(`contradicts a changed number with its span, typed NUMBER (record ${index})`, () => {
      const wrong = truth.replace(
        `and added ${s.rebounds} rebounds`,
        `and added ${(s.rebounds ?? 0) + 3} rebounds`,
      );
      const problems = findProblems(wrong, lookup);
      const span = spanOf(wrong, `${(s.rebounds ?? 0) + 3} rebounds`);
      expect(problems).toContainEqual(
        expect.objectContaining({ ...span, status: 'contradicted', type: 'NUMBER', kind: 'number' }),
      );
      expect(problems).toHaveLength(1);
    });

    it(`contradicts the wrong weekday (NAME) and the wrong winner (WORD), record ${index}`, () => {
      const other = DAYS[(DAYS.indexOf(day as string) + 2) % 7] as string;
      const wrong = `The ${loser.displayName} defeated the ${winner.displayName} on ${other}.`;
      const problems = findProblems(wrong, lookup);
      expect(problems).toContainEqual(expect.objectContaining({ ...spanOf(wrong, other), type: 'NAME' }));
      expect(problems.some((p) => p.type === 'WORD' && p.start === 4)).toBe(true);
    });
  }

  it('reads starters, overtime and the arena from the record', () => {
    const { facts, lookup } = game(0);
    const starters = facts.players.filter((p) => p.starter);
    expect(starters).toHaveLength(10);
    expect(lookup.starter(starters[0]?.id as string)).toBe(true);
    for (const t of [facts.home, facts.away]) expect(t.linescores.reduce((a, b) => a + b, 0)).toBe(t.score);
    const bench = facts.players.find((p) => !p.starter && !p.didNotPlay);
    const text = `${bench?.name} came off the bench. ${starters[0]?.name} came off the bench.`;
    const problems = findProblems(text, lookup);
    expect(problems.map((p) => p.start)).toEqual([text.lastIndexOf('came off the bench') + 5]);
    expect(lookup.venue?.name).toBeDefined();
    expect(findProblems(`They played at ${lookup.venue?.name}.`, lookup)).toEqual([]);
  });

  it('selects a line by index or id and names the file on bad input', () => {
    const contents = lines.slice(0, 3).join('\n');
    expect(selectRotoWireLine(contents, 'f.jsonl', { record: 2 }).where).toBe('f.jsonl: line 3');
    const id = JSON.parse(lines[1] as string).shared_task_text_id as string;
    expect(selectRotoWireLine(contents, 'f.jsonl', { gameId: id }).where).toBe('f.jsonl: line 2');
    expect(() => selectRotoWireLine(contents, 'f.jsonl', {})).toThrow(/f\.jsonl: 3 records/);
    expect(() => selectRotoWireLine(contents, 'f.jsonl', { record: 9 })).toThrow(FactsFormatError);
    const broken = { ...JSON.parse(lines[0] as string), home_line: {} };
    expect(() => parseRotoWireRecord(broken, 'g.jsonl')).toThrow(/g\.jsonl: home_line\.TEAM-PTS/);
  });
});
