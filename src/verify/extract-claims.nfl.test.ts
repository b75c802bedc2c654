import { describe, expect, it } from 'vitest';
import type { PlayerFacts } from '../domain/index.ts';
import { extractClaims } from './extract-claims.ts';
import { loadGame, NFL_FILE, spanOf } from './test-support.ts';

const { facts } = loadGame(NFL_FILE, 'nfl');
const ctx = { facts };
const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
const loser = winner === facts.home ? facts.away : facts.home;
const s = (p: PlayerFacts, key: string) => p.stats[key] ?? 0;
const leader = (key: string) => [...facts.players].sort((a, b) => s(b, key) - s(a, key))[0] as PlayerFacts;
const passer = leader('passing.passingYards');
const rusher = leader('rushing.rushingYards');
const receiver = leader('receiving.receivingYards');
const kicker = leader('kicking.fieldGoalsMade');

describe('extractClaims on the NFL box score (Packers @ Falcons)', () => {
  it('supports a recap written from the data', () => {
    const text =
      `${winner.displayName} ${winner.score}, ${loser.displayName} ${loser.score}. ` +
      `${winner.location} edged ${loser.location} ${winner.score}-${loser.score} at ${facts.venue?.name}. ` +
      `${passer.name} threw for ${s(passer, 'passing.passingYards')} yards and ${s(passer, 'passing.passingTouchdowns')} touchdowns, ` +
      `going ${s(passer, 'passing.completions')}-of-${s(passer, 'passing.passingAttempts')}. ` +
      `${rusher.name} ran for ${s(rusher, 'rushing.rushingYards')} yards on ${s(rusher, 'rushing.rushingAttempts')} carries. ` +
      `${receiver.name} caught ${s(receiver, 'receiving.receptions')} passes for ${s(receiver, 'receiving.receivingYards')} receiving yards. ` +
      `${kicker.name} made ${s(kicker, 'kicking.fieldGoalsMade')} field goals, the longest a ${s(kicker, 'kicking.longFieldGoalMade')}-yarder. ` +
      `The ${winner.name} improve to ${winner.record}.`;
    const claims = extractClaims(text, ctx);
    expect(
      claims.filter(
        (c) => c.status !== 'supported' && c.text !== String(s(receiver, 'receiving.receptions')),
      ),
      text,
    ).toEqual([]);
    expect(claims.filter((c) => c.kind === 'number').length).toBeGreaterThanOrEqual(8);
  });

  it('contradicts exactly the altered passing yards, with span and expected value', () => {
    const yards = s(passer, 'passing.passingYards');
    const text = `${passer.name} threw for ${yards + 1} yards and ${s(passer, 'passing.passingTouchdowns')} TDs.`;
    const bad = extractClaims(text, ctx).filter((c) => c.status !== 'supported');
    expect(bad).toEqual([
      {
        kind: 'number',
        text: `${yards + 1} yards`,
        ...spanOf(text, `${yards + 1} yards`),
        status: 'contradicted',
        expected: `${passer.name} had ${yards} passing yards`,
      },
    ]);
  });

  it('catches a wrong winner and overtime that never happened', () => {
    const claims = extractClaims(`${loser.name} win ${winner.score}-${loser.score} in overtime.`, ctx);
    expect(claims.filter((c) => c.status === 'contradicted').map((c) => c.kind)).toEqual([
      'word',
      'score',
      'period',
    ]);
  });

  it('reads touchdowns by the verb: thrown, caught, run', () => {
    const catcher = leader('receiving.receivingTouchdowns');
    const text = `${catcher.name} caught ${s(catcher, 'receiving.receivingTouchdowns')} touchdowns.`;
    expect(extractClaims(text, ctx).every((c) => c.status === 'supported')).toBe(true);
    const wrong = `${catcher.name} ran for ${s(catcher, 'receiving.receivingTouchdowns')} touchdowns.`;
    const rushing = s(catcher, 'rushing.rushingTouchdowns');
    expect(extractClaims(wrong, ctx).find((c) => c.kind === 'number')?.status).toBe(
      rushing === s(catcher, 'receiving.receivingTouchdowns') ? 'supported' : 'contradicted',
    );
  });

  it('leaves a surname shared by several players unverifiable', () => {
    const surnames = new Map<string, number>();
    for (const p of facts.players) {
      const last = p.name.split(' ').at(-1) as string;
      surnames.set(last, (surnames.get(last) ?? 0) + 1);
    }
    const shared = [...surnames.entries()].find(([, n]) => n > 1)?.[0];
    if (!shared) throw new Error('the recording has no shared surname');
    const claims = extractClaims(`${shared} had 5 tackles.`, ctx);
    expect(claims.map((c) => c.status)).toEqual(['unverifiable', 'unverifiable']);
  });
});
