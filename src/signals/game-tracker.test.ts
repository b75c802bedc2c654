import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GameEvent, League, PlayerFacts } from '../domain/index.ts';
import { parseEspnSummary } from '../sources/espn/summary.ts';
import { GameTracker } from './game-tracker.ts';
import { scoreGame } from './score-game.ts';

function load(name: string, league: League) {
  const text = readFileSync(new URL(`../../fixtures/espn/${name}`, import.meta.url), 'utf8');
  return parseEspnSummary(JSON.parse(text), { league });
}

const nba = load('nba_summary_401772994_IND-NYK_2025-05-31.json', 'nba');
const nfl = load('nfl_summary_401547417_GB-ATL_2023-09-17.json', 'nfl');

/** Milestones a final box-score line has crossed, computed here independently of the tracker. */
function expectedMilestones(players: PlayerFacts[], league: League): string[] {
  const out: string[] = [];
  for (const p of players) {
    const s = p.stats;
    if (league === 'nba') {
      for (const t of [30, 40, 50]) if ((s.points ?? 0) >= t) out.push(`${p.id}:points${t}`);
      const doubles = ['points', 'rebounds', 'assists', 'steals', 'blocks'].filter(
        (k) => (s[k] ?? 0) >= 10,
      ).length;
      if (doubles >= 2) out.push(`${p.id}:doubleDouble`);
      if (doubles >= 3) out.push(`${p.id}:tripleDouble`);
    } else {
      if ((s['passing.passingYards'] ?? 0) >= 300) out.push(`${p.id}:passingYards300`);
      if ((s['rushing.rushingYards'] ?? 0) >= 100) out.push(`${p.id}:rushingYards100`);
      if ((s['receiving.receivingYards'] ?? 0) >= 100) out.push(`${p.id}:receivingYards100`);
    }
  }
  return out.sort();
}

