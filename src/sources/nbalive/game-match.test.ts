import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEspnScoreboard } from '../espn/index.ts';
import { ESPN_TO_NBA_TRICODE, matchNbaGame, sameTeam } from './game-match.ts';
import { parseNbaLiveScoreboard } from './scoreboard.ts';

const json = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/${path}`, import.meta.url), 'utf8'));
const liveScoreboard = json('nba_cdn/liveData_todaysScoreboard_00_2023-04-20_LIVE.json');

/** Every `{ teamName, teamTricode }` anywhere in a recorded NBA payload. */
function nbaTeams(value: unknown, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) for (const v of value) nbaTeams(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.teamName === 'string' && typeof o.teamTricode === 'string')
      out.set(o.teamName, o.teamTricode);
    for (const v of Object.values(o)) nbaTeams(v, out);
  }
  return out;
}

describe('ESPN to NBA game mapping', () => {
  it('the abbreviation table agrees with every team both feeds recorded (same nickname)', () => {
    const nba = new Map<string, string>();
    for (const file of [
      'nba_cdn/liveData_todaysScoreboard_00_2023-04-20_LIVE.json',
      'nba_cdn/stats_scoreboardv3_2025-11-05.json',
      'nba_cdn/liveData_boxscore_0022000001.json',
    ])
      nbaTeams(json(file), nba);
    const espn = parseEspnScoreboard(json('espn/nba_scoreboard_20241215.json'), { league: 'nba' });
    const pairs = new Map<string, string>();
    for (const game of espn)
      for (const team of [game.away, game.home]) {
        const tricode = nba.get(team.name);
        if (tricode) pairs.set(team.abbreviation, tricode);
      }
    expect(pairs.size).toBeGreaterThanOrEqual(10);
    const differing = [...pairs].filter(([a, t]) => a !== t);
    expect(differing.length).toBeGreaterThanOrEqual(4);
    for (const [abbreviation, tricode] of pairs) {
      expect([abbreviation, ESPN_TO_NBA_TRICODE[abbreviation] ?? abbreviation]).toEqual([
        abbreviation,
        tricode,
      ]);
      // The table alone (without nicknames) maps it too.
      expect(sameTeam({ abbreviation, name: '' }, { teamId: '', tricode, name: 'x', city: '' })).toBe(true);
    }
  });

  it('finds the live game by teams and start, whatever ESPN calls the teams', () => {
    const games = parseNbaLiveScoreboard(liveScoreboard, { file: 'todaysScoreboard_00.json' });
    expect(games.map((g) => [g.gameId, g.state])).toEqual([
      ['0042200163', 'in'],
      ['0042200173', 'in'],
      ['0042200123', 'post'],
    ]);
    const sacGsw = games[0]!;
    const espn = {
      startTime: sacGsw.startTime,
      away: { abbreviation: 'SAC', name: 'Kings' },
      home: { abbreviation: 'GS', name: 'Warriors' },
    };
    expect(matchNbaGame(espn, games)?.gameId).toBe('0042200163');
    // By abbreviation alone.
    expect(matchNbaGame({ ...espn, home: { abbreviation: 'GS', name: '' } }, games)?.gameId).toBe(
      '0042200163',
    );
    // Home and away swapped, another day, another opponent: no match.
    expect(matchNbaGame({ ...espn, away: espn.home, home: espn.away }, games)).toBeUndefined();
    const later = new Date(Date.parse(sacGsw.startTime) + 2 * 86_400_000).toISOString();
    expect(matchNbaGame({ ...espn, startTime: later }, games)).toBeUndefined();
    expect(matchNbaGame({ ...espn, away: { abbreviation: 'PHX', name: 'Suns' } }, games)).toBeUndefined();
  });

  it('names the file and path of a malformed scoreboard', () => {
    expect(() =>
      parseNbaLiveScoreboard({ scoreboard: { games: [{ gameId: 7 }] } }, { file: 'sb.json' }),
    ).toThrow(/sb\.json: scoreboard\.games\[0\]\.gameId/);
  });
});
