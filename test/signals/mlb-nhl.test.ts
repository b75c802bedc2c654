// biome-ignore-all lint/suspicious/noExplicitAny: the test builds raw ESPN JSON by hand
/**
 * No MLB or NHL summary is recorded under fixtures/espn/, so these summaries
 * are built by hand: teams, status and the play shape (`type`, `text`,
 * `team`, `atBatId`, `period: { type: 'Top' | 'Bottom', number }`, `outs`)
 * follow the MLB scoreboard's `situation.lastPlay` in
 * mlb_scoreboard_20250604_live_in_progress.json and ESPN's documented summary
 * structure (`header`, `boxscore.players[].statistics[]`, `plays[]`); hockey
 * plays follow the same structure with `strength` and `emptyNet` as ESPN
 * documents them. Real recordings would be better evidence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BREAKING_AT, scoreGame } from '../../src/signals/index.ts';
import { parseEspnSummary } from '../../src/sources/espn/summary.ts';

const scoreboard = JSON.parse(
  readFileSync(
    new URL('../../fixtures/espn/mlb_scoreboard_20250604_live_in_progress.json', import.meta.url),
    'utf8',
  ),
);
const live = scoreboard.events.find((e: any) => e.competitions[0].situation);
const competition = live.competitions[0];
const lastPlay = competition.situation.lastPlay;
const home = competition.competitors.find((c: any) => c.homeAway === 'home');
const away = competition.competitors.find((c: any) => c.homeAway === 'away');

/** A finished MLB summary around the scoreboard's two teams, with the given plays. */
function mlbSummary(plays: any[], final: [number, number]): any {
  const competitor = (c: any, score: number, winner: boolean) => ({
    id: c.id,
    homeAway: c.homeAway,
    winner,
    team: c.team,
    score: String(score),
  });
  const batter = competition.situation.batter.athlete;
  const pitcher = competition.situation.pitcher.athlete;
  return {
    header: {
      id: live.id,
      league: { id: '10', slug: 'mlb', abbreviation: 'MLB' },
      competitions: [
        {
          date: live.date,
          competitors: [
            competitor(home, final[1], final[1] > final[0]),
            competitor(away, final[0], final[0] > final[1]),
          ],
          status: { period: 9, type: { state: 'post', completed: true, detail: 'Final' } },
        },
      ],
    },
    boxscore: {
      players: [
        {
          team: away.team,
          statistics: [
            {
              name: 'batting',
              keys: ['hits', 'runs'],
              athletes: [{ athlete: { id: batter.id, displayName: batter.displayName }, stats: ['0', '0'] }],
            },
          ],
        },
        {
          team: home.team,
          statistics: [
            {
              name: 'pitching',
              keys: ['hits'],
              athletes: [{ athlete: { id: pitcher.id, displayName: pitcher.displayName }, stats: ['0'] }],
            },
          ],
        },
      ],
    },
    plays,
  };
}

let n = 0;
/** One play in the scoreboard's `lastPlay` shape. */
function mlbPlay(
  inning: number,
  half: 'Top' | 'Bottom',
  text: string,
  type: string,
  score: [number, number],
  outs = 0,
): any {
  n++;
  const batting = half === 'Top' ? away : home;
  return {
    ...lastPlay,
    id: `${lastPlay.atBatId}${String(n).padStart(4, '0')}`,
    sequenceNumber: String(n),
    type: { id: '0', text: type, type: type.toLowerCase().replace(/ /g, '-') },
    text,
    team: { id: batting.id },
    awayScore: score[0],
    homeScore: score[1],
    scoringPlay: undefined,
    scoreValue: 0,
    period: { type: half, number: inning, displayValue: `${half} ${inning}` },
    outs,
  };
}

