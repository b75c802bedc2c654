import type { GameEvent, GameFacts, League, PlayerFacts, Sport, TeamFacts } from '../domain/index.ts';

/**
 * What a draft is checked against: the facts of the game and, for a live post,
 * the event it was written from (whose `game` is the box score so far).
 */
export interface GroundingContext {
  facts: GameFacts;
  event?: GameEvent;
}

export interface TeamRef {
  id: string;
  name: string;
  location: string;
  displayName: string;
  abbreviation: string;
  homeAway: 'home' | 'away';
}

export interface PlayerRef {
  id: string;
  name: string;
  shortName: string;
  teamId: string;
  didNotPlay: boolean;
}

/** Score of both teams at one moment ("after the 2nd quarter", "final"). */
export interface ScoreLine {
  away: number;
  home: number;
  /** "final", "so far", "after period 2", "in period 3". */
  label: string;
}

/**
 * The only way claim extraction reads facts. It keeps the rules independent of
 * the fact format: a later source (a play-by-play, a hand-annotated summary)
 * grounds drafts by implementing this interface.
 *
 * Stat values are `undefined` when the facts do not know them (a stat the
 * source does not report), never a guessed zero.
 */
export interface FactLookup {
  readonly league: League;
  readonly sport: Sport;
  readonly teams: readonly TeamRef[];
  readonly players: readonly PlayerRef[];
  /** Whether the game is over (a final box score, or a `final` event). */
  readonly isFinal: boolean;
  /** Regulation periods of the sport. */
  readonly regulationPeriods: number;
  /** The current period (live) or the last period played (final); 0 before the start. */
  readonly period: number;
  /** The game clock when it is known to be "now" (a live event), else undefined. */
  readonly clock: string | undefined;
  readonly venue: { name: string; city?: string } | undefined;
  /** Other names of the same venue (an arena renamed over the years); empty when none are known. */
  readonly venueAliases: readonly string[];
  /**
   * The calendar date (YYYY-MM-DD) where the game was played, for weekdays and
   * "Friday's game"; undefined when unknown.
   */
  readonly localDate: string | undefined;
  readonly note: string | undefined;
  readonly startTime: string;
  /** Where the values come from, for `groundedIn` ("final box score", "box score so far"). */
  readonly source: string;
  /** Whether the player started; undefined when the facts do not say. */
  starter(playerId: string): boolean | undefined;
  /** A player's stat; 0 when the player played and has no entry for it. */
  playerStat(playerId: string, key: string): number | undefined;
  /** A team's stat from its totals, else the sum over its players; undefined when nobody has it. */
  teamStat(teamId: string, key: string): number | undefined;
  /** The score now (live) or final. */
  score(): ScoreLine;
  /** Cumulative score at the end of `period` (1-based), when linescores reach it. */
  scoreAfter(period: number): ScoreLine | undefined;
  /** Points of each team in `period` alone. */
  scoreIn(period: number): ScoreLine | undefined;
  record(teamId: string): string | undefined;
  /** The winner's id when the game is over, undefined while it is not (or on a tie). */
  winnerId(): string | undefined;
  /** The run in progress reported by the event (`detail.runPoints`/`runAgainst`), if any. */
  run(): { points: number; against: number; teamId?: string } | undefined;
  /** Yards of the play the event reports (`detail.yards`), if any. */
  playYards(): { yards: number; playerIds: string[] } | undefined;
  /** Largest lead a team had, when the facts know it. */
  largestLead(teamId: string): number | undefined;
}

/**
 * Builds the {@link FactLookup} of a context: the event's snapshot (`event.game`)
 * when there is an event, with its players' stat lines as of the event taking
 * precedence; the final facts otherwise.
 */
export function factLookup(ctx: GroundingContext): FactLookup {
  const key: object = ctx.event ?? ctx.facts;
  const known = LOOKUPS.get(key);
  if (known) return known;
  const built = buildFactLookup(ctx);
  LOOKUPS.set(key, built);
  return built;
}

/**
 * Lookups built so far, by event (or by final facts when there is no event):
 * every account's draft of an event, every experiment arm and every repair is
 * checked against the same facts, which events and facts never change.
 */
const LOOKUPS = new WeakMap<object, FactLookup>();

