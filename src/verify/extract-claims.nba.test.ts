import { describe, expect, it } from 'vitest';
import type { Claim, PlayerFacts } from '../domain/index.ts';
import { extractClaims } from './extract-claims.ts';
import { loadGame, NBA_FILE, spanOf } from './test-support.ts';

const { facts, events } = loadGame(NBA_FILE, 'nba');
const ctx = { facts };
const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
const loser = winner === facts.home ? facts.away : facts.home;
const played = facts.players.filter((p) => !p.didNotPlay && (p.stats.minutes ?? 0) > 0);
const byPoints = [...played].sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0));
const top = byPoints[0] as PlayerFacts;
const stat = (p: PlayerFacts, key: string) => p.stats[key] ?? 0;

function notSupported(claims: Claim[]): Claim[] {
  return claims.filter((c) => c.status !== 'supported');
}

describe('extractClaims on the NBA box score (Knicks @ Pacers)', () => {
  it('supports every true line about every player who played', () => {
    for (const p of played) {
      const text =
        `${p.name} had ${stat(p, 'points')} points, ${stat(p, 'rebounds')} rebounds and ${stat(p, 'assists')} assists ` +
        `on ${stat(p, 'fieldGoalsMade')}-of-${stat(p, 'fieldGoalsAttempted')} shooting in ${stat(p, 'minutes')} minutes.`;
      const claims = extractClaims(text, ctx);
      expect(notSupported(claims), text).toEqual([]);
      // name + 5 numbers
      expect(claims.filter((c) => c.kind === 'number')).toHaveLength(5);
    }
  });

  it('supports a recap written from the data: score, winner, venue, record, halves, threes, short and last names', () => {
    const half = (t: typeof winner) => (t.linescores[0] ?? 0) + (t.linescores[1] ?? 0);
    const last = top.name.split(' ').at(-1) as string;
    const text =
      `FINAL: ${winner.name} ${winner.score}, ${loser.name} ${loser.score}. ` +
      `The ${winner.name} beat the ${loser.name} ${winner.score}-${loser.score} at ${facts.venue?.name} to improve to ${winner.record}. ` +
      `${winner.abbreviation} led ${half(winner)}-${half(loser)} at halftime. ` +
      `${top.shortName} scored ${stat(top, 'points')} pts and went ${stat(top, 'threePointFieldGoalsMade')}-of-${stat(top, 'threePointFieldGoalsAttempted')} from three. ` +
      `${last}'s ${stat(top, 'freeThrowsMade')} free throws mattered. ` +
      `${winner.location} hit ${winner.stats.threePointFieldGoalsMade} threes and shot ${(
        ((winner.stats.fieldGoalsMade ?? 0) / (winner.stats.fieldGoalsAttempted ?? 1)) * 100
      ).toFixed(1)}% from the field.`;
    const claims = extractClaims(text, ctx);
    expect(notSupported(claims), text).toEqual([]);
    expect(claims.map((c) => c.kind)).toEqual(
      expect.arrayContaining(['score', 'team', 'venue', 'record', 'period', 'player', 'number', 'word']),
    );
  });

  it('contradicts exactly the one altered number, with its span and the right value', () => {
    for (const p of byPoints.slice(0, 5)) {
      const wrong = stat(p, 'rebounds') + 1;
      const text = `${p.name} finished with ${stat(p, 'points')} points and ${wrong} rebounds.`;
      const claims = extractClaims(text, ctx);
      const bad = notSupported(claims);
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatchObject({
        kind: 'number',
        status: 'contradicted',
        ...spanOf(text, `${wrong} rebounds`),
        expected: `${p.name} had ${stat(p, 'rebounds')} rebounds`,
      });
    }
  });

  it('contradicts a wrong final score and a wrong team total', () => {
    const text = `${winner.name} ${winner.score + 1}, ${loser.name} ${loser.score}. ${winner.name} had ${winner.stats.assists} assists and ${loser.name} had ${(loser.stats.assists ?? 0) + 1} assists.`;
    const bad = notSupported(extractClaims(text, ctx));
    expect(bad.map((c) => [c.kind, c.text, c.status])).toEqual([
      ['score', String(winner.score + 1), 'contradicted'],
      ['number', `${(loser.stats.assists ?? 0) + 1} assists`, 'contradicted'],
    ]);
  });

  it('catches the wrong winner, in words and in the score line', () => {
    const text = `The ${loser.name} beat the ${winner.name} ${winner.score}-${loser.score}.`;
    const bad = notSupported(extractClaims(text, ctx));
    expect(bad.map((c) => [c.kind, c.text])).toEqual([
      ['word', `${loser.name} beat the ${winner.name}`],
      ['score', `${winner.score}-${loser.score}`],
    ]);
    expect(bad[0]?.expected).toContain(`${winner.displayName} won`);
    const fall = notSupported(extractClaims(`${winner.name} fall to the ${loser.name}.`, ctx));
    expect(fall.map((c) => c.kind)).toEqual(['word']);
  });

  it('catches invented players, a real surname with a wrong first name, and a player given to the wrong team', () => {
    const invented = extractClaims(`Michael Jordan scored 40 points for the ${winner.name}.`, ctx);
    expect(invented.find((c) => c.text === 'Michael Jordan')).toMatchObject({
      kind: 'player',
      status: 'unverifiable',
    });
    expect(invented.find((c) => c.text === '40 points')?.status).toBe('unverifiable');

    const last = top.name.split(' ').at(-1) as string;
    const twisted = extractClaims(`Jalen ${last} scored ${stat(top, 'points')} points.`, ctx);
    expect(twisted[0]).toMatchObject({ kind: 'player', status: 'contradicted', text: `Jalen ${last}` });

    const other = top.teamId === winner.id ? loser : winner;
    const wrongTeam = extractClaims(`${other.name}' ${top.name} was great.`, ctx);
    expect(wrongTeam.find((c) => c.kind === 'player')).toMatchObject({ status: 'contradicted' });
  });

  it('catches overtime in a game decided in regulation, and a made-up triple-double', () => {
    const hal = facts.players.find((p) => p.name === 'Tyrese Haliburton') as PlayerFacts;
    const tens = ['points', 'rebounds', 'assists', 'steals', 'blocks'].filter(
      (k) => stat(hal, k) >= 10,
    ).length;
    const claims = extractClaims(`${hal.name} had a triple-double in overtime.`, ctx);
    expect(claims.find((c) => c.text === 'triple-double')?.status).toBe(
      tens >= 3 ? 'supported' : 'contradicted',
    );
    const ot = claims.find((c) => c.text === 'overtime');
    expect(ot?.status).toBe(
      facts.home.linescores.length > facts.regulationPeriods ? 'supported' : 'contradicted',
    );
    expect(extractClaims(`${hal.name} had a double-double.`, ctx).at(-1)?.status).toBe(
      tens >= 2 ? 'supported' : 'contradicted',
    );
  });

  it('does not read numbers in handles, hashtags, URLs or times of day, and flags numbers it cannot ground', () => {
    const claims = extractClaims(
      'Next up: 7:30 PM ET #Game7 @pacers2025 https://x.com/a/125 and 42 reasons',
      ctx,
    );
    expect(claims).toEqual([expect.objectContaining({ kind: 'number', text: '42', status: 'unverifiable' })]);
  });

  it('attributes numbers to the nearest player in the clause, and follows "he"', () => {
    // Teammates: "while B added" after a player of the other team would put B in the wrong team.
    const a = byPoints[0] as PlayerFacts;
    const b = byPoints.find((p) => p.id !== a.id && p.teamId === a.teamId) as PlayerFacts;
    const text = `${a.name} scored ${stat(a, 'points')} while ${b.name} added ${stat(b, 'points')} points. He also had ${stat(b, 'assists')} assists.`;
    const claims = extractClaims(text, ctx);
    // "scored N" without a stat word is not read as points: it stays unverifiable, the rest are supported.
    expect(claims.filter((c) => c.status !== 'supported').map((c) => c.text)).toEqual([
      String(stat(a, 'points')),
    ]);
    expect(claims.find((c) => c.text === `${stat(b, 'assists')} assists`)?.groundedIn).toContain(b.name);
  });

  it('grounds a live post in the event snapshot, not the final box score', () => {
    const live = events.find(
      (e) => e.kind !== 'final' && e.period === 3 && e.players.length > 0 && e.scoreValue > 0,
    );
    if (!live) throw new Error('no third-quarter scoring play in the recording');
    const player = live.players[0] as (typeof live.players)[number];
    const so = player.stats.points ?? 0;
    const final = facts.players.find((p) => p.id === player.id)?.stats.points ?? 0;
    const leader = live.homeScore > live.awayScore ? live.game.home : live.game.away;
    const hi = Math.max(live.homeScore, live.awayScore);
    const lo = Math.min(live.homeScore, live.awayScore);
    const text = `${player.name} has ${so} points in the 3rd quarter and the ${leader.name} lead ${hi}-${lo} with ${live.clock} left.`;
    const claims = extractClaims(text, { facts, event: live });
    expect(notSupported(claims), text).toEqual([]);
    if (final !== so) {
      const stale = extractClaims(`${player.name} has ${final} points.`, { facts, event: live });
      expect(stale.find((c) => c.kind === 'number')?.status).toBe('contradicted');
    }
    const future = extractClaims(`${player.name} scores in the 4th quarter.`, { facts, event: live });
    expect(future.find((c) => c.kind === 'period')?.status).toBe('contradicted');
    const wins = extractClaims(`${leader.name} win!`, { facts, event: live });
    expect(wins.find((c) => c.kind === 'word')?.status).toBe('contradicted');
  });
});
