import type { NbaScoreboardGame, NbaScoreboardTeam } from './scoreboard.ts';

/**
 * ESPN abbreviations that differ from the league's tricodes. All but UTAH are
 * read from recorded data: the same team (by nickname) in ESPN's NBA
 * scoreboard and summary and in the NBA's liveData and stats scoreboards
 * (checked by `game-match.test.ts`). UTAH/UTA (Jazz) is ESPN's documented
 * abbreviation, absent from the recordings. Matching tries nicknames first,
 * so a team missing here (or a WNBA team) still matches by name.
 */
export const ESPN_TO_NBA_TRICODE: Readonly<Record<string, string>> = {
  GS: 'GSW',
  NY: 'NYK',
  NO: 'NOP',
  SA: 'SAS',
  WSH: 'WAS',
  UTAH: 'UTA',
};

/** A team as ESPN's scoreboard states it. */
export interface EspnTeamRef {
  abbreviation: string;
  /** Nickname ("Knicks"). */
  name: string;
}

/** An ESPN game to find among the league's games. */
export interface EspnGameRef {
  startTime: string;
  away: EspnTeamRef;
  home: EspnTeamRef;
}

/** How far apart two statements of the same game's start may be. */
const START_TOLERANCE_MS = 6 * 3_600_000;

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Whether an ESPN team and a league team are the same: same nickname, or the same tricode once ESPN's is mapped. */
export function sameTeam(espn: EspnTeamRef, nba: NbaScoreboardTeam): boolean {
  if (espn.name && norm(espn.name) === norm(nba.name)) return true;
  const abbreviation = espn.abbreviation.toUpperCase();
  return (ESPN_TO_NBA_TRICODE[abbreviation] ?? abbreviation) === nba.tricode.toUpperCase();
}

/**
 * The league's game that is the ESPN game: the same away and home teams (see
 * {@link sameTeam}) starting within 6 hours of each other (the two feeds may
 * state slightly different starts; a team never plays twice that close).
 * Undefined when none, or when more than one fits.
 */
export function matchNbaGame(
  espn: EspnGameRef,
  games: readonly NbaScoreboardGame[],
): NbaScoreboardGame | undefined {
  const start = Date.parse(espn.startTime);
  const fits = games.filter(
    (g) =>
      sameTeam(espn.away, g.away) &&
      sameTeam(espn.home, g.home) &&
      Math.abs(Date.parse(g.startTime) - start) <= START_TOLERANCE_MS,
  );
  return fits.length === 1 ? fits[0] : undefined;
}
