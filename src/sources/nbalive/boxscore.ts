import type { GameFacts, GameState, League, PlayerFacts, StatLine, TeamFacts } from '../../domain/index.ts';
import { SPORT_OF } from '../../domain/index.ts';
import { shortNameOf } from '../espn/index.ts';
import { parseOrThrow } from '../parse.ts';
import { displayClock, durationMinutes } from './clock.ts';
import { boxscoreSchema, type NbaBoxTeam } from './schema.ts';

/** Game ids of this source: liveData's "0022000001" becomes "nbalive:0022000001". */
export function nbaLiveGameId(gameId: string): string {
  return `nbalive:${gameId}`;
}

/** liveData stat names → the canonical basketball names of `domain/facts.ts`. */
const STAT_NAMES: Record<string, string> = {
  points: 'points',
  reboundsTotal: 'rebounds',
  reboundsOffensive: 'offensiveRebounds',
  reboundsDefensive: 'defensiveRebounds',
  assists: 'assists',
  steals: 'steals',
  blocks: 'blocks',
  turnovers: 'turnovers',
  foulsPersonal: 'fouls',
  plusMinusPoints: 'plusMinus',
  fieldGoalsMade: 'fieldGoalsMade',
  fieldGoalsAttempted: 'fieldGoalsAttempted',
  threePointersMade: 'threePointFieldGoalsMade',
  threePointersAttempted: 'threePointFieldGoalsAttempted',
  freeThrowsMade: 'freeThrowsMade',
  freeThrowsAttempted: 'freeThrowsAttempted',
};

const STATES: Record<number, GameState> = { 1: 'pre', 2: 'in', 3: 'post' };

/**
 * Parses a cdn.nba.com liveData box score into `GameFacts` (id
 * `nbalive:<gameId>`): state from `gameStatus` (1 pre, 2 in, 3 post), period,
 * clock in display form, teams with per-period scores, arena and attendance,
 * and stat lines under the canonical names (minutes rounded as the feed's
 * `minutesCalculated`). Players who did not play keep an empty stat line and
 * `didNotPlay`. Before the game the feed lists no players; `players` is then empty.
 *
 * @throws SourceFormatError naming `opts.file` and the JSON path when a part we use is missing.
 */
export function parseNbaLiveBoxscore(json: unknown, opts: { league: League; file?: string }): GameFacts {
  const { game } = parseOrThrow(boxscoreSchema, json, opts.file === undefined ? {} : { file: opts.file });
  const state = STATES[game.gameStatus] ?? 'pre';
  const away = teamFacts(game.awayTeam, 'away', state);
  const home = teamFacts(game.homeTeam, 'home', state);
  if (state === 'post' && away.score !== home.score) {
    away.winner = away.score > home.score;
    home.winner = home.score > away.score;
  }
  const facts: GameFacts = {
    gameId: nbaLiveGameId(game.gameId),
    league: opts.league,
    sport: SPORT_OF[opts.league],
    state,
    startTime: new Date(Date.parse(game.gameTimeUTC)).toISOString(),
    period: game.period ?? 0,
    clock: game.gameClock ? displayClock(game.gameClock) : '',
    regulationPeriods: game.regulationPeriods ?? 4,
    away,
    home,
    players: [...playersOf(game.awayTeam), ...playersOf(game.homeTeam)],
  };
  if (game.arena) {
    facts.venue = { name: game.arena.arenaName };
    if (game.arena.arenaCity) facts.venue.city = game.arena.arenaCity;
    if (game.arena.arenaState) facts.venue.state = game.arena.arenaState;
  }
  if (game.attendance) facts.attendance = game.attendance;
  return facts;
}

function teamFacts(team: NbaBoxTeam, homeAway: 'home' | 'away', state: GameState): TeamFacts {
  return {
    id: String(team.teamId),
    name: team.teamName,
    location: team.teamCity,
    displayName: `${team.teamCity} ${team.teamName}`,
    abbreviation: team.teamTricode,
    homeAway,
    score: team.score ?? 0,
    linescores: (team.periods ?? []).filter((p) => p.period >= 1).map((p) => p.score),
    stats: state === 'pre' ? {} : statLine(team.statistics ?? {}),
  };
}

function playersOf(team: NbaBoxTeam): PlayerFacts[] {
  return (team.players ?? []).map((p) => {
    const didNotPlay = p.played === false;
    const player: PlayerFacts = {
      id: String(p.personId),
      name: p.name,
      shortName: p.nameI ?? shortNameOf(p.name),
      teamId: String(team.teamId),
      starter: p.starter === true,
      didNotPlay,
      stats: didNotPlay ? {} : statLine(p.statistics),
    };
    if (p.jerseyNum) player.jersey = p.jerseyNum;
    if (p.position) player.position = p.position;
    return player;
  });
}

function statLine(stats: Record<string, number | string | null>): StatLine {
  const line: StatLine = {};
  for (const [from, to] of Object.entries(STAT_NAMES)) {
    const value = stats[from];
    if (typeof value === 'number') line[to] = value;
  }
  const minutes = stats.minutesCalculated ?? stats.minutes;
  if (typeof minutes === 'string') {
    const value = durationMinutes(minutes);
    if (value !== undefined) line.minutes = Math.round(value);
  }
  return line;
}
