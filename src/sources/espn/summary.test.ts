// biome-ignore-all lint/suspicious/noExplicitAny: tests read the raw ESPN JSON to derive expectations
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '../errors.ts';
import { parseEspnSummary } from './summary.ts';

const NBA_FILE = 'nba_summary_401772994_IND-NYK_2025-05-31.json';
const NFL_FILE = 'nfl_summary_401547417_GB-ATL_2023-09-17.json';
const PREGAME_FILE = 'nba_summary_401772994_IND-NYK_PREGAME_captured-2025-05-30.json';

function fixtureText(name: string): string {
  return readFileSync(new URL(`../../../fixtures/espn/${name}`, import.meta.url), 'utf8');
}
function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

/** Box-score points per athlete id, read straight from the raw JSON. */
function rawBoxPoints(raw: any): Map<string, number> {
  const points = new Map<string, number>();
  for (const team of raw.boxscore.players) {
    const category = team.statistics[0];
    const index = category.keys.indexOf('points');
    for (const a of category.athletes) if (a.stats.length) points.set(a.athlete.id, Number(a.stats[index]));
  }
  return points;
}

describe('parseEspnSummary (NBA)', () => {
  const raw = fixture(NBA_FILE) as any;
  const { facts, events } = parseEspnSummary(raw, { league: 'nba', file: NBA_FILE });

  it('states the game as the file does', () => {
    const competitors = raw.header.competitions[0].competitors;
    const home = competitors.find((c: any) => c.homeAway === 'home');
    expect(facts.home.id).toBe(home.team.id);
    expect(facts.home.score).toBe(Number(home.score));
    expect(facts.home.winner).toBe(home.winner);
    expect(facts.home.linescores).toEqual(home.linescores.map((l: any) => Number(l.displayValue)));
    expect(facts.home.record).toBe(home.record.find((r: any) => r.type === 'total').summary);
    expect(facts.state).toBe('post');
    expect(facts.gameId).toBe(`espn:${raw.header.id}`);
    expect(facts.venue?.name).toBe(raw.gameInfo.venue.fullName);
    expect(facts.attendance).toBe(raw.gameInfo.attendance);
    expect(facts.regulationPeriods).toBe(4);
    expect(facts.note).toBe(raw.header.competitions[0].series.find((s: any) => s.type === 'playoff').summary);
  });

  it('splits compound box-score stats and keeps DNP players with empty lines', () => {
    const first = raw.boxscore.players[0].statistics[0];
    const athlete = first.athletes[0];
    const [made, attempted] =
      athlete.stats[first.keys.indexOf('fieldGoalsMade-fieldGoalsAttempted')].split('-');
    const player = facts.players.find((p) => p.id === athlete.athlete.id)!;
    expect(player.stats.fieldGoalsMade).toBe(Number(made));
    expect(player.stats.fieldGoalsAttempted).toBe(Number(attempted));
    expect(player.stats.plusMinus).toBe(Number(athlete.stats[first.keys.indexOf('plusMinus')]));
    const dnp = facts.players.filter((p) => p.didNotPlay);
    expect(dnp.length).toBeGreaterThan(0);
    for (const p of dnp) expect(p.stats).toEqual({});
    const rawTeam = raw.boxscore.teams.find((t: any) => t.team.id === facts.home.id);
    const rebounds = rawTeam.statistics.find((s: any) => s.name === 'totalRebounds').displayValue;
    expect(facts.home.stats.rebounds).toBe(Number(rebounds));
  });

  it('gives one event per play, unique ids, in feed order', () => {
    expect(events).toHaveLength(raw.plays.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events[0]!.id).toBe(`espn:${raw.header.id}:play:${raw.plays[0].id}`);
    // Feed order, not sorted: ESPN's sequence numbers are not always increasing.
    raw.plays.forEach((play: any, i: number) => {
      expect(events[i]!.id).toBe(`espn:${raw.header.id}:play:${play.id}`);
      expect(events[i]!.sequence).toBe(Number(play.sequenceNumber));
    });
    // occurredAt is the feed's wallclock as stated (ESPN's clock is not always monotonic).
    raw.plays.forEach((play: any, i: number) => {
      expect(events[i]!.occurredAt).toBe(Date.parse(play.wallclock));
    });
  });

  it('ends with the final at the box-score score and winner', () => {
    const final = events.at(-1)!;
    expect(final.kind).toBe('final');
    expect([final.awayScore, final.homeScore]).toEqual([facts.away.score, facts.home.score]);
    expect([final.awayScore, final.homeScore]).toEqual([108, 125]);
    expect(final.game).toBe(facts);
    expect(final.game.home.winner).toBe(true);
    expect(events.filter((e) => e.kind === 'final')).toHaveLength(1);
    expect(events[0]!.kind).toBe('game_start');
    expect(events.filter((e) => e.kind === 'period_end')).toHaveLength(4);
  });

  it('replays running points that reach each player box-score total', () => {
    const boxPoints = rawBoxPoints(raw);
    const lastLive = events.at(-2)!.game;
    expect(lastLive.state).toBe('in');
    for (const [id, points] of boxPoints) {
      expect(lastLive.players.find((p) => p.id === id)?.stats.points, id).toBe(points);
    }
    // And each scorer's points as reported on his own scoring events never go down.
    const seen = new Map<string, number>();
    for (const e of events) {
      for (const p of e.players) {
        const prev = seen.get(p.id) ?? 0;
        expect(p.stats.points ?? 0).toBeGreaterThanOrEqual(prev);
        seen.set(p.id, p.stats.points ?? 0);
      }
    }
  });

  it('replays every counted stat to the box-score line', () => {
    const lastLive = events.at(-2)!.game;
    for (const player of facts.players) {
      const running = lastLive.players.find((p) => p.id === player.id)!;
      for (const [name, value] of Object.entries(running.stats)) {
        expect(value, `${player.name} ${name}`).toBe(player.stats[name]);
      }
    }
    expect(lastLive.home.linescores).toEqual(facts.home.linescores);
    expect(lastLive.away.stats.points).toBe(facts.away.score);
  });

  it('shares unchanged objects between snapshots', () => {
    const a = events[1]!.game;
    const b = events[2]!.game;
    expect(a.players === b.players || a.home === b.home || a.away === b.away).toBe(true);
  });

  it('credits assists and marks scores with their points', () => {
    const assisted = raw.plays.find((p: any) => p.scoringPlay && p.participants?.length === 2);
    const event = events.find((e) => e.id.endsWith(`:play:${assisted.id}`))!;
    expect(event.kind).toBe('score');
    expect(event.scoreValue).toBe(assisted.scoreValue);
    expect(event.players.map((p) => p.id)).toEqual(assisted.participants.map((p: any) => p.athlete.id));
    expect(event.players[1]!.stats.assists).toBeGreaterThan(0);
  });
});

