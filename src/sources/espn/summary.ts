import type { GameEvent, GameFacts, League } from '../../domain/index.ts';
import { SourceFormatError } from '../errors.ts';
import { parseOrThrow } from '../parse.ts';
import { basketballEvents } from './basketball-events.ts';
import type { EventContext } from './event-base.ts';
import { footballEvents } from './football-events.ts';
import {
  awayHome,
  espnGameId,
  playersFromBox,
  REGULATION_PERIODS,
  sportOf,
  teamFromCompetitor,
  teamStatsFromBox,
} from './game-facts.ts';
import { type EspnPlay, type EspnSummary, summarySchema } from './schema.ts';

/** A game summary turned into domain values. */
export interface ParsedGame {
  /** The game as the file states it (the box score when there is one). */
  facts: GameFacts;
  /** One event per play, in the feed's order; empty before the game. */
  events: GameEvent[];
}

/**
 * Parses an ESPN game summary (the JSON value, already `JSON.parse`d: a
 * truncated file fails there with a `SyntaxError`, before this function).
 *
 * - `facts`: teams, scores, linescores, records, state, period and clock,
 *   venue, attendance, series note, and player/team stat lines from the box
 *   score under the canonical names of `domain/facts.ts`.
 * - `events`: one per play (basketball `plays[]`; football `drives.previous[]`
 *   then `drives.current`, each play once), ids `espn:<gameId>:play:<playId>`,
 *   participants with their stat lines so far and a `game` snapshot as of the
 *   play. The "End Game" play is the 'final' event; its `game` is `facts`.
 *   Baseball and hockey summaries yield facts and no events (not replayed yet).
 *
 * @throws SourceFormatError when a part we use is missing or malformed (naming
 *   `opts.file`, the JSON path and what was expected). A summary without a box
 *   score fails, and so does a started game whose box score has no players.
 */
export function parseEspnSummary(json: unknown, opts: { league: League; file?: string }): ParsedGame {
  const where = opts.file === undefined ? {} : { file: opts.file };
  const summary = parseOrThrow(summarySchema, json, where);
  const plays = playsOf(summary);
  const facts = summaryFacts(summary, plays, opts.league, opts.file);
  const ctx: EventContext = { facts, espnId: summary.header.id };
  switch (facts.sport) {
    case 'basketball':
      return { facts, events: basketballEvents(plays, ctx) };
    case 'football':
      return { facts, events: footballEvents(plays, ctx) };
    case 'baseball':
    case 'hockey':
      return { facts, events: [] };
    default: {
      const never: never = facts.sport;
      throw new Error(`unknown sport ${String(never)}`);
    }
  }
}

function summaryFacts(
  summary: EspnSummary,
  plays: readonly EspnPlay[],
  league: League,
  file: string | undefined,
): GameFacts {
  const sport = sportOf(league);
  const competition = summary.header.competitions[0]!;
  const state = competition.status.type.state;
  const boxPlayers = summary.boxscore.players;
  if (boxPlayers === undefined && state !== 'pre') {
    throw new SourceFormatError({
      ...(file === undefined ? {} : { file }),
      path: 'boxscore.players',
      expected: 'an array of team box scores',
      got: 'undefined',
    });
  }
  const { away, home } = awayHome(competition.competitors);
  // Before the game, boxscore.teams holds season averages, not game totals.
  const teamStats = (teamId: string) =>
    state === 'pre'
      ? {}
      : teamStatsFromBox(
          summary.boxscore.teams?.find((t) => t.team.id === teamId),
          sport,
        );
  const lastPlay = plays.at(-1);
  const awayTeam = teamFromCompetitor(away, teamStats(away.team.id));
  const homeTeam = teamFromCompetitor(home, teamStats(home.team.id));
  const period =
    competition.status.period ??
    lastPlay?.period.number ??
    (state === 'pre' ? 0 : Math.max(awayTeam.linescores.length, homeTeam.linescores.length));
  const clock =
    competition.status.displayClock ?? lastPlay?.clock?.displayValue ?? (state === 'post' ? '0:00' : '');

  const facts: GameFacts = {
    gameId: espnGameId(summary.header.id),
    league,
    sport,
    state,
    startTime: new Date(Date.parse(competition.date)).toISOString(),
    period,
    clock,
    regulationPeriods: REGULATION_PERIODS[sport],
    away: awayTeam,
    home: homeTeam,
    players: boxPlayers ? playersFromBox(boxPlayers, sport) : [],
  };
  const venue = summary.gameInfo?.venue;
  if (venue) {
    facts.venue = { name: venue.fullName };
    if (venue.address?.city) facts.venue.city = venue.address.city;
    if (venue.address?.state) facts.venue.state = venue.address.state;
  }
  if (summary.gameInfo?.attendance) facts.attendance = summary.gameInfo.attendance;
  const series = competition.series ?? [];
  const note =
    series.find((s) => s.type === 'playoff' && s.summary)?.summary ??
    series.find((s) => s.summary)?.summary ??
    competition.notes?.find((n) => n.headline)?.headline;
  if (note) facts.note = note;
  return facts;
}

/** Plays in feed order; football drives flattened, each play once. */
function playsOf(summary: EspnSummary): EspnPlay[] {
  if (summary.plays) return summary.plays;
  const drives = [
    ...(summary.drives?.previous ?? []),
    ...(summary.drives?.current ? [summary.drives.current] : []),
  ];
  const seen = new Set<string>();
  const plays: EspnPlay[] = [];
  for (const drive of drives) {
    for (const play of drive.plays ?? []) {
      if (seen.has(play.id)) continue;
      seen.add(play.id);
      plays.push(play);
    }
  }
  return plays;
}
