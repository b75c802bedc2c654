import type { GameEvent, GameFacts, League } from '../../domain/index.ts';
import { isLeague } from '../../domain/index.ts';
import { SourceFormatError } from '../errors.ts';
import { parseOrThrow } from '../parse.ts';
import { baseballStepper } from './baseball-events.ts';
import { basketballStepper } from './basketball-events.ts';
import type { EventContext, EventStepper } from './event-base.ts';
import { type FootballPoll, footballStepper, footballStops } from './football-events.ts';
import {
  awayHome,
  espnGameId,
  playersFromBox,
  REGULATION_PERIODS,
  sportOf,
  teamFromCompetitor,
  teamStatsFromBox,
} from './game-facts.ts';
import { hockeyStepper } from './hockey-events.ts';
import {
  type EspnDrive,
  type EspnPlay,
  type EspnSummary,
  looseSummarySchema,
  summarySchema,
} from './schema.ts';
import { winProbabilityByPlay } from './win-probability.ts';

/** A game summary turned into domain values. */
export interface ParsedGame {
  /** The game as the file states it (the box score when there is one). */
  facts: GameFacts;
  /** One event per play, in the feed's order; empty before the game. */
  events: GameEvent[];
}

/** ESPN's league ids (`header.league.id`). */
const LEAGUE_IDS: Record<string, League> = {
  '46': 'nba',
  '59': 'wnba',
  '28': 'nfl',
  '10': 'mlb',
  '90': 'nhl',
};

/**
 * The league a summary states in `header.league` (slug, abbreviation or ESPN
 * id: 46 NBA, 59 WNBA, 28 NFL, 10 MLB, 90 NHL), or undefined when it states
 * none we cover.
 */
export function leagueOfHeader(league: { id?: string; slug?: string; abbreviation?: string } | undefined) {
  if (!league) return undefined;
  for (const name of [league.slug, league.abbreviation]) {
    const lower = name?.toLowerCase();
    if (lower !== undefined && isLeague(lower)) return lower;
  }
  return league.id === undefined ? undefined : LEAGUE_IDS[league.id];
}

/**
 * Parses an ESPN game summary (the JSON value, already `JSON.parse`d: a
 * truncated file fails there with a `SyntaxError`, before this function).
 *
 * - `facts`: teams, scores, linescores, records, state, period and clock,
 *   venue, attendance, series note, and player/team stat lines from the box
 *   score under the canonical names of `domain/facts.ts`.
 * - `events`: one per play (basketball, baseball and hockey `plays[]`;
 *   football `drives.previous[]` then `drives.current`, each play once), ids
 *   `espn:<gameId>:play:<playId>`, participants with their stat lines so far
 *   and a `game` snapshot as of the play. The "End Game" play is the 'final'
 *   event; its `game` is `facts`. Each event's `detail` carries the play's win
 *   probability when the summary has `winprobability[]` (`homeWinPct`,
 *   `homeWinSwing`, `tiePct`), and the sport's situation (football: drive,
 *   down, yards to the end zone, fourth-down result; baseball: half-inning,
 *   outs, home run; hockey: strength, empty net, shootout).
 * - The league is `opts.league` when given (it wins over the file), else the
 *   summary's `header.league`; WNBA summaries have the NBA shape.
 *
 * @throws SourceFormatError when a part we use is missing or malformed (naming
 *   `opts.file`, the JSON path and what was expected), and when no league is
 *   given and `header.league` names none we cover. A summary without a box
 *   score fails, and so does a started game whose box score has no players.
 */
export function parseEspnSummary(json: unknown, opts: { league?: League; file?: string }): ParsedGame {
  const read = readSummary(json, opts);
  const ctx: EventContext = {
    facts: read.facts,
    espnId: read.espnId,
    winProbability: winProbabilityByPlay(read.plays, read.winProbability),
  };
  const stepper = eventStepper(ctx, read);
  return { facts: read.facts, events: read.plays.map((play, index) => stepper.step(play, index)) };
}

