import { z } from 'zod';
import { expecting } from '../parse.ts';

/**
 * The parts of ESPN's JSON we rely on, validated at the boundary. Objects are
 * non-strict: ESPN adds fields freely and we ignore what we do not use.
 */

/** A number, or a string holding one ("125"); anything else is a format error. */
export const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

const idLike = z.union([z.string(), z.number()]).transform(String);

export const teamRefSchema = z.object({
  id: idLike,
  location: z.string().optional(),
  name: z.string().optional(),
  abbreviation: z.string().optional(),
  displayName: z.string().optional(),
  shortDisplayName: z.string().optional(),
});

export const linescoreSchema = z.object({
  value: z.number().optional(),
  displayValue: z.string().optional(),
});

export const recordSchema = z.object({
  type: z.string().optional(),
  name: z.string().optional(),
  summary: z.string().optional(),
  displayValue: z.string().optional(),
});

export const competitorSchema = z.object({
  id: idLike,
  homeAway: z.enum(['home', 'away'], expecting('"home" or "away"')),
  winner: z.boolean().optional(),
  team: teamRefSchema,
  score: numberLike.optional(),
  linescores: z.array(linescoreSchema).optional(),
  record: z.array(recordSchema).optional(),
  records: z.array(recordSchema).optional(),
});

/** Exactly two competitors, one home and one away. */
export const competitorsSchema = z
  .array(competitorSchema, expecting('an array of two competitors'))
  .refine(
    (cs) => cs.length === 2 && cs.some((c) => c.homeAway === 'home') && cs.some((c) => c.homeAway === 'away'),
    'expected one home and one away competitor',
  );

export const statusSchema = z.object({
  period: z.number().optional(),
  displayClock: z.string().optional(),
  type: z.object({
    state: z.enum(['pre', 'in', 'post'], expecting('a game state ("pre", "in" or "post")')),
    detail: z.string().optional(),
    shortDetail: z.string().optional(),
    completed: z.boolean().optional(),
  }),
});

const seriesSchema = z.object({ type: z.string().optional(), summary: z.string().optional() });

/** The league a summary belongs to (`header.league`): ESPN ids 46 NBA, 59 WNBA, 28 NFL, 10 MLB, 90 NHL. */
export const headerLeagueSchema = z.object({
  id: idLike.optional(),
  slug: z.string().optional(),
  abbreviation: z.string().optional(),
});

export const headerSchema = z.object(
  {
    id: idLike,
    league: headerLeagueSchema.optional(),
    competitions: z
      .array(
        z.object({
          date: z.string(),
          competitors: competitorsSchema,
          status: statusSchema,
          series: z.array(seriesSchema).optional(),
          notes: z.array(z.object({ headline: z.string().optional() })).optional(),
        }),
        expecting('an array of competitions'),
      )
      .min(1, 'expected at least one competition'),
  },
  expecting('a header object'),
);

export const gameInfoSchema = z.object({
  venue: z
    .object({
      fullName: z.string(),
      address: z.object({ city: z.string().optional(), state: z.string().optional() }).optional(),
    })
    .optional(),
  attendance: z.number().optional(),
});

export const boxTeamSchema = z.object({
  team: teamRefSchema,
  statistics: z
    .array(
      z.object({ name: z.string(), displayValue: z.string().optional() }),
      expecting('an array of team stats'),
    )
    .optional(),
});

export const boxAthleteSchema = z.object({
  athlete: z.object({
    id: idLike,
    displayName: z.string(),
    shortName: z.string().optional(),
    jersey: z.string().optional(),
    position: z.object({ abbreviation: z.string().optional() }).optional(),
  }),
  starter: z.boolean().optional(),
  didNotPlay: z.boolean().optional(),
  stats: z.array(z.string(), expecting('an array of stat strings')),
});

export const boxCategorySchema = z.object({
  name: z.string().optional(),
  keys: z.array(z.string(), expecting('an array of stat keys')),
  athletes: z.array(boxAthleteSchema, expecting('an array of athletes')),
});

export const boxPlayersSchema = z.array(
  z.object({
    team: teamRefSchema,
    statistics: z.array(boxCategorySchema, expecting('an array of stat categories')),
  }),
  expecting('an array of team box scores'),
);

export const boxscoreSchema = z.object(
  {
    teams: z.array(boxTeamSchema, expecting('an array of team box scores')).optional(),
    players: boxPlayersSchema.optional(),
  },
  expecting('a box score object'),
);

