import type { EventKind, GameEvent, PlayerFacts, StatLine } from '../../domain/index.ts';
import { buildEvent, type EventContext, type EventStepper, occurredAt, playType } from './event-base.ts';
import { RunningGame, type StatDelta } from './running-game.ts';
import type { EspnPlay } from './schema.ts';

/** The counters replayed from basketball play-by-play, all starting at 0. */
export const BASKETBALL_RUNNING_STATS = [
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

function zeroLine(player: PlayerFacts): StatLine {
  if (player.didNotPlay) return {};
  return Object.fromEntries(BASKETBALL_RUNNING_STATS.map((name) => [name, 0]));
}

/**
 * Turns basketball play-by-play (`plays[]`, in feed order) into events, each
 * with its participants' running stat lines and a snapshot of the game. The
 * "End Game" play becomes the 'final' event and carries the box-score facts.
 */
export function basketballEvents(plays: readonly EspnPlay[], ctx: EventContext): GameEvent[] {
  const stepper = basketballStepper(ctx);
  return plays.map((play, index) => stepper.step(play, index));
}

/**
 * The events of {@link basketballEvents}, one play at a time. `ctx` is read at
 * each step (a live parser updates its facts and win probability per poll).
 */
export function basketballStepper(ctx: EventContext): EventStepper {
  const running = new RunningGame(ctx.facts, zeroLine);
  let lastTime = Date.parse(ctx.facts.startTime) || 0;
  let started = false;
  const step = (play: EspnPlay, index: number): GameEvent => {
    const type = playType(play);
    const participants = (play.participants ?? []).map((p) => p.athlete.id);
    running.apply(basketballDeltas(play, type, participants));
    running.setScore(play.awayScore, play.homeScore, play.period.number);
    lastTime = occurredAt(play, lastTime);

    let kind = basketballKind(play, type);
    if (!started && kind !== 'final' && play.period.number === 1) {
      // The first play of the game (normally the jump ball) opens it.
      if (kind === 'play') kind = 'game_start';
      started = true;
    }
    const detail: GameEvent['detail'] = { playType: type };
    if (play.shootingPlay) {
      detail.shootingPlay = true;
      detail.made = play.scoringPlay === true;
    }
    const clock = play.clock?.displayValue ?? '';
    return buildEvent(ctx, play, index, {
      kind,
      occurredAt: lastTime,
      teamId: play.team?.id ?? (participants[0] ? running.teamOfPlayer(participants[0]) : undefined),
      scoreValue: play.scoringPlay ? (play.scoreValue ?? 0) : 0,
      players: running.eventPlayers(participants),
      detail,
      game: kind === 'final' ? ctx.facts : running.snapshot(play.period.number, clock),
    });
  };
  return { step, rebase: (facts) => running.rebase(facts) };
}

/**
 * Whether a field goal attempt was a three. The text says so for most shots
 * ("27-foot three point jumper"); a miss described without distance ("misses
 * running pullup jump shot") is judged by its court coordinate (basket at
 * x 25, y 0, in feet; beyond 22.5 ft is behind the shortest, corner, line).
 */
function isThree(play: EspnPlay, text: string, made: boolean): boolean {
  if (text.includes('three point')) return true;
  if (made) return play.scoreValue === 3;
  if (text.includes('two point') || /\d+-foot/.test(text)) return false;
  const at = play.coordinate;
  if (!at || Math.abs(at.x) > 100 || Math.abs(at.y) > 100) return false;
  return Math.hypot(at.x - 25, at.y) > 22.5;
}

function basketballKind(play: EspnPlay, type: string): EventKind {
  const lower = type.toLowerCase();
  if (lower === 'end game' || lower === 'end of game') return 'final';
  if (lower === 'end period' || /^end of (the )?\w+ (quarter|half|period|overtime)/.test(lower))
    return 'period_end';
  if (play.scoringPlay) return 'score';
  if (isTurnover(lower)) return 'turnover';
  return 'play';
}

function isTurnover(lowerType: string): boolean {
  return lowerType.includes('turnover') || lowerType === 'traveling';
}

/**
 * Stat increments a basketball play implies. Participants follow ESPN's order:
 * shooter then assister (made shots) or blocker (blocked shots); ball handler
 * then stealer (turnovers). Team plays without a participant credit no player.
 */
export function basketballDeltas(play: EspnPlay, type: string, participants: readonly string[]): StatDelta[] {
  const [first, second] = participants;
  if (!first) return [];
  const lower = type.toLowerCase();
  const text = (play.text ?? '').toLowerCase();
  const deltas: StatDelta[] = [];
  const made = play.scoringPlay === true;

  if (play.shootingPlay) {
    const points = made ? (play.scoreValue ?? 0) : 0;
    if (lower.startsWith('free throw')) {
      deltas.push({
        playerId: first,
        stats: { freeThrowsAttempted: 1, freeThrowsMade: made ? 1 : 0, points },
      });
    } else {
      const three = isThree(play, text, made);
      const stats: StatLine = { fieldGoalsAttempted: 1, fieldGoalsMade: made ? 1 : 0, points };
      if (three) {
        stats.threePointFieldGoalsAttempted = 1;
        stats.threePointFieldGoalsMade = made ? 1 : 0;
      }
      deltas.push({ playerId: first, stats });
      if (second && made) deltas.push({ playerId: second, stats: { assists: 1 } });
      if (second && !made && text.includes(' blocks '))
        deltas.push({ playerId: second, stats: { blocks: 1 } });
    }
    return deltas;
  }
  if (lower.includes('rebound')) {
    const side = lower.includes('offensive') ? 'offensiveRebounds' : 'defensiveRebounds';
    return [{ playerId: first, stats: { rebounds: 1, [side]: 1 } }];
  }
  if (isTurnover(lower)) {
    deltas.push({ playerId: first, stats: { turnovers: 1 } });
    if (second && text.includes('steals')) deltas.push({ playerId: second, stats: { steals: 1 } });
    return deltas;
  }
  if ((lower.includes('foul') || lower === 'offensive charge') && !lower.includes('technical')) {
    return [{ playerId: first, stats: { fouls: 1 } }];
  }
  return [];
}
