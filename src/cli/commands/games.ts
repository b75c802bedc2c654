import { parseArgs } from 'node:util';
import { loadConfig } from '../../app/config.ts';
import { UserInputError } from '../../app/errors.ts';
import { isLeague } from '../../domain/league.ts';
import type { MonitorStatus } from '../../sources/live/index.ts';
import { openStore } from '../../store/store.ts';
import { loopbackUrl } from '../control.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_CONFIG } from './defaults.ts';
import { serverOwningFolder } from './operator-backend.ts';

interface GameRow {
  gameId: string;
  league: string;
  state: string;
  lastPlay: string;
  pollIntervalMs: number | null;
  status: string;
}

/**
 * `wirereport games [--league L] [--json] [--config FILE] [--api URL --token T]`:
 * the games being watched, with their state, last play and poll interval.
 * Asks the running engine (--api or WIREREPORT_URL, else the server owning the
 * data folder, else the configured address; --token or WIREREPORT_TOKEN, else
 * that server's local control credential); when none answers, lists the
 * games the store knows.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      league: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      data: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
    },
  });
  if (values.league !== undefined && !isLeague(values.league)) {
    throw new UserInputError(`--league: unknown league "${values.league}" (nba, wnba, nfl, mlb, nhl)`);
  }
  const config = loadConfig(values.config ?? DEFAULT_CONFIG, {
    env: io.env,
    ...(values.data ? { dataDir: values.data } : {}),
  });
  // The server named (--api, WIREREPORT_URL), else the one owning the data
  // folder (its control credential), else the configured address.
  const named = values.api ?? io.env.WIREREPORT_URL;
  const owner = named || io.env.DATABASE_URL ? null : serverOwningFolder(config.dataDir);
  const url = named ?? owner?.url ?? loopbackUrl(config.http.host, config.http.port);
  const token = values.token ?? io.env.WIREREPORT_TOKEN ?? owner?.token;
  let rows: GameRow[] | undefined;
  let source = `engine at ${url}`;
  try {
    const response = await fetch(`${url}/api/live/games`, {
      signal: AbortSignal.timeout(2000),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (response.ok) {
      const body = (await response.json()) as { games: MonitorStatus[] };
      rows = body.games.map((g) => ({
        gameId: g.gameId,
        league: g.league,
        state: g.gameState ?? 'unknown',
        lastPlay: g.lastPlayText ?? '',
        pollIntervalMs: g.pollIntervalMs ?? null,
        status: g.status,
      }));
    } else if (response.status === 401 || response.status === 403) {
      throw new UserInputError(
        `${url}: the engine refused the request (${response.status}); set WIREREPORT_TOKEN`,
      );
    }
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    // No engine answering: fall back to the store.
  }
  if (!rows) {
    source = 'store (no engine running)';
    const store = await openStore(
      io.env.DATABASE_URL ? { databaseUrl: io.env.DATABASE_URL } : { dataDir: config.dataDir },
    );
    try {
      const games = await store.db
        .selectFrom('games')
        .selectAll()
        .orderBy('updated_at', 'desc')
        .limit(200)
        .execute();
      rows = [];
      for (const g of games) {
        const last = await store.db
          .selectFrom('events')
          .select(['payload'])
          .where('game_id', '=', g.id)
          .orderBy('sequence', 'desc')
          .limit(1)
          .executeTakeFirst();
        rows.push({
          gameId: g.id,
          league: g.league,
          state: g.state,
          lastPlay: String((last?.payload as { text?: unknown } | undefined)?.text ?? ''),
          pollIntervalMs: null,
          status: 'stored',
        });
      }
    } finally {
      await store.close();
    }
  }
  const shown = rows.filter((r) => values.league === undefined || r.league === values.league);
  if (values.json) {
    io.stdout(`${JSON.stringify({ source, games: shown })}\n`);
    return 0;
  }
  io.stdout(`${shown.length} game(s) from the ${source}\n`);
  for (const r of shown) {
    const poll = r.pollIntervalMs === null ? '' : ` poll ${(r.pollIntervalMs / 1000).toFixed(1)} s`;
    io.stdout(
      `${r.league.toUpperCase().padEnd(4)} ${r.gameId.padEnd(18)} ${r.state.padEnd(5)} ${r.status}${poll}  ${r.lastPlay}\n`,
    );
  }
  return 0;
}