const playEndSchema = z.object({
  team: z.object({ id: idLike }).optional(),
  down: z.number().optional(),
  distance: z.number().optional(),
  yardLine: z.number().optional(),
  yardsToEndzone: z.number().optional(),
  downDistanceText: z.string().optional(),
});

export const playSchema = z.object({
  id: idLike,
  sequenceNumber: numberLike.optional(),
  type: z.object({ id: idLike.optional(), text: z.string() }).optional(),
  text: z.string().optional(),
  awayScore: numberLike,
  homeScore: numberLike,
  /** Baseball adds `type` ("Top"/"Bottom"); hockey may state "Shootout"; `displayValue` "Top 9th". */
  period: z.object({ number: z.number(), type: z.string().optional(), displayValue: z.string().optional() }),
  clock: z.object({ displayValue: z.string() }).optional(),
  scoringPlay: z.boolean().optional(),
  scoreValue: z.number().optional(),
  shootingPlay: z.boolean().optional(),
  team: z.object({ id: idLike }).optional(),
  participants: z.array(z.object({ athlete: z.object({ id: idLike }) })).optional(),
  wallclock: z.string().optional(),
  coordinate: z.object({ x: z.number(), y: z.number() }).optional(),
  start: playEndSchema.optional(),
  end: playEndSchema.optional(),
  statYardage: z.number().optional(),
  scoringType: z.object({ name: z.string().optional(), displayName: z.string().optional() }).optional(),
  /** Baseball: outs after the play. */
  outs: z.number().optional(),
  /** Hockey: the strength a goal was scored at ("Even Strength", "Power Play", "Shorthanded"). */
  strength: z.object({ text: z.string().optional(), abbreviation: z.string().optional() }).optional(),
  /** Hockey: an empty-net goal, when the feed states it. */
  emptyNet: z.boolean().optional(),
});
export type EspnPlay = z.output<typeof playSchema>;

/**
 * Win probability after a play (`winprobability[]`): home share 0..1, and for
 * football the share of a tie.
 */
export const winProbabilitySchema = z.object({
  playId: idLike,
  homeWinPercentage: z.number(),
  tiePercentage: z.number().optional(),
});

const driveSchema = z.object({
  id: idLike.optional(),
  team: z.object({ id: idLike }).optional(),
  start: z
    .object({
      period: z.object({ number: z.number() }).optional(),
      clock: z.object({ displayValue: z.string() }).optional(),
      yardLine: z.number().optional(),
    })
    .optional(),
  /** How the drive ended ("TD", "FG", "PUNT", "DOWNS", "INT" ...); absent while it goes on. */
  result: z.string().optional(),
  plays: z.array(playSchema, expecting('an array of plays')).optional(),
});

export const drivesSchema = z.object({
  previous: z.array(driveSchema, expecting('an array of drives')).optional(),
  current: driveSchema.optional(),
});

/** A game summary (`/apis/site/v2/sports/<sport>/<league>/summary?event=<id>`). */
export const summarySchema = z.object(
  {
    header: headerSchema,
    gameInfo: gameInfoSchema.optional(),
    boxscore: boxscoreSchema,
    plays: z.array(playSchema, expecting('an array of plays')).optional(),
    drives: drivesSchema.optional(),
    winprobability: z.array(winProbabilitySchema, expecting('an array of win probabilities')).optional(),
  },
  expecting('an ESPN summary object'),
);
export type EspnSummary = z.output<typeof summarySchema>;

/**
 * A summary whose plays are left unvalidated, for a live parser that validates
 * only the plays it has not seen (each with {@link playSchema}).
 */
export const looseSummarySchema = summarySchema.extend({
  plays: z.array(z.unknown(), expecting('an array of plays')).optional(),
  drives: z
    .object({
      previous: z
        .array(
          driveSchema.extend({ plays: z.array(z.unknown(), expecting('an array of plays')).optional() }),
          expecting('an array of drives'),
        )
        .optional(),
      current: driveSchema.extend({ plays: z.array(z.unknown()).optional() }).optional(),
    })
    .optional(),
});
export type EspnDrive = z.output<typeof driveSchema>;
export type EspnCompetitor = z.output<typeof competitorSchema>;
export type EspnBoxPlayers = z.output<typeof boxPlayersSchema>;
export type EspnBoxTeam = z.output<typeof boxTeamSchema>;
