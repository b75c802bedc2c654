import type { EventKind, GameEvent, GameFacts } from '../../domain/index.ts';
import { buildEvent, type EventContext, type EventStepper, occurredAt, playType } from './event-base.ts';
import { RunningGame } from './running-game.ts';
import type { EspnPlay } from './schema.ts';

/** Hit types as ESPN's baseball play types name them. */
const HITS: Record<string, string> = {
  single: 'single',
  double: 'double',
  triple: 'triple',
  'home run': 'home run',
  'home-run': 'home run',
};
const HIT_WORDS = /\b(singled|doubled|tripled|homered|home run|grand slam)\b/i;

/**
 * Turns baseball play-by-play (`plays[]`, in feed order, ESPN's MLB summary
 * shape: `period: { type: 'Top' | 'Bottom', number }`, `outs`, `type.text`
 * such as "Single" or "Home Run", `participants[]` with batter and pitcher)
 * into events:
 *
 * - a play that changes the score is a 'score' (its `scoreValue` the runs in);
 * - "End Game" / "Game Over" is the 'final' (its `game` is the file's facts);
 *   "End Inning" a 'period_end'; the first play opens the game ('game_start');
 * - everything else is a 'play'.
 *
 * `detail` states `half` ('top' | 'bottom'), `outs`, `hit` (single, double,
 * triple, home run) and `homeRun`. Running player stat lines are not replayed
 * from baseball text (participants carry empty lines); each snapshot's team
 * stats carry `hits` so far, counted from the hits of the play-by-play (the
 * batting side is the away team in the top half, the home team in the bottom).
 *
 * No MLB summary is recorded in `fixtures/`: this shape is the one of the
 * `lastPlay` objects in the recorded MLB scoreboard, and the tests build their
 * summaries from those. Check it against a real summary before relying on it.
 */
export function baseballEvents(plays: readonly EspnPlay[], ctx: EventContext): GameEvent[] {
  const stepper = baseballStepper(ctx);
  return plays.map((play, index) => stepper.step(play, index));
}

/** The events of {@link baseballEvents}, one play at a time; `ctx` is read at each step. */
export function baseballStepper(ctx: EventContext): EventStepper {
  const running = new RunningGame(ctx.facts, () => ({}), { trackTeamStats: false });
  const hits = { away: 0, home: 0 };
  let lastTime = Date.parse(ctx.facts.startTime) || 0;
  let previous = { away: 0, home: 0 };
  let started = false;
  const step = (play: EspnPlay, index: number): GameEvent => {
    const type = playType(play);
    const half = halfOf(play);
    const batting =
      half === 'top'
        ? 'away'
        : half === 'bottom'
          ? 'home'
          : play.team?.id === ctx.facts.home.id
            ? 'home'
            : 'away';
    const gain = play.awayScore - previous.away + (play.homeScore - previous.home);
    const scorer =
      play.awayScore > previous.away
        ? ctx.facts.away.id
        : play.homeScore > previous.home
          ? ctx.facts.home.id
          : undefined;
    previous = { away: play.awayScore, home: play.homeScore };
    running.setScore(play.awayScore, play.homeScore, play.period.number);
    lastTime = occurredAt(play, lastTime);

    const hit = hitOf(type, play.text ?? '');
    if (hit) hits[batting]++;
    let kind = baseballKind(type, gain !== 0);
    if (!started && kind !== 'final') {
      if (kind === 'play') kind = 'game_start';
      started = true;
    }
    const detail: GameEvent['detail'] = { playType: type };
    if (half) detail.half = half;
    if (play.outs !== undefined) detail.outs = play.outs;
    if (hit) detail.hit = hit;
    if (hit === 'home run') detail.homeRun = true;
    const participants = (play.participants ?? []).map((p) => p.athlete.id);
    return buildEvent(ctx, play, index, {
      kind,
      occurredAt: lastTime,
      teamId: scorer ?? ctx.facts[batting].id,
      scoreValue: Math.max(0, gain),
      players: running.eventPlayers(participants),
      detail,
      game: kind === 'final' ? ctx.facts : withHits(running.snapshot(play.period.number, ''), hits),
    });
  };
  return { step, rebase: (facts) => running.rebase(facts) };
}

function halfOf(play: EspnPlay): 'top' | 'bottom' | undefined {
  const words = `${play.period.type ?? ''} ${play.period.displayValue ?? ''}`.toLowerCase();
  if (/\btop\b/.test(words)) return 'top';
  if (/\bbottom\b|\bbot\b/.test(words)) return 'bottom';
  return undefined;
}

function hitOf(type: string, text: string): string | undefined {
  const named = HITS[type.toLowerCase()];
  if (named) return named;
  const word = HIT_WORDS.exec(text)?.[1]?.toLowerCase();
  if (!word) return undefined;
  if (word === 'homered' || word === 'home run' || word === 'grand slam') return 'home run';
  return { singled: 'single', doubled: 'double', tripled: 'triple' }[word] ?? word;
}

function baseballKind(type: string, scored: boolean): EventKind {
  const lower = type.toLowerCase();
  if (lower === 'end game' || lower === 'end of game' || lower === 'game over') return 'final';
  if (lower === 'end inning' || lower === 'end of inning') return 'period_end';
  return scored ? 'score' : 'play';
}

function withHits(game: GameFacts, hits: { away: number; home: number }): GameFacts {
  return {
    ...game,
    away: { ...game.away, stats: { ...game.away.stats, hits: hits.away } },
    home: { ...game.home, stats: { ...game.home.stats, hits: hits.home } },
  };
}
