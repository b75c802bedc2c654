import type {
  EventKind,
  GameEvent,
  GameFacts,
  League,
  PlayerFacts,
  StatLine,
  TeamFacts,
} from '../../domain/index.ts';
import { SPORT_OF } from '../../domain/index.ts';
import { RunningGame, type StatDelta, shortNameOf } from '../espn/index.ts';
import { parseOrThrow } from '../parse.ts';
import { nbaLiveGameId } from './boxscore.ts';
import { displayClock } from './clock.ts';
import { type NbaAction, playByPlaySchema } from './schema.ts';

/** A liveData play-by-play turned into domain values, in the shape of the ESPN source's `ParsedGame`. */
export interface ParsedNbaLiveGame {
  /** The box score's facts when given; otherwise the game as far as the actions tell it. */
  facts: GameFacts;
  /** One event per action, in the feed's order. */
  events: GameEvent[];
}

/** The basketball counters replayed from the actions, all starting at 0. */
const RUNNING_STATS = [
  'points',
  'fieldGoalsMade',
  'fieldGoalsAttempted',
  'threePointFieldGoalsMade',
  'threePointFieldGoalsAttempted',
  'freeThrowsMade',
  'freeThrowsAttempted',
  'rebounds',
  'offensiveRebounds',
  'defensiveRebounds',
  'assists',
  'steals',
  'blocks',
  'turnovers',
  'fouls',
] as const;

/** Stable event id of an action. */
export function nbaLiveEventId(gameId: string, actionNumber: number): string {
  return `nbalive:${gameId}:action:${actionNumber}`;
}

/**
 * Parses a cdn.nba.com liveData play-by-play (`{ game: { gameId, actions[] } }`)
 * into one `GameEvent` per action, ids `nbalive:<gameId>:action:<actionNumber>`,
 * with participants' running stat lines and a game snapshot, like
 * `parseEspnSummary`. Each event's `detail` keeps `actionNumber`, `actionType`,
 * `subType`, `timeActual` and `edited` (the feed's own timestamps, so the lag
 * of a poller can be measured), and for shots `shootingPlay`/`made`.
 *
 * Kinds: the first action opens the game ('game_start'), "period end" is
 * 'period_end', "game end" is 'final', a made shot or free throw is 'score', a
 * turnover 'turnover', anything else 'play'.
 *
 * `opts.box` (from {@link parseNbaLiveBoxscore}) gives team names and the
 * roster with full names; the final event then carries it as its `game` when the
 * box is final. Without it, teams and players are taken from the actions
 * (tricodes, "K. Durant" names); home is the team whose basket raised
 * `scoreHome` (before any basket, the second team seen is taken as home).
 *
 * @throws SourceFormatError naming `opts.file` and the JSON path when an action lacks what we use.
 */
export function parseNbaLivePlayByPlay(
  json: unknown,
  opts: { league: League; file?: string; box?: GameFacts },
): ParsedNbaLiveGame {
  const { game } = parseOrThrow(playByPlaySchema, json, opts.file === undefined ? {} : { file: opts.file });
  const { actions } = game;
  const facts = opts.box ?? factsFromActions(game.gameId, actions, opts.league);
  const running = new RunningGame(facts, (p) =>
    p.didNotPlay ? {} : Object.fromEntries(RUNNING_STATS.map((name) => [name, 0])),
  );
  const events: GameEvent[] = [];
  let lastTime = Date.parse(facts.startTime) || 0;
  actions.forEach((action, index) => {
    running.apply(deltasOf(action));
    running.setScore(action.scoreAway, action.scoreHome, action.period);
    const parsed = action.timeActual === undefined ? Number.NaN : Date.parse(action.timeActual);
    if (!Number.isNaN(parsed)) lastTime = parsed;
    const kind: EventKind = index === 0 && kindOf(action) === 'play' ? 'game_start' : kindOf(action);
    const clock = displayClock(action.clock);
    const made = action.shotResult === 'Made';
    const detail: GameEvent['detail'] = { actionNumber: action.actionNumber, actionType: action.actionType };
    if (action.subType) detail.subType = action.subType;
    if (action.descriptor) detail.descriptor = action.descriptor;
    if (action.timeActual) detail.timeActual = action.timeActual;
    if (action.edited) detail.edited = action.edited;
    if (action.shotResult) {
      detail.shootingPlay = true;
      detail.made = made;
    }
    if (action.shotDistance !== undefined) detail.shotDistance = action.shotDistance;
    const ids = [action.personId, action.assistPersonId].filter((id): id is number => !!id).map(String);
    const event: GameEvent = {
      id: nbaLiveEventId(game.gameId, action.actionNumber),
      source: 'nbalive',
      league: opts.league,
      gameId: facts.gameId,
      kind,
      sequence: action.orderNumber ?? action.actionNumber,
      occurredAt: lastTime,
      text: (action.description ?? [action.actionType, action.subType].filter(Boolean).join(' ')).trim(),
      period: action.period,
      clock,
      awayScore: action.scoreAway,
      homeScore: action.scoreHome,
      scoreValue: made ? pointsOf(action) : 0,
      players: running.eventPlayers(ids),
      detail,
      game:
        kind === 'final'
          ? facts.state === 'post'
            ? facts
            : { ...running.snapshot(action.period, clock), state: 'post' }
          : running.snapshot(action.period, clock),
    };
    if (action.teamId) event.teamId = String(action.teamId);
    events.push(event);
  });
  return { facts, events };
}

