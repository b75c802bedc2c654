import { z } from 'zod';
import type { GameFacts, PlayerFacts, StatLine, TeamFacts } from '../domain/index.ts';
import { type FactLookup, factLookup } from './grounding.ts';
import { nbaTeamByName } from './nba-teams.ts';

/**
 * RotoWire game records (Wiseman et al. 2017, as used by the INLG 2021
 * accuracy shared task): one JSON object per game with a column-wise box score
 * (`box_score.PTS["3"]` is player 3's points, "N/A" when he did not play),
 * each team's line (`home_line`, `vis_line`: TEAM-PTS_QTR1..4, TEAM-PTS,
 * TEAM-WINS, TEAM-LOSSES after the game, TEAM-AST, TEAM-REB, TEAM-TOV,
 * TEAM-FG_PCT, ...) and the date as `day` ("02_03_17" = MM_DD_YY).
 */

/** Bad facts input: the message names the file and the field. Exit code 2 in the CLI. */
export class FactsFormatError extends Error {
  override name = 'FactsFormatError';
}

const column = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
const line = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
const recordSchema = z.looseObject({
  home_name: z.string(),
  home_city: z.string(),
  vis_name: z.string(),
  vis_city: z.string(),
  day: z.string().regex(/^\d{2}_\d{2}_\d{2}$/, 'expected MM_DD_YY'),
  box_score: z.looseObject({
    PLAYER_NAME: column,
    TEAM_CITY: column,
    START_POSITION: column.optional(),
  }),
  home_line: line,
  vis_line: line,
});

