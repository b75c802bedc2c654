import type { EventKind, GameEvent } from '../../domain/index.ts';
import { buildEvent, type EventContext, type EventStepper, occurredAt, playType } from './event-base.ts';
import { RunningGame } from './running-game.ts';
import type { EspnPlay } from './schema.ts';

/**
 * Turns hockey play-by-play (`plays[]`, in feed order) into events: a play
 * that changes the score (a goal) is a 'score'; "End Game" / "Game End" the
 * 'final'; "End Period" a 'period_end'; the first play opens the game; the
 * rest are 'play's.
 *
 * `detail` states what the feed states about a goal: `strength` ('power play',
 * 'shorthanded' or 'even', from `strength.text` or the play text),
 * `emptyNet` (the `emptyNet` flag or "empty net" in the text), and `shootout`
 * for plays of a shootout (period type "Shootout", or the text says so).
 * Running player stat lines are not replayed (participants carry empty lines).
 *
 * No NHL summary or scoreboard is recorded in `fixtures/`: the shape follows
 * the other ESPN summaries' `plays[]`, and the tests build their summaries.
 * Check it against a real summary before relying on it.
 */
export function hockeyEvents(plays: readonly EspnPlay[], ctx: EventContext): GameEvent[] {
  const stepper = hockeyStepper(ctx);
  return plays.map((play, index) => stepper.step(play, index));
}

/** The events of {@link hockeyEvents}, one play at a time; `ctx` is read at each step. */
export function hockeyStepper(ctx: EventContext): EventStepper {
  const running = new RunningGame(ctx.facts, () => ({}), { trackTeamStats: false });
  let lastTime = Date.parse(ctx.facts.startTime) || 0;
  let previous = { away: 0, home: 0 };
  let started = false;
  const step = (play: EspnPlay, index: number): GameEvent => {
    const type = playType(play);
    const text = play.text ?? '';
    const awayGain = play.awayScore - previous.away;
    const homeGain = play.homeScore - previous.home;
    previous = { away: play.awayScore, home: play.homeScore };
    const scorer = awayGain > 0 ? ctx.facts.away.id : homeGain > 0 ? ctx.facts.home.id : undefined;
    running.setScore(play.awayScore, play.homeScore, play.period.number);
    lastTime = occurredAt(play, lastTime);

    let kind = hockeyKind(type, awayGain + homeGain !== 0);
    if (!started && kind !== 'final') {
      if (kind === 'play') kind = 'game_start';
      started = true;
    }
    const detail: GameEvent['detail'] = { playType: type };
    const goal = kind === 'score' || /^goal$/i.test(type);
    if (goal) {
      detail.strength = strengthOf(play, text);
      if (play.emptyNet === true || /empty[- ]net/i.test(text)) detail.emptyNet = true;
    }
    if (/shootout/i.test(`${play.period.type ?? ''} ${play.period.displayValue ?? ''} ${type}`)) {
      detail.shootout = true;
    }
    const participants = (play.participants ?? []).map((p) => p.athlete.id);
    return buildEvent(ctx, play, index, {
      kind,
      occurredAt: lastTime,
      teamId: scorer ?? play.team?.id,
      scoreValue: Math.max(0, awayGain + homeGain),
      players: running.eventPlayers(participants),
      detail,
      game:
        kind === 'final' ? ctx.facts : running.snapshot(play.period.number, play.clock?.displayValue ?? ''),
    });
  };
  return { step, rebase: (facts) => running.rebase(facts) };
}

function strengthOf(play: EspnPlay, text: string): string {
  const stated = `${play.strength?.text ?? ''} ${play.strength?.abbreviation ?? ''}`.toLowerCase();
  if (/power play|\bppg?\b/.test(stated) || /power[- ]play/i.test(text)) return 'power play';
  if (/short[- ]?handed|\bshg?\b/.test(stated) || /short[- ]?handed/i.test(text)) return 'shorthanded';
  return 'even';
}

function hockeyKind(type: string, scored: boolean): EventKind {
  const lower = type.toLowerCase();
  if (lower === 'end game' || lower === 'game end' || lower === 'end of game') return 'final';
  if (lower === 'end period' || lower === 'period end' || /^end of (the )?\w+ period/.test(lower))
    return 'period_end';
  return scored ? 'score' : 'play';
}