function kindOf(action: NbaAction): EventKind {
  if (action.actionType === 'game' && action.subType === 'end') return 'final';
  if (action.actionType === 'period' && action.subType === 'end') return 'period_end';
  if (action.shotResult === 'Made') return 'score';
  if (action.actionType === 'turnover') return 'turnover';
  return 'play';
}

function pointsOf(action: NbaAction): number {
  if (action.actionType === '3pt') return 3;
  if (action.actionType === '2pt') return 2;
  if (action.actionType === 'freethrow') return 1;
  return 0;
}

/**
 * Stat increments of one action. liveData lists steals and blocks as actions
 * of their own, so a turnover's `stealPersonId` and a miss's `blockPersonId`
 * are not counted again. Team actions (personId 0) credit nobody.
 */
export function deltasOf(action: NbaAction): StatDelta[] {
  const person = action.personId ? String(action.personId) : undefined;
  if (!person) return [];
  const made = action.shotResult === 'Made';
  switch (action.actionType) {
    case '2pt':
    case '3pt': {
      const three = action.actionType === '3pt';
      const stats: StatLine = {
        fieldGoalsAttempted: 1,
        fieldGoalsMade: made ? 1 : 0,
        points: made ? pointsOf(action) : 0,
      };
      if (three) {
        stats.threePointFieldGoalsAttempted = 1;
        stats.threePointFieldGoalsMade = made ? 1 : 0;
      }
      const deltas: StatDelta[] = [{ playerId: person, stats }];
      if (made && action.assistPersonId)
        deltas.push({ playerId: String(action.assistPersonId), stats: { assists: 1 } });
      return deltas;
    }
    case 'freethrow':
      return [
        {
          playerId: person,
          stats: { freeThrowsAttempted: 1, freeThrowsMade: made ? 1 : 0, points: made ? 1 : 0 },
        },
      ];
    case 'rebound': {
      const side = action.subType === 'offensive' ? 'offensiveRebounds' : 'defensiveRebounds';
      return [{ playerId: person, stats: { rebounds: 1, [side]: 1 } }];
    }
    case 'turnover':
      return [{ playerId: person, stats: { turnovers: 1 } }];
    case 'steal':
      return [{ playerId: person, stats: { steals: 1 } }];
    case 'block':
      return [{ playerId: person, stats: { blocks: 1 } }];
    case 'foul':
      return action.subType === 'technical' ? [] : [{ playerId: person, stats: { fouls: 1 } }];
    default:
      return [];
  }
}

/** Teams and players as far as the actions tell them, for a play-by-play parsed without its box score. */
function factsFromActions(gameId: string, actions: readonly NbaAction[], league: League): GameFacts {
  const teams: { id: string; tricode: string }[] = [];
  const players = new Map<string, PlayerFacts>();
  let homeId: string | undefined;
  let previousHome = 0;
  for (const action of actions) {
    const teamId = action.teamId ? String(action.teamId) : undefined;
    if (teamId && !teams.some((t) => t.id === teamId))
      teams.push({ id: teamId, tricode: action.teamTricode ?? teamId });
    if (homeId === undefined && teamId && action.shotResult === 'Made' && action.scoreHome > previousHome)
      homeId = teamId;
    previousHome = action.scoreHome;
    if (teamId && action.personId && action.playerNameI)
      addPlayer(players, String(action.personId), action.playerNameI, teamId);
    if (teamId && action.assistPersonId && action.assistPlayerNameInitial)
      addPlayer(players, String(action.assistPersonId), action.assistPlayerNameInitial, teamId);
  }
  const home = teams.find((t) => t.id === homeId) ?? teams[1] ?? teams[0];
  const away = teams.find((t) => t !== home);
  const team = (t: { id: string; tricode: string } | undefined, homeAway: 'home' | 'away'): TeamFacts => ({
    id: t?.id ?? homeAway,
    name: t?.tricode ?? homeAway,
    location: '',
    displayName: t?.tricode ?? homeAway,
    abbreviation: t?.tricode ?? homeAway,
    homeAway,
    score: 0,
    linescores: [],
    stats: {},
  });
  const last = actions.at(-1);
  const ended = last?.actionType === 'game' && last.subType === 'end';
  const first = actions.find((a) => a.timeActual !== undefined);
  return {
    gameId: nbaLiveGameId(gameId),
    league,
    sport: SPORT_OF[league],
    state: actions.length === 0 ? 'pre' : ended ? 'post' : 'in',
    startTime: new Date(first?.timeActual ? Date.parse(first.timeActual) : 0).toISOString(),
    period: last?.period ?? 0,
    clock: last ? displayClock(last.clock) : '',
    regulationPeriods: 4,
    away: { ...team(away, 'away'), score: last?.scoreAway ?? 0 },
    home: { ...team(home, 'home'), score: last?.scoreHome ?? 0 },
    players: [...players.values()],
  };
}

function addPlayer(players: Map<string, PlayerFacts>, id: string, name: string, teamId: string): void {
  if (players.has(id)) return;
  players.set(id, {
    id,
    name,
    shortName: shortNameOf(name),
    teamId,
    starter: false,
    didNotPlay: false,
    stats: {},
  });
}
