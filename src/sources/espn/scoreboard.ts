import { z } from 'zod';
import type { GameFacts, GameState, League, Sport, StatLine, TeamFacts } from '../../domain/index.ts';
import { expecting, parseOrThrow } from '../parse.ts';
import { awayHome, espnGameId, REGULATION_PERIODS, sportOf, teamFromCompetitor } from './game-facts.ts';
import { competitorSchema, gameInfoSchema, statusSchema } from './schema.ts';
import { addStat } from './stat-line.ts';

/** One game of a scoreboard. */
export interface ScoreboardGame {
  /** Source-scoped id ("espn:401705331"), the same as the summary's `facts.gameId`. */
  gameId: string;
  /** ESPN's own event id ("401705331"), to fetch the summary with. */
  espnId: string;
  state: GameState;
  /** The feed's words for the status ("Final", "Top 9th", "Thu, September 4th at 8:20 PM EDT"). */
  statusDetail: string;
  period: number;
  clock: string;
  /** ISO date-time of the scheduled start (UTC). */
  startTime: string;
  away: TeamFacts;
  home: TeamFacts;
  /** The game as a `GameFacts` (no players: a scoreboard has no box score). */
  facts: GameFacts;
}

const scoreboardCompetitorSchema = competitorSchema.extend({
  statistics: z.array(z.object({ name: z.string(), displayValue: z.string().optional() })).optional(),
});

const scoreboardSchema = z.object(
  {
    events: z.array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        date: z.string(),
        status: statusSchema.optional(),
        competitions: z
          .array(
            z.object({
              date: z.string().optional(),
              status: statusSchema.optional(),
              venue: gameInfoSchema.shape.venue,
              attendance: z.number().optional(),
              notes: z.array(z.object({ headline: z.string().optional() })).optional(),
              series: z.object({ summary: z.string().optional() }).optional(),
              competitors: z
                .array(scoreboardCompetitorSchema, expecting('an array of two competitors'))
                .refine(
                  (cs) => cs.some((c) => c.homeAway === 'home') && cs.some((c) => c.homeAway === 'away'),
                  'expected one home and one away competitor',
                ),
            }),
            expecting('an array of competitions'),
          )
          .min(1, 'expected at least one competition'),
      }),
      expecting('an array of events'),
    ),
  },
  expecting('an ESPN scoreboard object'),
);

/**
 * Parses an ESPN scoreboard (`/apis/site/v2/sports/<sport>/<league>/scoreboard`):
 * one entry per event, in the feed's order, with its state, status words,
 * period, clock, start time and both teams (score, linescores, overall record,
 * winner when decided). Team stats are the game's own numbers the scoreboard
 * lists (season averages such as "avgRebounds", a batter's "avg" or "ERA" are
 * left out), and none before the game starts. Leaders are omitted.
 *
 * @throws SourceFormatError when the payload lacks what we use (naming the file and JSON path).
 */
export function parseEspnScoreboard(
  json: unknown,
  opts: { league: League; file?: string },
): ScoreboardGame[] {
  const board = parseOrThrow(scoreboardSchema, json, opts.file === undefined ? {} : { file: opts.file });
  const sport = sportOf(opts.league);
  return board.events.map((event) => {
    const competition = event.competitions[0]!;
    const status = competition.status ?? event.status;
    const state = status?.type.state ?? 'pre';
    const { away, home } = awayHome(competition.competitors);
    const stats = (c: typeof away): StatLine =>
      state === 'pre' ? {} : scoreboardStats(c.statistics ?? [], sport);
    const awayTeam = teamFromCompetitor(away, stats(away));
    const homeTeam = teamFromCompetitor(home, stats(home));
    const startTime = new Date(Date.parse(competition.date ?? event.date)).toISOString();
    const period = status?.period ?? 0;
    const clock = status?.displayClock ?? '';
    const facts: GameFacts = {
      gameId: espnGameId(event.id),
      league: opts.league,
      sport,
      state,
      startTime,
      period,
      clock,
      regulationPeriods: REGULATION_PERIODS[sport],
      away: awayTeam,
      home: homeTeam,
      players: [],
    };
    const venue = competition.venue;
    if (venue) {
      facts.venue = { name: venue.fullName };
      if (venue.address?.city) facts.venue.city = venue.address.city;
      if (venue.address?.state) facts.venue.state = venue.address.state;
    }
    if (competition.attendance) facts.attendance = competition.attendance;
    const note = competition.series?.summary ?? competition.notes?.find((n) => n.headline)?.headline;
    if (note) facts.note = note;
    return {
      gameId: facts.gameId,
      espnId: event.id,
      state,
      statusDetail: status?.type.detail ?? status?.type.shortDetail ?? '',
      period,
      clock,
      startTime,
      away: awayTeam,
      home: homeTeam,
      facts,
    };
  });
}

/** Season-level numbers a scoreboard mixes into a competitor's statistics. */
const SEASON_STATS = /^(avg|ERA$|wins$|losses$|saves$)/;

function scoreboardStats(
  stats: readonly { name: string; displayValue?: string | undefined }[],
  sport: Sport,
) {
  const line: StatLine = {};
  for (const stat of stats) {
    if (SEASON_STATS.test(stat.name)) continue;
    addStat(line, stat.name, stat.displayValue);
  }
  if (sport === 'basketball' && line.threePointPct !== undefined)
    line.threePointFieldGoalPct = line.threePointPct;
  return line;
}