/** A home no-hitter: the away side gets no hit, scores twice on walks and an error in the 7th, loses to a walk-off homer. */
function noHitterGame(): any[] {
  n = 0;
  const plays: any[] = [];
  let score: [number, number] = [0, 0];
  const outs = (inning: number, half: 'Top' | 'Bottom') => {
    for (let o = 1; o <= 3; o++)
      plays.push(mlbPlay(inning, half, `Batter ${o} struck out swinging.`, 'Strikeout', score, o));
  };
  for (let inning = 1; inning <= 9; inning++) {
    if (inning === 7) {
      plays.push(mlbPlay(7, 'Top', 'Walked.', 'Walk', score));
      plays.push(mlbPlay(7, 'Top', 'Walked.', 'Walk', score));
      score = [2, score[1]];
      plays.push(mlbPlay(7, 'Top', 'Reached on fielding error, two runs scored.', 'Error', score));
    }
    outs(inning, 'Top');
    if (inning === 2) {
      score = [score[0], 1];
      plays.push(mlbPlay(2, 'Bottom', 'Homered to left (410 feet).', 'Home Run', score));
    }
    if (inning === 9) {
      plays.push(mlbPlay(9, 'Bottom', 'Singled to center.', 'Single', score));
      score = [2, 3];
      plays.push(mlbPlay(9, 'Bottom', 'Homered to right (402 feet), two runs scored.', 'Home Run', score));
      break;
    }
    outs(inning, 'Bottom');
  }
  plays.push(mlbPlay(9, 'Bottom', 'End of game.', 'End Game', score));
  return plays;
}

describe('MLB (hand-built summary)', () => {
  const { facts, events } = parseEspnSummary(mlbSummary(noHitterGame(), [2, 3]), {});
  const scored = scoreGame(events);
  const reasons = (kind: string) => scored.filter((s) => s.event.kind === kind).map((s) => s.significance);

  it('parses half-innings, outs, hits and home runs', () => {
    expect(facts.league).toBe('mlb');
    const homers = events.filter((e) => e.detail.homeRun === true);
    expect(homers.map((e) => [e.period, e.detail.half, e.scoreValue])).toEqual([
      [2, 'bottom', 1],
      [9, 'bottom', 2],
    ]);
    const beforeFinal = events.at(-2)!.game;
    expect(beforeFinal.away.stats.hits).toBe(0);
    expect(beforeFinal.home.stats.hits).toBe(3);
    expect(events.at(-1)!.kind).toBe('final');
  });

  it('announces the no-hitter in progress after the 5th, 7th and 8th innings, growing more urgent', () => {
    const noHitters = scored.filter((s) => s.event.detail.milestone === 'noHitter');
    expect(noHitters.map((s) => s.event.detail.innings)).toEqual([5, 7, 8]);
    expect(noHitters.every((s) => s.event.teamId === home.id)).toBe(true);
    expect(noHitters[0]!.significance.reasons[0]).toBe(
      `no-hitter in progress: the ${home.team.name} have allowed no hit through 5 innings`,
    );
    const weights = noHitters.map((s) => s.significance.score);
    expect(weights).toEqual([...weights].sort((a, b) => a - b));
    expect(noHitters.at(-1)!.significance.breaking).toBe(true);
    expect(new Set(noHitters.map((s) => s.event.id)).size).toBe(3);
  });

  it('weighs home runs, late-inning lead changes and the walk-off', () => {
    const firstHomer = scored.find((s) => s.event.detail.homeRun === true)!;
    expect(firstHomer.significance.reasons).toContain(
      `home run by the ${home.team.name}: ${away.team.abbreviation} 0, ${home.team.abbreviation} 1`,
    );
    const leadChanges = reasons('lead_change');
    expect(leadChanges).toHaveLength(2);
    expect(leadChanges[0]!.reasons).toContain('late innings (7th)');
    const walkOff = scored.find((s) =>
      s.significance.reasons.some((r) => r.startsWith('walk-off in the 9th')),
    )!;
    expect(walkOff.event.detail.homeRun).toBe(true);
    expect(walkOff.significance.breaking).toBe(true);
    expect(walkOff.significance.reasons).toContain(
      '2-run home run by the ' +
        home.team.name +
        `: ${away.team.abbreviation} 2, ${home.team.abbreviation} 3`,
    );
    // An early strikeout is routine.
    expect(scored[1]!.significance.reasons).toEqual(['routine play']);
  });
});

