// biome-ignore-all lint/suspicious/noExplicitAny: tests read the raw ESPN JSON to derive expectations
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { League } from '../../domain/index.ts';
import { SourceFormatError } from '../errors.ts';
import { parseEspnScoreboard } from './scoreboard.ts';

function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/espn/${name}`, import.meta.url), 'utf8'));
}

/** Checks every game against the raw event it came from. */
function expectMatchesRaw(raw: any, league: League) {
  const games = parseEspnScoreboard(raw, { league, file: 'board.json' });
  expect(games).toHaveLength(raw.events.length);
  games.forEach((game, i) => {
    const event = raw.events[i];
    const competition = event.competitions[0];
    const rawHome = competition.competitors.find((c: any) => c.homeAway === 'home');
    const rawAway = competition.competitors.find((c: any) => c.homeAway === 'away');
    expect(game.espnId).toBe(event.id);
    expect(game.gameId).toBe(`espn:${event.id}`);
    expect(game.state).toBe(event.status.type.state);
    expect(game.statusDetail).toBe(event.status.type.detail);
    expect(game.period).toBe(event.status.period);
    expect(game.startTime).toBe(new Date(event.date).toISOString());
    expect(game.home.abbreviation).toBe(rawHome.team.abbreviation);
    expect(game.away.abbreviation).toBe(rawAway.team.abbreviation);
    expect(game.home.score).toBe(Number(rawHome.score));
    expect(game.away.linescores).toEqual((rawAway.linescores ?? []).map((l: any) => l.value));
    expect(game.facts.home).toBe(game.home);
    expect(game.facts.players).toEqual([]);
    const total = rawHome.records?.find((r: any) => r.type === 'total');
    expect(game.home.record).toBe(total?.summary);
    // A postponed game is 'post' with no winner; a completed one names it.
    expect(game.home.winner).toBe(rawHome.winner);
    if (game.state === 'post' && event.status.type.completed) {
      expect(game.home.winner).toBe(Number(rawHome.score) > Number(rawAway.score));
    }
  });
  return games;
}

describe('parseEspnScoreboard', () => {
  it('reads an NBA final scoreboard', () => {
    const games = expectMatchesRaw(fixture('nba_scoreboard_20241215.json'), 'nba');
    expect(games.every((g) => g.state === 'post')).toBe(true);
    const first = games[0]!;
    expect(first.home.stats.points).toBe(first.home.score);
    expect(first.home.stats.avgRebounds).toBeUndefined();
    expect(first.facts.regulationPeriods).toBe(4);
  });

  it('reads an NFL final scoreboard', () => {
    const games = expectMatchesRaw(fixture('nfl_scoreboard_20241215.json'), 'nfl');
    for (const g of games) {
      const sum = (t: typeof g.home) => t.linescores.reduce((a, b) => a + b, 0);
      expect(sum(g.home)).toBe(g.home.score);
      expect(sum(g.away)).toBe(g.away.score);
    }
  });

  it('reads an NFL pregame scoreboard: state pre, no winner, no stats', () => {
    const games = expectMatchesRaw(fixture('nfl_scoreboard_2025wk1_pregame.json'), 'nfl');
    for (const g of games) {
      expect(g.state).toBe('pre');
      expect(g.home.winner).toBeUndefined();
      expect(g.home.stats).toEqual({});
    }
  });

  it('reads a live MLB scoreboard with games in progress', () => {
    const raw = fixture('mlb_scoreboard_20250604_live_in_progress.json');
    const games = expectMatchesRaw(raw, 'mlb');
    const live = games.filter((g) => g.state === 'in');
    expect(live.length).toBe(raw.events.filter((e: any) => e.status.type.state === 'in').length);
    expect(live.length).toBeGreaterThan(0);
    for (const g of live) {
      expect(g.statusDetail).toMatch(/(Top|Bottom|Bot|Middle|Mid|End) \d+(st|nd|rd|th)/);
      expect(g.home.winner).toBeUndefined();
      expect(g.facts.regulationPeriods).toBe(9);
      expect(g.home.stats.runs).toBe(g.home.score);
      expect(g.home.stats.ERA).toBeUndefined();
    }
  });

  it('names what is missing', () => {
    const raw = fixture('nba_scoreboard_20241215.json');
    delete raw.events[2].competitions[0].competitors;
    expect(() => parseEspnScoreboard(raw, { league: 'nba', file: 'board.json' })).toThrow(SourceFormatError);
    expect(() => parseEspnScoreboard(raw, { league: 'nba', file: 'board.json' })).toThrow(
      'board.json: events[2].competitions[0].competitors: expected an array of two competitors, got undefined',
    );
  });
});
