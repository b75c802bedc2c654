import type { EventPlayer, GameEvent } from '../domain/event.ts';
import type { PlayerFacts, TeamFacts } from '../domain/facts.ts';
import { SPORT_OF, type Sport } from '../domain/league.ts';
import { memoized } from '../domain/memo.ts';
import type { Voice } from '../domain/voice.ts';
import type { WriteRequest } from './writer.ts';

/**
 * Which side of the event an account is on.
 * - `neutral`: a league account, or the event belongs to no team;
 * - `own`: the account follows the team the event favours;
 * - `opp`: the account follows the other team (terse, no celebration).
 */
export type Side = 'neutral' | 'own' | 'opp';

/** The facts of one request, derived once, that every template reads. Nothing here is invented. */
export interface Context {
  event: GameEvent;
  sport: Sport;
  voice: Voice;
  variant: number;
  significance: WriteRequest['significance'];
  home: TeamFacts;
  away: TeamFacts;
  homeScore: number;
  awayScore: number;
  /** Team the account follows, when exactly one of the two playing. */
  own?: TeamFacts;
  opp?: TeamFacts;
  /** Team that made the play (`event.teamId`), when known. */
  actor?: TeamFacts;
  /** The other team. */
  other?: TeamFacts;
  /** Leading and trailing team by the event's score; undefined when tied. */
  leader?: TeamFacts;
  trailer?: TeamFacts;
  /** Regulation periods (from the facts, else the sport's default). */
  regulation: number;
}

const DEFAULT_REGULATION: Record<Sport, number> = { basketball: 4, football: 4, baseball: 9, hockey: 3 };

/** Derives the context of a request. Throws when the event's game has no two teams. */
export function buildContext(req: WriteRequest): Context {
  const { event } = req;
  const game = event.game;
  const sport = game.sport ?? SPORT_OF[event.league];
  const home = game.home;
  const away = game.away;
  const wanted = new Set(req.teams.map((t) => t.toUpperCase()));
  const homeFollowed = wanted.has(home.abbreviation.toUpperCase());
  const awayFollowed = wanted.has(away.abbreviation.toUpperCase());
  let own: TeamFacts | undefined;
  let opp: TeamFacts | undefined;
  if (homeFollowed !== awayFollowed) {
    own = homeFollowed ? home : away;
    opp = homeFollowed ? away : home;
  }
  const actor = event.teamId === home.id ? home : event.teamId === away.id ? away : undefined;
  const other = actor === home ? away : actor === away ? home : undefined;
  const homeScore = event.homeScore;
  const awayScore = event.awayScore;
  const leader = homeScore > awayScore ? home : awayScore > homeScore ? away : undefined;
  const trailer = leader === home ? away : leader === away ? home : undefined;
  const regulation =
    Number.isInteger(game.regulationPeriods) && game.regulationPeriods > 0
      ? game.regulationPeriods
      : DEFAULT_REGULATION[sport];
  return {
    event,
    sport,
    voice: req.voice,
    variant: req.variant,
    significance: req.significance,
    home,
    away,
    homeScore,
    awayScore,
    ...(own ? { own } : {}),
    ...(opp ? { opp } : {}),
    ...(actor ? { actor } : {}),
    ...(other ? { other } : {}),
    ...(leader ? { leader } : {}),
    ...(trailer ? { trailer } : {}),
    regulation,
  };
}

/** Score of `team` at the event. */
export function scoreOf(c: Context, team: TeamFacts): number {
  return team === c.home || team.id === c.home.id ? c.homeScore : c.awayScore;
}

/** Side of the account relative to a team the event favours (`undefined`: no team). */
export function sideFor(c: Context, favoured: TeamFacts | undefined): Side {
  if (!c.own || !favoured) return 'neutral';
  return favoured.id === c.own.id ? 'own' : 'opp';
}

/**
 * "Pacers 25, Knicks 23". Neutral accounts lead with the leader (home first when tied), team accounts
 * with their own team.
 */
export function scoreLine(c: Context): string {
  const first = c.own ?? c.leader ?? c.home;
  const second = first.id === c.home.id ? c.away : c.home;
  return `${first.name} ${scoreOf(c, first)}, ${second.name} ${scoreOf(c, second)}`;
}

/** "25-23": the higher score first, as scores are usually said. */
export function scoreDash(c: Context): string {
  const hi = Math.max(c.homeScore, c.awayScore);
  const lo = Math.min(c.homeScore, c.awayScore);
  return `${hi}-${lo}`;
}

/** 1 -> "1st", 2 -> "2nd", 11 -> "11th". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

const OT_WORDS = ['overtime', 'double overtime', 'triple overtime'];

/** The unit of a period in the sport: quarter, inning, period. */
export function periodUnit(sport: Sport): string {
  switch (sport) {
    case 'basketball':
    case 'football':
      return 'quarter';
    case 'baseball':
      return 'inning';
    case 'hockey':
      return 'period';
    default: {
      const never: never = sport;
      throw new Error(`periodUnit: unknown sport ${String(never)}`);
    }
  }
}

