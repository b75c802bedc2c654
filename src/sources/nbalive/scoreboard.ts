import { z } from 'zod';
import type { GameState } from '../../domain/index.ts';
import { expecting, parseOrThrow } from '../parse.ts';

/** A team as the liveData scoreboard names it. */
export interface NbaScoreboardTeam {
  teamId: string;
  /** "GSW", "NYK". */
  tricode: string;
  /** Nickname: "Warriors". */
  name: string;
  /** "Golden State". */
  city: string;
}

/** One game of a liveData scoreboard (`todaysScoreboard_00.json`). */
export interface NbaScoreboardGame {
  /** The league's game id ("0042200163"), as in the play-by-play and box score URLs. */
  gameId: string;
  state: GameState;
  /** Scheduled start, ISO UTC. */
  startTime: string;
  away: NbaScoreboardTeam;
  home: NbaScoreboardTeam;
}

const teamSchema = z.object({
  teamId: z.number(),
  teamName: z.string(),
  teamCity: z.string(),
  teamTricode: z.string(expecting('a team tricode')),
});

const scoreboardSchema = z.object(
  {
    scoreboard: z.object({
      gameDate: z.string().optional(),
      games: z.array(
        z.object({
          gameId: z.string(expecting('a game id string')),
          gameStatus: z.number(expecting('a game status (1 scheduled, 2 live, 3 final)')),
          gameTimeUTC: z.string(expecting('an ISO start time')),
          homeTeam: teamSchema,
          awayTeam: teamSchema,
        }),
        expecting('an array of games'),
      ),
    }),
  },
  expecting('a liveData scoreboard object'),
);

const STATES: Record<number, GameState> = { 1: 'pre', 2: 'in', 3: 'post' };

/**
 * Parses a cdn.nba.com (or cdn.wnba.com) liveData scoreboard
 * (`/static/json/liveData/scoreboard/todaysScoreboard_00.json`): each game's
 * id, state (gameStatus 1 pre, 2 in, 3 post), start and teams.
 *
 * @throws SourceFormatError naming `opts.file` and the JSON path when a part we use is missing.
 */
export function parseNbaLiveScoreboard(json: unknown, opts: { file?: string } = {}): NbaScoreboardGame[] {
  const { scoreboard } = parseOrThrow(
    scoreboardSchema,
    json,
    opts.file === undefined ? {} : { file: opts.file },
  );
  const team = (t: z.output<typeof teamSchema>): NbaScoreboardTeam => ({
    teamId: String(t.teamId),
    tricode: t.teamTricode,
    name: t.teamName,
    city: t.teamCity,
  });
  return scoreboard.games.map((g) => ({
    gameId: g.gameId,
    state: STATES[g.gameStatus] ?? 'pre',
    startTime: new Date(Date.parse(g.gameTimeUTC)).toISOString(),
    away: team(g.awayTeam),
    home: team(g.homeTeam),
  }));
}