/** A validated summary: the game's facts and its plays in feed order, before any event is built. */
export interface ReadSummary {
  facts: GameFacts;
  espnId: string;
  plays: EspnPlay[];
  /** Each football play's drive (empty for other sports). */
  drives: Map<string, EspnDrive>;
  winProbability: NonNullable<EspnSummary['winprobability']>;
}

/**
 * Validates a summary and reads its facts and plays (see {@link parseEspnSummary}
 * for the rules and the errors); builds no event.
 */
export function readSummary(
  json: unknown,
  opts: { league?: League; file?: string },
  validatePlay?: PlayValidator,
): ReadSummary {
  const where = opts.file === undefined ? {} : { file: opts.file };
  const summary = validatePlay
    ? looseSummary(json, where, validatePlay)
    : parseOrThrow(summarySchema, json, where);
  const league = opts.league ?? leagueOfHeader(summary.header.league);
  if (league === undefined) {
    throw new SourceFormatError({
      ...where,
      path: 'header.league',
      expected: 'a league we cover (nba, wnba, nfl, mlb, nhl), or an explicit league',
      got: JSON.stringify(summary.header.league ?? null),
    });
  }
  const { plays, drives } = playsOf(summary);
  const facts = summaryFacts(summary, plays, league, opts.file);
  return { facts, espnId: summary.header.id, plays, drives, winProbability: summary.winprobability ?? [] };
}

/**
 * Validates one play of a summary (`path` is its JSON path, for errors); a
 * live parser may return the play it validated in an earlier poll.
 */
export type PlayValidator = (raw: unknown, path: readonly PropertyKey[]) => EspnPlay;

/** A summary validated with its plays left to `validatePlay`. */
function looseSummary(json: unknown, where: { file?: string }, validatePlay: PlayValidator): EspnSummary {
  const loose = parseOrThrow(looseSummarySchema, json, where);
  const playsAt = (raw: unknown[] | undefined, path: readonly PropertyKey[]) =>
    raw?.map((play, i) => validatePlay(play, [...path, i]));
  const { plays, drives, ...rest } = loose;
  const summary: EspnSummary = { ...rest };
  if (plays) summary.plays = playsAt(plays, ['plays']) ?? [];
  if (drives) {
    summary.drives = {};
    if (drives.previous)
      summary.drives.previous = drives.previous.map((drive, d) => ({
        ...drive,
        plays: playsAt(drive.plays, ['drives', 'previous', d, 'plays']),
      }));
    if (drives.current)
      summary.drives.current = {
        ...drives.current,
        plays: playsAt(drives.current.plays, ['drives', 'current', 'plays']),
      };
  }
  return summary;
}

/**
 * The event builder of the game's sport. Football reads `poll.drives` and the
 * drives' fourth-down stops at each step, so a live parser updates `poll`.
 */
export function eventStepper(ctx: EventContext, poll: FootballPoll | ReadSummary): EventStepper {
  switch (ctx.facts.sport) {
    case 'basketball':
      return basketballStepper(ctx);
    case 'football':
      return footballStepper(
        ctx,
        'stoppedOnDowns' in poll
          ? poll
          : { drives: poll.drives, stoppedOnDowns: footballStops(poll.plays, poll.drives) },
      );
    case 'baseball':
      return baseballStepper(ctx);
    case 'hockey':
      return hockeyStepper(ctx);
    default: {
      const never: never = ctx.facts.sport;
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

/** Plays in feed order (football drives flattened, each play once), with each football play's drive. */
function playsOf(summary: EspnSummary): { plays: EspnPlay[]; drives: Map<string, EspnDrive> } {
  const byPlay = new Map<string, EspnDrive>();
  if (summary.plays) return { plays: summary.plays, drives: byPlay };
  const drives = [
    ...(summary.drives?.previous ?? []),
    ...(summary.drives?.current ? [summary.drives.current] : []),
  ];
  const plays: EspnPlay[] = [];
  for (const drive of drives) {
    for (const play of drive.plays ?? []) {
      if (byPlay.has(play.id)) continue;
      byPlay.set(play.id, drive);
      plays.push(play);
    }
  }
  return { plays, drives: byPlay };
}
