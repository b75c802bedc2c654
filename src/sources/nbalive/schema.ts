import { z } from 'zod';
import { expecting } from '../parse.ts';

/**
 * The parts of cdn.nba.com liveData JSON we rely on
 * (`/static/json/liveData/playbyplay/playbyplay_<gameId>.json` and
 * `/static/json/liveData/boxscore/boxscore_<gameId>.json`). Objects are
 * non-strict: the feed adds fields freely.
 */

/** A number, or a string holding one ("125"). */
const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);
const flag = z.union([z.string(), z.number(), z.boolean()]).transform((v) => v === true || String(v) === '1');

export const actionSchema = z.object({
  actionNumber: z.number(expecting('an action number')),
  orderNumber: z.number().optional(),
  clock: z.string(expecting('an ISO duration clock ("PT11M38.00S")')),
  timeActual: z.string().optional(),
  edited: z.string().optional(),
  period: z.number(),
  periodType: z.string().optional(),
  teamId: z.number().optional(),
  teamTricode: z.string().optional(),
  actionType: z.string(),
  subType: z.string().optional(),
  descriptor: z.string().optional(),
  qualifiers: z.array(z.string()).optional(),
  personId: z.number().optional(),
  playerNameI: z.string().optional(),
  scoreHome: numberLike,
  scoreAway: numberLike,
  shotResult: z.string().optional(),
  isFieldGoal: z.number().optional(),
  shotDistance: z.number().optional(),
  pointsTotal: z.number().optional(),
  assistPersonId: z.number().optional(),
  assistPlayerNameInitial: z.string().optional(),
  description: z.string().optional(),
  personIdsFilter: z.array(z.number()).optional(),
});
export type NbaAction = z.output<typeof actionSchema>;

export const playByPlaySchema = z.object(
  {
    game: z.object(
      {
        gameId: z.string(expecting('a game id string')),
        actions: z.array(actionSchema, expecting('an array of actions')),
      },
      expecting('a game object'),
    ),
  },
  expecting('a liveData play-by-play object'),
);

const statsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

export const boxPlayerSchema = z.object({
  personId: z.number(),
  name: z.string(),
  nameI: z.string().optional(),
  jerseyNum: z.string().optional(),
  position: z.string().optional(),
  starter: flag.optional(),
  played: flag.optional(),
  status: z.string().optional(),
  statistics: statsSchema,
});

export const boxTeamSchema = z.object({
  teamId: z.number(),
  teamName: z.string(),
  teamCity: z.string(),
  teamTricode: z.string(),
  score: numberLike.optional(),
  periods: z.array(z.object({ period: z.number(), score: numberLike })).optional(),
  players: z.array(boxPlayerSchema, expecting('an array of players')).optional(),
  statistics: statsSchema.optional(),
});

export const boxscoreSchema = z.object(
  {
    game: z.object(
      {
        gameId: z.string(expecting('a game id string')),
        gameTimeUTC: z.string(),
        gameStatus: z.number(expecting('a game status (1 scheduled, 2 live, 3 final)')),
        gameStatusText: z.string().optional(),
        period: z.number().optional(),
        gameClock: z.string().optional(),
        regulationPeriods: z.number().optional(),
        attendance: z.number().optional(),
        arena: z
          .object({
            arenaName: z.string(),
            arenaCity: z.string().optional(),
            arenaState: z.string().optional(),
          })
          .optional(),
        homeTeam: boxTeamSchema,
        awayTeam: boxTeamSchema,
      },
      expecting('a game object'),
    ),
  },
  expecting('a liveData box score object'),
);
export type NbaBoxTeam = z.output<typeof boxTeamSchema>;
