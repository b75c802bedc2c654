import type { GameEvent } from '../../domain/event.ts';
import type { GameFacts, PlayerFacts, StatLine, TeamFacts } from '../../domain/facts.ts';

/**
 * The facts a model checks a text against, as compact JSON data: the teams with their line scores and
 * totals, and every player's stat line. Basketball lines are a table (one row per player, one column
 * per stat, shooting as made-attempted) to keep the prompt small; other sports list each player's
 * non-zero stats by their canonical names.
 */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Basketball columns: single stats by canonical name, shooting pairs as "made-attempted". */
const BASKETBALL_COLUMNS: readonly (readonly [string, string | readonly [string, string]])[] = [
  ['MIN', 'minutes'],
  ['PTS', 'points'],
  ['REB', 'rebounds'],
  ['OREB', 'offensiveRebounds'],
  ['DREB', 'defensiveRebounds'],
  ['AST', 'assists'],
  ['STL', 'steals'],
  ['BLK', 'blocks'],
  ['TO', 'turnovers'],
  ['PF', 'fouls'],
  ['FG', ['fieldGoalsMade', 'fieldGoalsAttempted']],
  ['3PT', ['threePointFieldGoalsMade', 'threePointFieldGoalsAttempted']],
  ['FT', ['freeThrowsMade', 'freeThrowsAttempted']],
];

function cell(stats: StatLine, col: string | readonly [string, string]): string | number | null {
  if (typeof col === 'string') return stats[col] ?? null;
  const made = stats[col[0]];
  const attempted = stats[col[1]];
  return made === undefined || attempted === undefined ? null : `${made}-${attempted}`;
}

function nonZero(stats: StatLine): StatLine {
  const out: StatLine = {};
  for (const [k, v] of Object.entries(stats)) if (v !== 0) out[k] = v;
  return out;
}

function percent(made: number | undefined, attempted: number | undefined): number | undefined {
  return made === undefined || attempted === undefined || attempted === 0
    ? undefined
    : Math.round((made / attempted) * 1000) / 10;
}

function teamData(t: TeamFacts, opponent: TeamFacts, game: GameFacts): Record<string, unknown> {
  const basketball = game.sport === 'basketball';
  const s = t.stats;
  return {
    side: t.homeAway,
    name: t.displayName,
    abbreviation: t.abbreviation,
    score: t.score,
    ...(game.state === 'post'
      ? { result: t.score > opponent.score ? 'won' : t.score < opponent.score ? 'lost' : 'tied' }
      : {}),
    ...(t.record ? { recordAfterGame: t.record } : {}),
    periods: t.linescores,
    totals: basketball
      ? {
          ...Object.fromEntries(
            BASKETBALL_COLUMNS.filter(([name]) => name !== 'MIN').map(([name, col]) => [name, cell(s, col)]),
          ),
          'FG%': percent(s.fieldGoalsMade, s.fieldGoalsAttempted),
          '3PT%': percent(s.threePointFieldGoalsMade, s.threePointFieldGoalsAttempted),
          'FT%': percent(s.freeThrowsMade, s.freeThrowsAttempted),
        }
      : nonZero(s),
  };
}

function playerRow(p: PlayerFacts, team: string): (string | number | boolean | null)[] {
  return [
    p.name,
    team,
    p.starter,
    ...(p.didNotPlay
      ? BASKETBALL_COLUMNS.map(() => null)
      : BASKETBALL_COLUMNS.map(([, c]) => cell(p.stats, c))),
  ];
}

/**
 * The facts of `game` as JSON data for a prompt. `localDate` (YYYY-MM-DD, where the game was played)
 * adds the date and weekday; `event` (a live post's moment) adds the period, clock, score and play
 * the post is about, since a live box score is the game so far.
 */
export function factsData(
  game: GameFacts,
  options: { localDate?: string; event?: GameEvent } = {},
): Record<string, unknown> {
  const abbr = (teamId: string) =>
    teamId === game.home.id ? game.home.abbreviation : teamId === game.away.id ? game.away.abbreviation : '?';
  const date = options.localDate ?? game.startTime.slice(0, 10);
  const day = new Date(`${date}T12:00:00Z`);
  const players = game.players;
  const event = options.event;
  return {
    league: game.league,
    state: game.state === 'post' ? 'final' : game.state === 'in' ? 'in progress' : 'not started',
    date,
    ...(Number.isNaN(day.getTime()) ? {} : { weekday: WEEKDAYS[day.getUTCDay()] }),
    ...(game.venue ? { venue: game.venue.name } : {}),
    ...(game.note ? { note: game.note } : {}),
    regulationPeriods: game.regulationPeriods,
    teams: [teamData(game.away, game.home, game), teamData(game.home, game.away, game)],
    ...(game.sport === 'basketball'
      ? {
          playerColumns: ['name', 'team', 'starter', ...BASKETBALL_COLUMNS.map(([name]) => name)],
          players: players.map((p) => playerRow(p, abbr(p.teamId))),
        }
      : {
          players: players.map((p) => ({
            name: p.name,
            team: abbr(p.teamId),
            ...(p.didNotPlay ? { didNotPlay: true } : { stats: nonZero(p.stats) }),
          })),
        }),
    ...(event
      ? {
          moment: {
            event: event.kind,
            period: event.period,
            clock: event.clock,
            awayScore: event.awayScore,
            homeScore: event.homeScore,
            play: event.text,
          },
        }
      : {}),
  };
}