/** The id of a RotoWire record: `shared_task_text_id`, else `id`, else `gameid`. */
export function rotowireRecordId(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const r = json as Record<string, unknown>;
  for (const key of ['shared_task_text_id', 'id', 'gameid', 'game_id']) {
    const v = r[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

/** One RotoWire game: the facts in the domain's shape, and the local date it was played. */
export interface RotoWireGame {
  facts: GameFacts;
  /** YYYY-MM-DD, the date of `day`. */
  localDate: string;
}

const PLAYER_STATS: Record<string, string> = {
  MIN: 'minutes',
  PTS: 'points',
  REB: 'rebounds',
  OREB: 'offensiveRebounds',
  DREB: 'defensiveRebounds',
  AST: 'assists',
  STL: 'steals',
  BLK: 'blocks',
  TO: 'turnovers',
  PF: 'fouls',
  FGM: 'fieldGoalsMade',
  FGA: 'fieldGoalsAttempted',
  FG3M: 'threePointFieldGoalsMade',
  FG3A: 'threePointFieldGoalsAttempted',
  FTM: 'freeThrowsMade',
  FTA: 'freeThrowsAttempted',
};

/**
 * Converts one RotoWire record into {@link GameFacts} (NBA, final). Players
 * are split between the teams by `TEAM_CITY`; when both teams share a city the
 * record's order decides (visitors' block first, each block opening with its
 * five starters). Overtime, which the line does not split, is one extra
 * period holding the points the quarters do not add up to. The start time is
 * midnight UTC of the date: the time of day is not in the record.
 *
 * @throws FactsFormatError naming `file` and the field when the record lacks what is used.
 */
export function parseRotoWireRecord(json: unknown, file = 'record'): RotoWireGame {
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(root)';
    throw new FactsFormatError(`${file}: ${path}: ${issue?.message ?? 'invalid RotoWire record'}`);
  }
  const r = parsed.data;
  const [mm, dd, yy] = r.day.split('_');
  const localDate = `20${yy}-${mm}-${dd}`;
  const home = team(r.home_name, r.home_city, r.home_line, 'home', `${file}: home_line`);
  const away = team(r.vis_name, r.vis_city, r.vis_line, 'away', `${file}: vis_line`);
  const players = playersOf(
    r.box_score,
    { team: home, city: r.home_city },
    { team: away, city: r.vis_city },
    file,
  );
  for (const t of [home, away]) {
    for (const [key] of Object.entries(PLAYER_STATS)) {
      const stat = PLAYER_STATS[key] as string;
      if (t.stats[stat] !== undefined) continue;
      const mine = players.filter((p) => p.teamId === t.id && !p.didNotPlay);
      if (mine.some((p) => p.stats[stat] !== undefined))
        t.stats[stat] = mine.reduce((sum, p) => sum + (p.stats[stat] ?? 0), 0);
    }
  }
  const periods = Math.max(home.linescores.length, away.linescores.length);
  const facts: GameFacts = {
    gameId: `rotowire:${rotowireRecordId(json) ?? `${localDate}-${away.abbreviation}-${home.abbreviation}`}`,
    league: 'nba',
    sport: 'basketball',
    state: 'post',
    startTime: `${localDate}T00:00:00Z`,
    period: periods,
    clock: '0:00',
    regulationPeriods: 4,
    away,
    home,
    players,
  };
  const arena = nbaTeamByName(home.name)?.arenas.at(-1);
  if (arena) facts.venue = { name: arena, city: home.location };
  return { facts, localDate };
}

/**
 * The {@link FactLookup} of a RotoWire record: {@link parseRotoWireRecord}'s
 * facts through {@link factLookup}, with the local date and every name the
 * home arena has had.
 */
export function rotowireLookup(game: RotoWireGame): FactLookup {
  const base = factLookup({ facts: game.facts });
  const arenas = nbaTeamByName(game.facts.home.name)?.arenas ?? [];
  return {
    ...base,
    localDate: game.localDate,
    venueAliases: arenas.filter((a) => a !== base.venue?.name),
    source: 'RotoWire box score',
  };
}

/**
 * Picks one record of a RotoWire JSON-lines file: by 0-based `record` index,
 * by `gameId` (the record's `shared_task_text_id`, `id` or `gameid`), or the
 * only line when the file has one.
 *
 * @throws FactsFormatError naming the file (and line) when the choice is missing, out of range or not JSON.
 */
export function selectRotoWireLine(
  contents: string,
  file: string,
  choice: { record?: number; gameId?: string },
): { json: unknown; where: string } {
  const lines = contents.split('\n').filter((l) => l.trim() !== '');
  const parseLine = (i: number): unknown => {
    try {
      return JSON.parse(lines[i] as string);
    } catch (error) {
      throw new FactsFormatError(`${file}: line ${i + 1}: not valid JSON (${(error as Error).message})`);
    }
  };
  if (choice.record !== undefined) {
    if (!Number.isInteger(choice.record) || choice.record < 0 || choice.record >= lines.length)
      throw new FactsFormatError(
        `${file}: --record ${choice.record}: the file has records 0..${lines.length - 1}`,
      );
    return { json: parseLine(choice.record), where: `${file}: line ${choice.record + 1}` };
  }
  if (choice.gameId !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if ((lines[i] as string).includes(choice.gameId)) {
        const json = parseLine(i);
        if (rotowireRecordId(json) === choice.gameId) return { json, where: `${file}: line ${i + 1}` };
      }
    }
    throw new FactsFormatError(
      `${file}: no record whose shared_task_text_id/id/gameid is "${choice.gameId}"`,
    );
  }
  if (lines.length === 1) return { json: parseLine(0), where: `${file}: line 1` };
  throw new FactsFormatError(
    `${file}: ${lines.length} records; choose one with --record N (0-based) or --game-id ID`,
  );
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function team(
  name: string,
  city: string,
  teamLine: Record<string, unknown>,
  homeAway: 'home' | 'away',
  where: string,
): TeamFacts {
  const known = nbaTeamByName(name);
  const score = num(teamLine['TEAM-PTS']);
  if (score === undefined) throw new FactsFormatError(`${where}.TEAM-PTS: expected a number`);
  const quarters: number[] = [];
  for (let q = 1; q <= 4; q++) {
    const v = num(teamLine[`TEAM-PTS_QTR${q}`]);
    if (v === undefined) break;
    quarters.push(v);
  }
  const played = quarters.reduce((a, b) => a + b, 0);
  if (quarters.length === 4 && score > played) quarters.push(score - played);
  const stats: StatLine = {};
  const teamStats: Record<string, string> = {
    'TEAM-AST': 'assists',
    'TEAM-REB': 'rebounds',
    'TEAM-TOV': 'turnovers',
    'TEAM-FG_PCT': 'fieldGoalPct',
    'TEAM-FG3_PCT': 'threePointFieldGoalPct',
    'TEAM-FT_PCT': 'freeThrowPct',
  };
  for (const [key, stat] of Object.entries(teamStats)) {
    const v = num(teamLine[key]);
    if (v !== undefined) stats[stat] = v;
  }
  const wins = num(teamLine['TEAM-WINS']);
  const losses = num(teamLine['TEAM-LOSSES']);
  const location = known?.locationAliases.includes(city) ? known.location : city;
  const facts: TeamFacts = {
    id: known?.abbreviation ?? `${city} ${name}`,
    name,
    location,
    displayName: `${location} ${name}`,
    abbreviation: known?.abbreviation ?? name.slice(0, 3).toUpperCase(),
    homeAway,
    score,
    linescores: quarters,
    stats,
  };
  if (wins !== undefined && losses !== undefined) facts.record = `${wins}-${losses}`;
  return facts;
}

function playersOf(
  box: Record<string, unknown>,
  homeSide: { team: TeamFacts; city: string },
  awaySide: { team: TeamFacts; city: string },
  file: string,
): PlayerFacts[] {
  const home = homeSide.team;
  const away = awaySide.team;
  const names = box.PLAYER_NAME as Record<string, unknown>;
  const cities = box.TEAM_CITY as Record<string, unknown>;
  const starts = (box.START_POSITION ?? {}) as Record<string, unknown>;
  const ids = Object.keys(names).sort((a, b) => Number(a) - Number(b));
  const sameCity = homeSide.city === awaySide.city;
  // Same city: the visitors' block comes first and the second block opens with five starters again.
  let secondBlock = ids.length;
  if (sameCity) {
    let startersSeen = 0;
    for (const [i, id] of ids.entries()) {
      if (isStarter(starts[id])) startersSeen++;
      if (startersSeen === 6) {
        secondBlock = i;
        break;
      }
    }
  }
  return ids.map((id, i) => {
    const name = names[id];
    if (typeof name !== 'string' || name.trim() === '')
      throw new FactsFormatError(`${file}: box_score.PLAYER_NAME.${id}: expected a name`);
    const city = String(cities[id] ?? '');
    let teamId: string;
    if (sameCity) teamId = i < secondBlock ? away.id : home.id;
    else if (city === homeSide.city) teamId = home.id;
    else if (city === awaySide.city) teamId = away.id;
    else throw new FactsFormatError(`${file}: box_score.TEAM_CITY.${id}: "${city}" is neither team's city`);
    const stats: StatLine = {};
    for (const [key, stat] of Object.entries(PLAYER_STATS)) {
      const v = num((box[key] as Record<string, unknown> | undefined)?.[id]);
      if (v !== undefined) stats[stat] = v;
    }
    const didNotPlay = Object.keys(stats).length === 0 || (stats.minutes ?? 0) === 0;
    const parts = name.trim().split(/\s+/);
    return {
      id: `rw:${id}`,
      name: name.trim(),
      shortName: parts.length > 1 ? `${parts[0]?.[0]}. ${parts.slice(1).join(' ')}` : name.trim(),
      teamId,
      starter: isStarter(starts[id]),
      didNotPlay,
      stats: didNotPlay ? {} : stats,
    };
  });
}

function isStarter(position: unknown): boolean {
  return typeof position === 'string' && /^[GFC]/.test(position.trim());
}