describe('parseEspnSummary (NFL)', () => {
  const raw = fixture(NFL_FILE) as any;
  const { facts, events } = parseEspnSummary(raw, { league: 'nfl', file: NFL_FILE });

  it('flattens the drives into events with unique ids', () => {
    const count = raw.drives.previous.reduce((n: number, d: any) => n + d.plays.length, 0);
    expect(events).toHaveLength(count);
    expect(new Set(events.map((e) => e.id)).size).toBe(count);
  });

  it('gives touchdowns and field goals matching scoringPlays', () => {
    const byType = (name: string) =>
      raw.scoringPlays
        .filter((s: any) => s.scoringType.name === name)
        .map((s: any) => [s.awayScore, s.homeScore]);
    const tds = events.filter((e) => e.kind === 'touchdown').map((e) => [e.awayScore, e.homeScore]);
    const fgs = events.filter((e) => e.kind === 'field_goal').map((e) => [e.awayScore, e.homeScore]);
    expect(tds).toEqual(byType('touchdown'));
    expect(fgs).toEqual(byType('field-goal'));
    for (const e of events.filter((x) => x.kind === 'field_goal')) expect(e.scoreValue).toBe(3);
  });

  it('credits the scorers named in the play text', () => {
    const london = facts.players.find((p) => p.name === 'Drake London')!;
    const td = events.find((e) => e.kind === 'touchdown' && e.players.some((p) => p.id === london.id))!;
    expect(td.players.find((p) => p.id === london.id)!.stats['receiving.receivingTouchdowns']).toBe(1);
    const koo = facts.players.find((p) => p.name === 'Younghoe Koo')!;
    const lastKick = events.filter((e) => e.players.some((p) => p.id === koo.id)).at(-1)!;
    expect(lastKick.players.find((p) => p.id === koo.id)!.stats['kicking.fieldGoalsMade']).toBe(
      koo.stats['kicking.fieldGoalsMade'],
    );
  });

  it('replays passing, rushing, receiving and kicking lines to the box score', () => {
    const lastLive = events.at(-2)!.game;
    let compared = 0;
    for (const player of facts.players) {
      const running = lastLive.players.find((p) => p.id === player.id)!;
      for (const [name, value] of Object.entries(running.stats)) {
        if (player.stats[name] === undefined) continue;
        expect(value, `${player.name} ${name}`).toBe(player.stats[name]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
    const robinson = facts.players.find((p) => p.name === 'Bijan Robinson')!;
    expect(lastLive.players.find((p) => p.id === robinson.id)!.stats['rushing.rushingYards']).toBe(
      robinson.stats['rushing.rushingYards'],
    );
  });

  it('does not credit a touchdown that replay reversed', () => {
    const reversed = events.find((e) => e.text.includes('REVERSED') && e.text.includes('TOUCHDOWN'))!;
    expect(reversed.kind).toBe('play');
    expect(reversed.players.every((p) => !p.stats['receiving.receivingTouchdowns'])).toBe(true);
  });

  it('ends with the final at 24-25, Falcons winning', () => {
    const final = events.at(-1)!;
    expect(final.kind).toBe('final');
    expect([final.awayScore, final.homeScore]).toEqual([24, 25]);
    expect(final.game.home.winner).toBe(true);
    expect(facts.players.find((p) => p.name === 'Jordan Love')!.stats['passing.completions']).toBe(14);
  });
});

describe('parseEspnSummary (errors and pregame)', () => {
  it('leaves truncated JSON to JSON.parse, which throws a SyntaxError', () => {
    const text = fixtureText(NBA_FILE);
    expect(() => parseEspnSummary(JSON.parse(text.slice(0, text.length / 2)), { league: 'nba' })).toThrow(
      SyntaxError,
    );
  });

  it('names the missing box score', () => {
    const raw = fixture(NBA_FILE);
    delete raw.boxscore;
    let error: unknown;
    try {
      parseEspnSummary(raw, { league: 'nba', file: NBA_FILE });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceFormatError);
    const format = error as SourceFormatError;
    expect(format.path).toBe('boxscore');
    expect(format.file).toBe(NBA_FILE);
    expect(format.message).toBe(`${NBA_FILE}: boxscore: expected a box score object, got undefined`);
  });

  it('names a malformed nested value by its JSON path', () => {
    const raw = fixture(NBA_FILE) as any;
    raw.boxscore.players[1].statistics = 'oops';
    expect(() => parseEspnSummary(raw, { league: 'nba', file: 'x.json' })).toThrow(
      'x.json: boxscore.players[1].statistics: expected an array of stat categories, got a string ("oops")',
    );
    const noPlayers = fixture(NBA_FILE) as any;
    delete noPlayers.boxscore.players;
    expect(() => parseEspnSummary(noPlayers, { league: 'nba' })).toThrow(
      'boxscore.players: expected an array of team box scores, got undefined',
    );
  });

  it('parses a pregame summary into facts and no events', () => {
    const { facts, events } = parseEspnSummary(fixture(PREGAME_FILE), { league: 'nba' });
    expect(facts.state).toBe('pre');
    expect(facts.players).toEqual([]);
    expect(facts.home.stats).toEqual({});
    expect(events).toEqual([]);
  });
});