function buildFactLookup(ctx: GroundingContext): FactLookup {
  const { event } = ctx;
  const game = event?.game ?? ctx.facts;
  const teams = [game.away, game.home];
  const eventStats = new Map((event?.players ?? []).map((p) => [p.id, p.stats]));
  const players: PlayerFacts[] = [...game.players];
  for (const p of event?.players ?? []) {
    if (!players.some((known) => known.id === p.id)) {
      players.push({
        id: p.id,
        name: p.name,
        shortName: shortNameOf(p.name),
        teamId: p.teamId,
        starter: false,
        didNotPlay: false,
        stats: p.stats,
      });
    }
  }
  const playerById = new Map(players.map((p) => [p.id, p]));
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const isFinal = event ? event.kind === 'final' || game.state === 'post' : game.state === 'post';
  const linescorePeriods = Math.max(game.away.linescores.length, game.home.linescores.length);
  const period = event ? event.period : Math.max(game.period, isFinal ? linescorePeriods : 0);
  const currentScore = (): ScoreLine =>
    event
      ? { away: event.awayScore, home: event.homeScore, label: isFinal ? 'final' : 'so far' }
      : { away: game.away.score, home: game.home.score, label: isFinal ? 'final' : 'so far' };

  const playerStat = (playerId: string, key: string): number | undefined => {
    const fromEvent = eventStats.get(playerId)?.[key];
    if (fromEvent !== undefined) return fromEvent;
    const player = playerById.get(playerId);
    if (!player) return undefined;
    const value = player.stats[key];
    if (value !== undefined) return value;
    // A player who appears in the box score with other stats simply had none of this one.
    return player.didNotPlay || Object.keys(player.stats).length === 0 ? undefined : 0;
  };

  const venue = game.venue ?? ctx.facts.venue;
  return {
    league: game.league,
    sport: game.sport,
    teams: teams.map(teamRef),
    players: players.map((p) => ({
      id: p.id,
      name: p.name,
      shortName: p.shortName,
      teamId: p.teamId,
      didNotPlay: p.didNotPlay,
    })),
    isFinal,
    regulationPeriods: game.regulationPeriods,
    period,
    clock: event ? event.clock : game.state === 'in' ? game.clock : undefined,
    venue: venue
      ? { name: venue.name, ...(venue.city !== undefined ? { city: venue.city } : {}) }
      : undefined,
    venueAliases: [],
    localDate: easternDate(game.startTime),
    note: game.note ?? ctx.facts.note,
    startTime: game.startTime,
    source: event
      ? isFinal
        ? 'final box score'
        : 'box score so far'
      : isFinal
        ? 'final box score'
        : 'box score',
    starter: (playerId) => playerById.get(playerId)?.starter,
    playerStat,
    teamStat(teamId, key) {
      const team = teamById.get(teamId);
      if (!team) return undefined;
      const total = team.stats[key];
      if (total !== undefined) return total;
      let sum: number | undefined;
      for (const p of players) {
        if (p.teamId !== teamId) continue;
        const value = eventStats.get(p.id)?.[key] ?? p.stats[key];
        if (value !== undefined) sum = (sum ?? 0) + value;
      }
      return sum;
    },
    score: currentScore,
    scoreAfter(n) {
      if (n < 1 || game.away.linescores.length < n || game.home.linescores.length < n) return undefined;
      // A period still being played has no score "after" it yet.
      const ended =
        isFinal || n < period || (n === period && /^0?[:.]?0+(?:[:.]0+)?$/.test(event?.clock ?? game.clock));
      if (event && !ended) return undefined;
      const sum = (xs: number[]) => xs.slice(0, n).reduce((a, b) => a + b, 0);
      return { away: sum(game.away.linescores), home: sum(game.home.linescores), label: `after period ${n}` };
    },
    scoreIn(n) {
      const away = game.away.linescores[n - 1];
      const home = game.home.linescores[n - 1];
      if (away === undefined || home === undefined) return undefined;
      return { away, home, label: `in period ${n}` };
    },
    record: (teamId) => teamById.get(teamId)?.record,
    winnerId() {
      if (!isFinal) return undefined;
      const s = currentScore();
      if (s.away === s.home) return undefined;
      return s.away > s.home ? game.away.id : game.home.id;
    },
    run() {
      const points = numberDetail(event, 'runPoints');
      if (points === undefined) return undefined;
      const against = numberDetail(event, 'runAgainst') ?? 0;
      return { points, against, ...(event?.teamId !== undefined ? { teamId: event.teamId } : {}) };
    },
    playYards() {
      const yards = numberDetail(event, 'yards');
      if (yards === undefined || !event) return undefined;
      return { yards, playerIds: event.players.map((p) => p.id) };
    },
    largestLead: (teamId) => teamById.get(teamId)?.stats.largestLead,
  };
}

function teamRef(t: TeamFacts): TeamRef {
  return {
    id: t.id,
    name: t.name,
    location: t.location,
    displayName: t.displayName,
    abbreviation: t.abbreviation,
    homeAway: t.homeAway,
  };
}

function numberDetail(event: GameEvent | undefined, key: string): number | undefined {
  const value = event?.detail[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

function shortNameOf(name: string): string {
  const [first, ...rest] = name.trim().split(/\s+/);
  if (!first || rest.length === 0) return name;
  return `${first[0]}. ${rest.join(' ')}`;
}

/**
 * The US Eastern calendar date of a UTC start time: the leagues this verifier
 * knows play in North America, where a 7:30 PM game is past midnight UTC.
 */
function easternDate(startTime: string): string | undefined {
  const at = Date.parse(startTime);
  if (Number.isNaN(at)) return undefined;
  return EASTERN.format(at);
}

/** Building a formatter is far slower than using one: one for every lookup. */
const EASTERN = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