describe.each([
  ['NBA', nba, 'nba' as const],
  ['NFL', nfl, 'nfl' as const],
])('scoreGame on the %s recording', (_name, game, league) => {
  const scored = scoreGame(game.events);

  it('keeps every source event, in order, each followed by what it caused', () => {
    const sourceIds = game.events.map((e) => e.id);
    expect(scored.filter((s) => sourceIds.includes(s.event.id)).map((s) => s.event.id)).toEqual(sourceIds);
    for (let i = 0; i < scored.length; i++) {
      const { event } = scored[i]!;
      if (!sourceIds.includes(event.id))
        expect(event.id.startsWith(`${scored[i - 1]!.event.id.split(':').slice(0, 4).join(':')}:`)).toBe(
          true,
        );
    }
  });

  it('gives the final the highest score, breaking', () => {
    const final = scored.find((s) => s.event.kind === 'final')!;
    expect(final.significance.breaking).toBe(true);
    expect(final.significance.score).toBe(Math.max(...scored.map((s) => s.significance.score)));
  });

  it('derives milestones exactly for the players whose box score crosses them', () => {
    const derived = scored
      .filter((s) => s.event.kind === 'milestone')
      .map((s) => `${s.event.detail.playerId}:${s.event.detail.milestone}`)
      .sort();
    expect(derived).toEqual(expectedMilestones(game.facts.players, league));
    expect(new Set(derived).size).toBe(derived.length);
    if (league === 'nba') expect(derived.length).toBeGreaterThan(0);
  });

  it('gives unique, deterministic ids', () => {
    const ids = scored.map((s) => s.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(scoreGame(game.events).map((s) => s.event.id)).toEqual(ids);
    for (const s of scored.filter((x) => x.event.kind === 'milestone')) {
      expect(s.event.id).toMatch(
        new RegExp(`:milestone:${s.event.detail.playerId}:${s.event.detail.milestone}$`),
      );
    }
  });

  it('scores plain plays low and always says why', () => {
    for (const s of scored) {
      expect(s.significance.reasons.length).toBeGreaterThan(0);
      expect(s.significance.score).toBeGreaterThanOrEqual(0);
      expect(s.significance.score).toBeLessThanOrEqual(1);
      // A play no league rule singles out (fourth down, long play, red zone ...) is routine.
      const routine = s.significance.reasons.length === 1 && s.significance.reasons[0] === 'routine play';
      if (s.event.kind === 'play' && routine) expect(s.significance.score).toBeLessThan(0.1);
      if (s.event.kind === 'play' && !routine) expect(league).toBe('nfl');
    }
  });

  it('derives a lead change each time the team in front changes', () => {
    let last: 'away' | 'home' | undefined;
    let changes = 0;
    for (const e of game.events) {
      const leader = e.awayScore > e.homeScore ? 'away' : e.homeScore > e.awayScore ? 'home' : undefined;
      if (leader && last && leader !== last) changes++;
      if (leader) last = leader;
    }
    expect(scored.filter((s) => s.event.kind === 'lead_change')).toHaveLength(changes);
    expect(changes).toBeGreaterThan(0);
  });
});

describe('GameTracker details', () => {
  it('makes the late go-ahead field goal in Atlanta a breaking lead change', () => {
    const scored = scoreGame(nfl.events);
    const fgs = nfl.events.filter((e) => e.kind === 'field_goal');
    const winner = fgs.at(-1)!;
    const change = scored.find((s) => s.event.id === `${winner.id}:lead_change`)!;
    expect(change.event.teamId).toBe(nfl.facts.home.id);
    expect(change.significance.breaking).toBe(true);
    expect(change.significance.reasons[0]).toBe(`lead change with ${winner.clock} left in the 4th, margin 1`);
    // The same kind of play early in the game matters less.
    const early = scored.find((s) => s.event.id === fgs[0]!.id)!;
    expect(early.significance.score).toBeLessThan(
      scored.find((s) => s.event.id === winner.id)!.significance.score,
    );
  });

  it('ignores an event delivered twice and refuses another game', () => {
    const tracker = new GameTracker();
    const first = nba.events[0]!;
    expect(tracker.push(first)).toHaveLength(1);
    expect(tracker.push(first)).toEqual([]);
    expect(() => tracker.push({ ...nba.events[1]!, gameId: 'espn:other' })).toThrow(/espn:other/);
  });

  it('fires a milestone once even when later plays keep the player above it', () => {
    const scored = scoreGame(nba.events);
    const siakam = scored.filter(
      (s) => s.event.kind === 'milestone' && s.event.detail.milestone === 'points30',
    );
    expect(siakam).toHaveLength(1);
    const player = siakam[0]!.event.players[0]!;
    expect(player.stats.points).toBeGreaterThanOrEqual(30);
    expect(siakam[0]!.significance.reasons[0]).toContain(`${player.name} reaches 30 points`);
  });
});

describe('runs and clutch time (synthetic basketball plays)', () => {
  const template = nba.events.find((e) => e.kind === 'score')!;
  const home = nba.facts.home.id;
  const away = nba.facts.away.id;
  let seq = 0;
  const play = (awayScore: number, homeScore: number, over: Partial<GameEvent> = {}): GameEvent => {
    seq++;
    return {
      ...template,
      id: `espn:test:play:${seq}`,
      gameId: 'espn:test',
      sequence: seq,
      kind: 'score',
      players: [],
      awayScore,
      homeScore,
      period: 2,
      clock: '6:00',
      ...over,
    };
  };

  it('announces a run when it reaches 10 and again when it passes 15, not in between', () => {
    seq = 0;
    const events = [
      play(2, 0),
      play(2, 3),
      play(2, 5),
      play(4, 5), // 2 against
      play(4, 8),
      play(4, 10),
      play(4, 12), // 12-2 since the run began at 2-3: already announced at 10
      play(4, 14),
      play(4, 17), // 17-2
      play(4, 19),
    ];
    const runs = scoreGame(events).filter((s) => s.event.kind === 'run');
    expect(runs.map((r) => [r.event.detail.runPoints, r.event.detail.runAgainst])).toEqual([
      [10, 2],
      [17, 2],
    ]);
    expect(runs.every((r) => r.event.detail.runFor === home && r.event.teamId === home)).toBe(true);
    expect(runs[0]!.significance.reasons[0]).toMatch(/^10-2 run by IND/);
    expect(away).not.toBe(home);
  });

  it('enters clutch time once per period in the last five minutes when within five', () => {
    seq = 0;
    const events = [
      play(90, 80, { period: 4, clock: '4:30' }), // 10 apart: not clutch
      play(90, 86, { period: 4, clock: '4:00' }), // clutch
      play(92, 86, { period: 4, clock: '3:30' }),
      play(92, 89, { period: 4, clock: '3:00' }),
    ];
    const scored = scoreGame(events);
    const clutch = scored.filter((s) => s.event.kind === 'clutch');
    expect(clutch.map((c) => c.event.id)).toEqual(['espn:test:play:2:clutch']);
    expect(clutch[0]!.significance.reasons[0]).toBe('clutch time: 4-point game with 4:00 left in the 4th');
    const late = scored.find((s) => s.event.id === 'espn:test:play:4')!;
    expect(late.significance.reasons).toContain('in clutch time');
  });
});

describe('GameTracker with late plays and corrections', () => {
  const final = JSON.parse(
    readFileSync(
      new URL('../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url),
      'utf8',
    ),
  );
  const { events } = parseEspnSummary(final, { league: 'nba' });
  const sign = (e: GameEvent) => Math.sign(e.homeScore - e.awayScore);

  it('a late non-scoring play behind the score seen is no tie or lead change', () => {
    // A play from a stretch where the other team led (or it was level), arriving after a later score.
    const k = events.findIndex((e, i) => i > 50 && e.kind === 'score' && sign(e) !== 0);
    const late = events
      .slice(0, k)
      .findLast((e) => e.kind === 'play' && e.awayScore + e.homeScore > 0 && sign(e) !== sign(events[k]!));
    expect(late).toBeDefined();
    const tracker = new GameTracker();
    for (const e of events.slice(0, k + 1)) if (e !== late) tracker.push(e);
    expect(tracker.push(late!).map((s) => s.event.kind)).toEqual(['play']);
  });

  it('scores a correction alone, with no derived event', () => {
    const tracker = new GameTracker();
    const k = events.findIndex((e, i) => i > 50 && e.kind === 'score');
    for (const e of events.slice(0, k + 1)) tracker.push(e);
    const correction: GameEvent = { ...events[k]!, id: 'c1', kind: 'score_correction', detail: {} };
    const rated = tracker.push(correction);
    expect(rated).toHaveLength(1);
    expect(rated[0]!.significance.score).toBeGreaterThanOrEqual(0.5);
  });
});
