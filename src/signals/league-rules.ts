import { clockSeconds } from '../domain/clock.ts';
import type { GameEvent } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';
import { momentOf, ordinalOf, regulationPeriodsOf } from './game-clock.ts';

/**
 * Something about a moment that makes it matter more than its kind alone
 * ("fourth-down stop", "power-play goal"), with the weight it gives the event
 * (0..1, combined with the kind's base weight in `rateEvent`) and the reason.
 */
export interface Situation {
  /** Stable key ("fourthDownStop", "redZone", "homeRun" ...). */
  key: string;
  weight: number;
  reason: string;
}

/** Football plays whose `yards` are a kick's distance or a penalty, never a gain. */
const NOT_A_GAIN = /field goal|extra point|penalty|timeout|two-minute|end of|end period/i;

/** A gain of this many yards or more is a long play. */
export const LONG_PLAY_YARDS = 40;
/** A drive starting with this many seconds or fewer left in a half is a two-minute drill. */
export const TWO_MINUTE_SECONDS = 120;
/** A snap this close to the end zone (yards) is in the red zone. */
export const RED_ZONE_YARDS = 20;

/** "the Falcons" (or "the offense" when the team is unknown). */
function teamName(event: GameEvent, teamId: unknown): string {
  const { home, away } = event.game;
  if (teamId === home.id) return `the ${home.name}`;
  if (teamId === away.id) return `the ${away.name}`;
  return 'the offense';
}

function abbreviation(event: GameEvent, teamId: unknown): string {
  const { home, away } = event.game;
  if (teamId === home.id) return home.abbreviation;
  if (teamId === away.id) return away.abbreviation;
  return 'the offense';
}

/**
 * The situations an event states by itself, per sport (stateless rules; the
 * tracker adds the ones that need the game so far: red-zone trips, two-minute
 * drills, no-hitters):
 *
 * - football: fourth-down conversions (0.45) and stops (0.5), long plays of
 *   40+ yards (0.35, more for longer; a play a penalty wiped out does not count);
 * - baseball: home runs (0.6; a grand slam 0.7), walk-offs (0.9: the home team
 *   takes the lead in the bottom of the 9th or later), late innings (7th on, 0.5);
 * - hockey: power-play (0.55) and shorthanded (0.6) goals, empty-net goals
 *   (0.35: they seal a game more than they change it), overtime winners (0.9),
 *   shootout goals (0.5).
 */
export function situationsOf(event: GameEvent): Situation[] {
  switch (SPORT_OF[event.league]) {
    case 'football':
      return footballSituations(event);
    case 'baseball':
      return baseballSituations(event);
    case 'hockey':
      return hockeySituations(event);
    case 'basketball':
      return [];
    default:
      return [];
  }
}

function footballSituations(event: GameEvent): Situation[] {
  const out: Situation[] = [];
  const d = event.detail;
  const offense = d.driveTeamId ?? event.teamId;
  if (d.fourthDown === 'converted') {
    out.push({
      key: 'fourthDownConversion',
      weight: 0.45,
      reason: `fourth-down conversion by ${teamName(event, offense)} ${momentOf(event)}`,
    });
  } else if (d.fourthDown === 'stopped') {
    out.push({
      key: 'fourthDownStop',
      weight: 0.5,
      reason: `${teamName(event, offense)} stopped on fourth down ${momentOf(event)}`,
    });
  }
  const yards = typeof d.yards === 'number' ? d.yards : 0;
  const type = typeof d.playType === 'string' ? d.playType : '';
  if (yards >= LONG_PLAY_YARDS && d.nullified !== true && !NOT_A_GAIN.test(type)) {
    out.push({
      key: 'longPlay',
      weight: Math.min(0.55, 0.35 + (yards - LONG_PLAY_YARDS) * 0.005),
      reason: `${yards}-yard ${event.kind === 'touchdown' ? 'touchdown' : 'play'} by ${teamName(event, event.teamId)}`,
    });
  }
  return out;
}