/** True when the period is past regulation (an overtime, or extra innings). */
export function isOvertime(c: Context, period = c.event.period): boolean {
  return period > c.regulation;
}

/**
 * The period as a noun phrase that follows "in": "the 4th quarter", "overtime", "double overtime",
 * "the 10th inning". Overtimes past the third are just "overtime" (no invented count).
 */
export function periodPhrase(c: Context, period = c.event.period): string {
  if (c.sport !== 'baseball' && isOvertime(c, period)) {
    return OT_WORDS[period - c.regulation - 1] ?? 'overtime';
  }
  return `the ${ordinal(period)} ${periodUnit(c.sport)}`;
}

/** Short form: "the 4th", "OT". */
export function periodShort(c: Context, period = c.event.period): string {
  if (c.sport !== 'baseball' && isOvertime(c, period)) {
    const n = period - c.regulation;
    return n === 1 ? 'OT' : (OT_WORDS[n - 1] ?? 'overtime');
  }
  return `the ${ordinal(period)}`;
}

/** True when the clock reads zero or is absent. */
export function clockExpired(clock: string): boolean {
  const trimmed = clock.trim();
  if (trimmed === '') return true;
  return !/[1-9]/.test(trimmed);
}

/**
 * "4:31 left in the 4th quarter", or the period alone ("in the 9th inning") when there is no running
 * clock (baseball, 0.0). The unit is always said: "the 4th" alone is not a period the verifier reads.
 */
export function whenPhrase(c: Context): string {
  const clock = c.event.clock.trim();
  if (c.sport === 'baseball' || clockExpired(clock)) return `in ${periodPhrase(c)}`;
  return `${clockWords(clock)} left in ${periodPhrase(c)}`;
}

/** "4:31" stays; a sub-minute clock ("46.0") is said in seconds ("46.0 seconds") so it reads as a clock. */
export function clockWords(clock: string): string {
  return clock.includes(':') ? clock : `${clock} seconds`;
}

/**
 * The clock as an adverbial that can follow a verb: "with 4:31 left in the 4th", or "in the 4th" when
 * there is no running clock.
 */
export function withWhen(c: Context): string {
  const when = whenPhrase(c);
  return when.startsWith('in ') ? when : `with ${when}`;
}

/** Whether the event's period is halftime-worthy when it ends (2nd of 4 quarters). */
export function isHalf(c: Context, period = c.event.period): boolean {
  return (c.sport === 'basketball' || c.sport === 'football') && c.regulation === 4 && period === 2;
}

const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv', 'v']);

/**
 * "Pascal Siakam" -> "Siakam"; "Jaren Jackson Jr." -> "Jackson Jr."; single names stay whole.
 * Every draft looks at every player of the game: the answers are kept.
 */
export const lastName: (full: string) => string = memoized(computeLastName, 4096);

function computeLastName(full: string): string {
  const parts = full.trim().split(/\s+/);
  if (parts.length <= 1) return full.trim();
  const last = parts[parts.length - 1] ?? '';
  if (SUFFIXES.has(last.toLowerCase()) && parts.length >= 3) return parts.slice(-2).join(' ');
  return last;
}

/** A number read from `event.detail`, when present and finite. */
export function detailNumber(c: Context, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = c.event.detail[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  }
  return undefined;
}

/** A string read from `event.detail`, when present and non-empty. */
export function detailString(c: Context, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = c.event.detail[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** The team of a player by id, when it is one of the two. */
export function teamOfPlayer(c: Context, player: { teamId: string }): TeamFacts | undefined {
  if (player.teamId === c.home.id) return c.home;
  if (player.teamId === c.away.id) return c.away;
  return undefined;
}

/** Players of `team` in the game's box score who played, best scorer first (ties: box-score order). */
export function topPlayers(c: Context, team: TeamFacts): PlayerFacts[] {
  const key = primaryStat(c.sport);
  return c.event.game.players
    .filter((p) => p.teamId === team.id && !p.didNotPlay && typeof p.stats[key] === 'number')
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (b.p.stats[key] ?? 0) - (a.p.stats[key] ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * The stat that ranks players of a sport for "top performer" lines. Football has no single one; total
 * yards from scrimmage would be a sum (not a fact), so passing yards rank the quarterbacks' side only
 * when nothing better is there: see `footballTop`.
 */
export function primaryStat(sport: Sport): string {
  switch (sport) {
    case 'basketball':
      return 'points';
    case 'football':
      return 'passing.passingYards';
    case 'baseball':
      return 'hits';
    case 'hockey':
      return 'goals';
    default: {
      const never: never = sport;
      throw new Error(`primaryStat: unknown sport ${String(never)}`);
    }
  }
}

/** Finds an event player by id. */
export function eventPlayer(c: Context, id: string | undefined): EventPlayer | undefined {
  if (!id) return undefined;
  return c.event.players.find((p) => p.id === id);
}
