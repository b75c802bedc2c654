import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { GameEvent } from '../domain/event.ts';
import type { GameFacts } from '../domain/facts.ts';
import { isLeague, type League } from '../domain/league.ts';
import { SourceFormatError } from '../sources/errors.ts';
import { parseEspnScoreboard } from '../sources/espn/scoreboard.ts';
import { parseEspnSummary } from '../sources/espn/summary.ts';
import { UserInputError } from './errors.ts';

/** A recorded source file turned into the games and events it holds. */
export interface Recording {
  file: string;
  kind: 'espn-summary' | 'espn-scoreboard';
  league: League;
  games: GameFacts[];
  events: GameEvent[];
}

function leagueFrom(values: unknown[]): League | undefined {
  for (const v of values) {
    if (typeof v === 'string' && isLeague(v.toLowerCase())) return v.toLowerCase() as League;
  }
  return undefined;
}

/**
 * Reads a recorded ESPN file (game summary or scoreboard). Bad input becomes
 * a UserInputError naming the file and the field: truncated JSON, an unknown
 * shape, a summary without a box score.
 */
export async function loadRecording(file: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserInputError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${file}: invalid JSON (${(error as Error).message})`);
  }
  const name = basename(file);
  const obj = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  try {
    if ('header' in obj) {
      const header = obj.header as { league?: { slug?: unknown; abbreviation?: unknown } } | undefined;
      const league = leagueFrom([header?.league?.slug, header?.league?.abbreviation]);
      if (!league)
        throw new UserInputError(`${file}: header.league: expected a league slug (nba, wnba, nfl, mlb, nhl)`);
      const parsed = parseEspnSummary(json, { league, file: name });
      return { file, kind: 'espn-summary', league, games: [parsed.facts], events: parsed.events };
    }
    if (Array.isArray(obj.events) && Array.isArray(obj.leagues)) {
      const first = obj.leagues[0] as { slug?: unknown; abbreviation?: unknown } | undefined;
      const league = leagueFrom([first?.slug, first?.abbreviation]);
      if (!league)
        throw new UserInputError(
          `${file}: leagues[0].slug: expected a league slug (nba, wnba, nfl, mlb, nhl)`,
        );
      const games = parseEspnScoreboard(json, { league, file: name });
      const events: GameEvent[] = games
        .filter((g) => g.state === 'post')
        .map((g) => ({
          id: `espn:${g.espnId}:scoreboard:final`,
          source: 'espn',
          league,
          gameId: g.gameId,
          kind: 'final' as const,
          sequence: 0,
          occurredAt: Date.parse(g.startTime) + 3 * 3600_000,
          text: g.statusDetail,
          period: g.period,
          clock: g.clock,
          awayScore: g.away.score,
          homeScore: g.home.score,
          scoreValue: 0,
          players: [],
          detail: {},
          game: g.facts,
        }));
      return { file, kind: 'espn-scoreboard', league, games: games.map((g) => g.facts), events };
    }
  } catch (error) {
    if (error instanceof SourceFormatError) throw new UserInputError(error.message, { cause: error });
    throw error;
  }
  throw new UserInputError(
    `${file}: not a recording this engine reads: expected an ESPN game summary (with "header" and "boxscore") or scoreboard (with "leagues" and "events")`,
  );
}