function baseballSituations(event: GameEvent): Situation[] {
  const out: Situation[] = [];
  const { game } = event;
  const score = `${game.away.abbreviation} ${event.awayScore}, ${game.home.abbreviation} ${event.homeScore}`;
  if (event.detail.homeRun === true) {
    const slam = event.scoreValue >= 4;
    out.push({
      key: slam ? 'grandSlam' : 'homeRun',
      weight: slam ? 0.7 : 0.6,
      reason: `${slam ? 'grand slam' : `${event.scoreValue > 1 ? `${event.scoreValue}-run ` : ''}home run`} by ${teamName(event, event.teamId)}: ${score}`,
    });
  }
  const walkOff =
    event.kind === 'score' &&
    event.detail.half === 'bottom' &&
    event.period >= regulationPeriodsOf(event.league) &&
    event.homeScore > event.awayScore &&
    event.homeScore - event.scoreValue <= event.awayScore;
  if (walkOff) {
    out.push({ key: 'walkOff', weight: 0.9, reason: `walk-off in the ${ordinalOf(event.period)}: ${score}` });
  }
  if (event.period >= 7 && (event.kind === 'score' || event.kind === 'lead_change' || event.kind === 'tie')) {
    out.push({ key: 'lateInnings', weight: 0.5, reason: `late innings (${ordinalOf(event.period)})` });
  }
  return out;
}

function hockeySituations(event: GameEvent): Situation[] {
  const out: Situation[] = [];
  const d = event.detail;
  const team = teamName(event, event.teamId);
  if (d.shootout === true) {
    if (event.kind === 'score')
      out.push({ key: 'shootout', weight: 0.5, reason: `shootout goal by ${team}` });
    return out;
  }
  if (event.kind !== 'score') return out;
  if (d.strength === 'power play') {
    out.push({ key: 'powerPlayGoal', weight: 0.55, reason: `power-play goal by ${team}` });
  } else if (d.strength === 'shorthanded') {
    out.push({ key: 'shorthandedGoal', weight: 0.6, reason: `shorthanded goal by ${team}` });
  }
  if (d.emptyNet === true) {
    out.push({ key: 'emptyNetGoal', weight: 0.35, reason: `empty-net goal by ${team}` });
  }
  if (event.period > regulationPeriodsOf(event.league)) {
    out.push({ key: 'overtimeWinner', weight: 0.9, reason: `overtime winner by ${team}` });
  }
  return out;
}

/**
 * Football situations that need the game so far, one tracker per game: the
 * first snap of a drive inside the opponent's 20 (a red-zone trip, 0.3) and
 * the first snap of a drive that started with two minutes or less left in a
 * half (a two-minute drill, 0.35; leverage makes the one at the end of a close
 * game count far more; at the end of the game only for an offense that is not
 * ahead). Each is reported once per drive.
 */
export class DriveWatcher {
  readonly #redZone = new Set<string>();
  readonly #twoMinute = new Set<string>();

  /** Situations the event starts (empty for other sports, kicks and plays outside a drive). */
  situations(event: GameEvent): Situation[] {
    const d = event.detail;
    if (SPORT_OF[event.league] !== 'football' || d.driveId === undefined) return [];
    if (typeof d.down !== 'number' || d.down < 1 || d.nullified === true) return [];
    const drive = String(d.driveId);
    const offense = d.driveTeamId ?? event.teamId;
    const out: Situation[] = [];
    const toGo = typeof d.yardsToEndzone === 'number' ? d.yardsToEndzone : undefined;
    if (toGo !== undefined && toGo <= RED_ZONE_YARDS && !this.#redZone.has(drive)) {
      this.#redZone.add(drive);
      out.push({
        key: 'redZone',
        weight: 0.3,
        reason: `${abbreviation(event, offense)} in the red zone, ${toGo} yards out ${momentOf(event)}`,
      });
    }
    const startPeriod = typeof d.driveStartPeriod === 'number' ? d.driveStartPeriod : undefined;
    const startClock = typeof d.driveStartClock === 'string' ? clockSeconds(d.driveStartClock) : undefined;
    // At the end of the game only a side that is not ahead is driving against the clock (a leader runs it out).
    const ahead =
      offense === event.game.home.id
        ? event.homeScore > event.awayScore
        : offense === event.game.away.id && event.awayScore > event.homeScore;
    const halfEnd = startPeriod === 2 || (startPeriod === regulationPeriodsOf(event.league) && !ahead);
    if (
      halfEnd &&
      startClock !== undefined &&
      startClock <= TWO_MINUTE_SECONDS &&
      !this.#twoMinute.has(drive)
    ) {
      this.#twoMinute.add(drive);
      out.push({
        key: 'twoMinuteDrill',
        weight: 0.35,
        reason: `two-minute drill: ${abbreviation(event, offense)} ball with ${String(d.driveStartClock)} left in the ${ordinalOf(startPeriod)}`,
      });
    }
    return out;
  }
}