/** A hand-built NHL summary (Maple Leafs at Bruins) with the given plays. */
function nhlSummary(plays: any[], final: [number, number], period: number): any {
  const team = (id: string, abbreviation: string, location: string, name: string) => ({
    id,
    abbreviation,
    location,
    name,
    displayName: `${location} ${name}`,
  });
  const tor = team('21', 'TOR', 'Toronto', 'Maple Leafs');
  const bos = team('1', 'BOS', 'Boston', 'Bruins');
  return {
    header: {
      id: '401700001',
      league: { id: '90', slug: 'nhl', abbreviation: 'NHL' },
      competitions: [
        {
          date: '2025-01-10T00:00Z',
          competitors: [
            { id: '1', homeAway: 'home', team: bos, score: String(final[1]), winner: final[1] > final[0] },
            { id: '21', homeAway: 'away', team: tor, score: String(final[0]), winner: final[0] > final[1] },
          ],
          status: { period, type: { state: 'post', completed: true } },
        },
      ],
    },
    boxscore: {
      players: [
        { team: tor, statistics: [] },
        { team: bos, statistics: [] },
      ],
    },
    plays: plays.map((p, i) => ({ id: `${i + 1}`, sequenceNumber: String(i + 1), ...p })),
  };
}
const goal = (team: string, period: number, clock: string, score: [number, number], extra: any = {}) => ({
  type: { id: '505', text: 'Goal' },
  text: `Goal scored${extra.text ?? ''}`,
  team: { id: team },
  period: { number: period, type: period > 3 ? 'Overtime' : 'Regulation' },
  clock: { displayValue: clock },
  scoringPlay: true,
  awayScore: score[0],
  homeScore: score[1],
  ...extra,
});
const faceoff = (period: number, clock: string, score: [number, number]) => ({
  type: { text: 'Faceoff' },
  text: 'Faceoff won',
  period: { number: period },
  clock: { displayValue: clock },
  awayScore: score[0],
  homeScore: score[1],
});
const endOf = (text: string, period: number, score: [number, number]) => ({
  type: { text },
  text,
  period: { number: period },
  clock: { displayValue: '0:00' },
  awayScore: score[0],
  homeScore: score[1],
});

describe('NHL (hand-built summary)', () => {
  it('weighs power-play goals and makes the overtime winner breaking', () => {
    const plays = [
      faceoff(1, '20:00', [0, 0]),
      goal('1', 1, '12:00', [0, 1]),
      goal('21', 2, '5:00', [1, 1], { strength: { text: 'Power Play', abbreviation: 'PP' } }),
      endOf('End Period', 3, [1, 1]),
      goal('1', 4, '2:31', [1, 2]),
      endOf('End Game', 4, [1, 2]),
    ];
    const { facts, events } = parseEspnSummary(nhlSummary(plays, [1, 2], 4), {});
    expect(facts.league).toBe('nhl');
    expect(events.map((e) => e.kind)).toEqual([
      'game_start',
      'score',
      'score',
      'period_end',
      'score',
      'final',
    ]);
    const scored = scoreGame(events);
    const pp = scored.find((s) => s.event.detail.strength === 'power play')!;
    expect(pp.significance.reasons).toContain('power-play goal by the Maple Leafs');
    const even = scored.find(
      (s) => s.event.kind === 'score' && s.event.detail.strength === 'even' && s.event.period === 1,
    )!;
    expect(pp.significance.score).toBeGreaterThan(even.significance.score);
    const winner = scored.find((s) => s.event.kind === 'score' && s.event.period === 4)!;
    expect(winner.significance.reasons).toContain('overtime winner by the Bruins');
    expect(winner.significance.score).toBeGreaterThanOrEqual(BREAKING_AT);
    expect(winner.significance.breaking).toBe(true);
    expect(scored.find((s) => s.event.kind === 'period_end')!.significance.reasons[0]).toBe(
      'tied at 1-1 after regulation: overtime',
    );
  });

  it('marks empty-net goals (flag or text) and shootout plays', () => {
    const plays = [
      faceoff(1, '20:00', [0, 0]),
      goal('21', 1, '10:00', [1, 0]),
      goal('21', 3, '1:10', [2, 0], { emptyNet: true }),
      goal('21', 3, '0:30', [3, 0], { text: ' (Empty Net)' }),
      { ...endOf('Shootout attempt', 5, [3, 0]), period: { number: 5, type: 'Shootout' } },
      endOf('End Game', 3, [3, 0]),
    ];
    const { events } = parseEspnSummary(nhlSummary(plays, [3, 0], 3), {});
    const scored = scoreGame(events);
    const emptyNet = scored.filter((s) => s.event.detail.emptyNet === true);
    expect(emptyNet).toHaveLength(2);
    for (const s of emptyNet) expect(s.significance.reasons).toContain('empty-net goal by the Maple Leafs');
    expect(events.find((e) => e.detail.shootout === true)?.text).toBe('Shootout attempt');
  });
});
