import type { EventKind, EventPlayer, GameEvent, Sport } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';
import { progressOf, regulationPeriodsOf } from './game-clock.ts';
import { type Milestone, milestonesReached } from './milestones.ts';
import { RunDetector, type RunOptions } from './runs.ts';
import type { ScoredEvent } from './scored-event.ts';
import { type RatingContext, rateEvent } from './significance.ts';

/** Runs worth a post, per sport: basketball 10-0 / 12-2, football 14 unanswered points. */
const RUNS: Partial<Record<Sport, RunOptions>> = {
  basketball: { minPoints: 10, maxAgainst: 2, step: 5 },
  football: { minPoints: 14, maxAgainst: 0, step: 7 },
};

/** Basketball clutch time: the last 5 minutes of the 4th or overtime, within 5 points. */
const CLUTCH_SECONDS = 300;
const CLUTCH_MARGIN = 5;

type Leader = 'away' | 'home' | 'tied';

/**
 * Follows one game, event by event and in order, as it happens or from a
 * recording, and scores each event. Besides the event it is given, it returns
 * the events it derives from the game's state, each right after the play that
 * caused it:
 *
 * - `<play id>:lead_change` when the team in front changes (ties in between do
 *   not reset who last led; the first lead of the game is not a change);
 * - `<play id>:tie` when the game becomes level again (not at 0-0);
 * - `<play id>:run` when a scoring run reaches its threshold (see `RunDetector`);
 * - `<play id>:clutch` the first time in a period that basketball enters clutch time;
 * - `<play id>:milestone:<playerId>:<key>` when a player's running stat line
 *   reaches a milestone (30/40/50 points, double- and triple-double, 300 passing,
 *   100 rushing or receiving yards), at most once per player and milestone.
 *
 * Ids are deterministic, so replaying a recording gives the same events. An
 * event id seen before is ignored (returns `[]`), which makes live polling that
 * re-delivers plays harmless.
 */
export class GameTracker {
  #gameId: string | undefined;
  readonly #seen = new Set<string>();
  readonly #milestones = new Set<string>();
  readonly #clutchPeriods = new Set<number>();
  #runs: RunDetector | undefined;
  #score = { away: 0, home: 0 };
  #leader: Leader = 'tied';
  /** The last team to hold the lead, ignoring ties since. */
  #lastLeader: 'away' | 'home' | undefined;

  /**
   * Takes the next event of the game and returns it scored, followed by the
   * events it gives rise to.
   * @throws Error when the event belongs to another game than the previous ones.
   */
  push(event: GameEvent): ScoredEvent[] {
    if (this.#gameId === undefined) this.#gameId = event.gameId;
    else if (event.gameId !== this.#gameId) {
      throw new Error(`GameTracker for ${this.#gameId} was given an event of ${event.gameId} (${event.id})`);
    }
    if (this.#seen.has(event.id)) return [];
    this.#seen.add(event.id);
    const sport = SPORT_OF[event.league];
    const runs = RUNS[sport];
    if (!this.#runs && runs) this.#runs = new RunDetector(runs);

    const clutch = sport === 'basketball' && isClutch(event);
    const out: ScoredEvent[] = [{ event, significance: rateEvent(event, { clutch }) }];
    const add = (derived: GameEvent, context: Partial<RatingContext> = {}) => {
      this.#seen.add(derived.id);
      out.push({ event: derived, significance: rateEvent(derived, { clutch, ...context }) });
    };

    const awayGain = event.awayScore - this.#score.away;
    const homeGain = event.homeScore - this.#score.home;
    this.#score = { away: event.awayScore, home: event.homeScore };
    if (event.kind !== 'final' && (awayGain !== 0 || homeGain !== 0)) {
      this.#leadAndTie(event, add);
      const scorer = homeGain > 0 ? event.game.home.id : awayGain > 0 ? event.game.away.id : undefined;
      const run = scorer ? this.#runs?.score(scorer, Math.max(awayGain, homeGain)) : undefined;
      if (run) {
        const { threshold: _threshold, ...detail } = run;
        add(derive(event, 'run', 'run', detail, { teamId: run.runFor }));
      }
    }
    if (clutch && event.kind !== 'final' && !this.#clutchPeriods.has(event.period)) {
      this.#clutchPeriods.add(event.period);
      add(derive(event, 'clutch', 'clutch', { margin: Math.abs(event.awayScore - event.homeScore) }));
    }
    for (const player of event.players) {
      for (const milestone of milestonesReached(player.stats, sport)) {
        const key = `${player.id}:${milestone.key}`;
        if (this.#milestones.has(key)) continue;
        this.#milestones.add(key);
        add(milestoneEvent(event, player, milestone), { milestone, playerName: player.name });
      }
    }
    return out;
  }

  #leadAndTie(event: GameEvent, add: (derived: GameEvent) => void): void {
    const leader: Leader =
      event.awayScore > event.homeScore ? 'away' : event.homeScore > event.awayScore ? 'home' : 'tied';
    const margin = Math.abs(event.awayScore - event.homeScore);
    if (leader === 'tied' && this.#leader !== 'tied') {
      add(derive(event, 'tie', 'tie', { awayScore: event.awayScore, homeScore: event.homeScore }));
    } else if (leader !== 'tied') {
      if (this.#lastLeader !== undefined && leader !== this.#lastLeader) {
        const leaderId = event.game[leader].id;
        const previousLeaderId = event.game[this.#lastLeader].id;
        add(
          derive(
            event,
            'lead_change',
            'lead_change',
            { leaderId, previousLeaderId, margin },
            { teamId: leaderId },
          ),
        );
      }
      this.#lastLeader = leader;
    }
    this.#leader = leader;
  }
}

function isClutch(event: GameEvent): boolean {
  const progress = progressOf(event);
  if (event.period < regulationPeriodsOf(event.league)) return false;
  const left = progress.secondsLeftInPeriod;
  return (
    left !== undefined &&
    left <= CLUTCH_SECONDS &&
    Math.abs(event.awayScore - event.homeScore) <= CLUTCH_MARGIN
  );
}

/** An event derived from `base`: same moment, snapshot and text; its own id, kind and detail. */
function derive(
  base: GameEvent,
  suffix: string,
  kind: EventKind,
  detail: GameEvent['detail'],
  overrides: { teamId?: string; players?: EventPlayer[] } = {},
): GameEvent {
  const event: GameEvent = {
    ...base,
    id: `${base.id}:${suffix}`,
    kind,
    detail,
    players: overrides.players ?? base.players,
  };
  const teamId = overrides.teamId ?? base.teamId;
  if (teamId !== undefined) event.teamId = teamId;
  return event;
}

function milestoneEvent(base: GameEvent, player: EventPlayer, milestone: Milestone): GameEvent {
  return derive(
    base,
    `milestone:${player.id}:${milestone.key}`,
    'milestone',
    {
      milestone: milestone.key,
      label: milestone.label,
      playerId: player.id,
      playerName: player.name,
      stat: milestone.stat,
      value: milestone.value,
      threshold: milestone.threshold,
    },
    { teamId: player.teamId, players: [player] },
  );
}
