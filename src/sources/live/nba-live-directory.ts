import type { League } from '../../domain/index.ts';
import type { ScoreboardGame } from '../espn/index.ts';
import type { Clock, FeedFetcher } from '../http/index.ts';
import { matchNbaGame, type NbaScoreboardGame, parseNbaLiveScoreboard } from '../nbalive/index.ts';
import type { NbaLiveFeed, NbaLiveResolver } from './game-monitor.ts';

/** Default liveData roots: the NBA's and the WNBA's CDNs. */
export const NBA_LIVE_DATA: Partial<Record<League, string>> = {
  nba: 'https://cdn.nba.com/static/json/liveData',
  wnba: 'https://cdn.wnba.com/static/json/liveData',
};

/** League codes of the liveData scoreboard file names (`todaysScoreboard_00.json`). */
const LEAGUE_CODES: Partial<Record<League, string>> = { nba: '00', wnba: '10' };

/** Whether the league has a liveData feed. */
export function hasLiveData(league: League): boolean {
  return LEAGUE_CODES[league] !== undefined;
}

export interface NbaLiveDirectoryOptions {
  fetcher: FeedFetcher;
  clock: Clock;
  league: League;
  /** liveData root, e.g. "https://cdn.nba.com/static/json/liveData" (default per league: {@link NBA_LIVE_DATA}). */
  baseUrl?: string;
  /** How long a scoreboard read answers before it is read again for a game not in it. Default 60000 ms. */
  refreshMs?: number;
}

/**
 * Maps ESPN games to the league's liveData feeds through the league's own
 * scoreboard of the day (`<root>/scoreboard/todaysScoreboard_<code>.json`):
 * the same teams (nicknames, or ESPN abbreviations mapped to tricodes) starting
 * within a few hours (see `matchNbaGame`). The scoreboard is read once for all
 * the games of a slate and again at most every `refreshMs` while a game is not
 * in it; a failed read answers "not known yet" and is retried on a later poll.
 */
export class NbaLiveDirectory {
  readonly #o: NbaLiveDirectoryOptions & { baseUrl: string; refreshMs: number };
  readonly #scoreboardUrl: string;
  #games: NbaScoreboardGame[] = [];
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | undefined;

  constructor(options: NbaLiveDirectoryOptions) {
    const baseUrl = (options.baseUrl ?? NBA_LIVE_DATA[options.league] ?? '').replace(/\/+$/, '');
    const code = LEAGUE_CODES[options.league];
    if (!baseUrl || code === undefined) throw new Error(`liveData: no feed for the ${options.league} league`);
    this.#o = { ...options, baseUrl, refreshMs: options.refreshMs ?? 60_000 };
    this.#scoreboardUrl = `${baseUrl}/scoreboard/todaysScoreboard_${code}.json`;
  }

  /** The feeds of a league game id. */
  feedOf(gameId: string): NbaLiveFeed {
    return {
      playByPlayUrl: `${this.#o.baseUrl}/playbyplay/playbyplay_${gameId}.json`,
      boxscoreUrl: `${this.#o.baseUrl}/boxscore/boxscore_${gameId}.json`,
    };
  }

  /** A resolver for a monitor of this ESPN game (see `NbaLiveResolver`). */
  resolver(game: ScoreboardGame): NbaLiveResolver {
    return async (signal) => {
      const ref = {
        startTime: game.startTime,
        away: { abbreviation: game.away.abbreviation, name: game.away.name },
        home: { abbreviation: game.home.abbreviation, name: game.home.name },
      };
      let found = matchNbaGame(ref, this.#games);
      if (!found && this.#o.clock.now() - this.#readAt >= this.#o.refreshMs) {
        await this.#read(signal);
        found = matchNbaGame(ref, this.#games);
      }
      return found ? this.feedOf(found.gameId) : undefined;
    };
  }

  /** One read of the scoreboard shared by every game asking at the same time. */
  async #read(signal: AbortSignal): Promise<void> {
    this.#reading ??= (async () => {
      try {
        const result = await this.#o.fetcher.fetchJson(this.#scoreboardUrl, { signal });
        if (result.kind === 'ok')
          this.#games = parseNbaLiveScoreboard(result.json, { file: this.#scoreboardUrl });
        this.#readAt = this.#o.clock.now();
      } finally {
        this.#reading = undefined;
      }
    })();
    await this.#reading;
  }
}
