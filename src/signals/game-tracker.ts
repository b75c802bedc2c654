import type { EventKind, EventPlayer, GameEvent, Sport } from '../domain/index.ts';
import { SPORT_OF } from '../domain/index.ts';
import { progressOf, regulationPeriodsOf } from './game-clock.ts';
import { DriveWatcher } from './league-rules.ts';
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

/** Innings completed without a hit at which a no-hitter is announced, and its weight. */
const NO_HITTER_INNINGS = new Set([5, 7, 8]);
const NO_HITTER_WEIGHT: Record<number, number> = { 5: 0.5, 7: 0.65, 8: 0.8 };

/** Detail a derived event keeps from the play that caused it. */
const CARRIED = ['homeWinPct', 'homeWinSwing', 'tiePct'] as const;

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
 *   100 rushing or receiving yards), at most once per player and milestone;
 * - `<play id>:no_hitter:<teamId>:<inning>` (a 'milestone' with
 *   `detail.milestone` 'noHitter') when a baseball team's pitchers have allowed
 *   no hit through 5, 7 and 8 innings (announced as the opponent comes to bat
 *   in the 6th, 8th and 9th; from the snapshot's team `hits`).
 *
 * Derived lead changes, ties, runs and clutch moments carry the win probability
 * of the play that caused them (`homeWinPct`, `homeWinSwing`). Football plays
 * that start a red-zone trip or a two-minute drill are weighed as such (see
 * `DriveWatcher`), once per drive.
 *
 * A `score_correction` is scored alone (no derived event) and its score becomes
 * the reference for the next plays. A play other than a score that states a
 * score behind the one already seen (it came late from a second feed of the
 * game) changes nothing of the game's state.
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
  readonly #noHitters = new Set<string>();
  readonly #drives = new DriveWatcher();
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

    if (event.kind === 'score_correction') {
      // The feed changed a past play: the score it states now is the reference for the next gains.
      this.#score = { away: event.awayScore, home: event.homeScore };
      const leader: Leader =
        event.awayScore > event.homeScore ? 'away' : event.homeScore > event.awayScore ? 'home' : 'tied';
      this.#leader = leader;
      if (leader !== 'tied') this.#lastLeader = leader;
      return [{ event, significance: rateEvent(event, { clutch: false }) }];
    }
    const clutch = sport === 'basketball' && isClutch(event);
    const situations = this.#drives.situations(event);
    const out: ScoredEvent[] = [{ event, significance: rateEvent(event, { clutch, situations }) }];
    const add = (derived: GameEvent, context: Partial<RatingContext> = {}) => {
      this.#seen.add(derived.id);
      out.push({ event: derived, significance: rateEvent(derived, { clutch, ...context }) });
    };

    const awayGain = event.awayScore - this.#score.away;
    const homeGain = event.homeScore - this.#score.home;
    // A play stating a score behind the one already seen arrived late (another feed of the
    // game was ahead): it does not take the game back, nor count as a lead change or tie.
    const behind = awayGain <= 0 && homeGain <= 0 && awayGain + homeGain < 0 && event.scoreValue === 0;
    if (!behind) this.#score = { away: event.awayScore, home: event.homeScore };
    if (!behind && event.kind !== 'final' && (awayGain !== 0 || homeGain !== 0)) {
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
    if (sport === 'baseball' && event.kind !== 'final') this.#noHitter(event, add);
    return out;
  }

  /** Announces a no-hitter through 5, 7 and 8 innings, when the batting side comes up hitless. */
  #noHitter(event: GameEvent, add: (derived: GameEvent, context?: Partial<RatingContext>) => void): void {
    const innings = event.period - 1;
    if (!NO_HITTER_INNINGS.has(innings)) return;
    const half = event.detail.half;
    const batting: Array<'away' | 'home'> =
      half === 'top' ? ['away'] : half === 'bottom' ? ['home'] : ['away', 'home'];
    for (const side of batting) {
      if (event.game[side].stats.hits !== 0) continue;
      const pitching = side === 'away' ? event.game.home : event.game.away;
      const key = `${pitching.id}:${innings}`;
      if (this.#noHitters.has(key)) continue;
      this.#noHitters.add(key);
      const weight = NO_HITTER_WEIGHT[innings] ?? 0.5;
      const label = `a no-hitter through ${innings} innings`;
      add(
        derive(
          event,
          `no_hitter:${pitching.id}:${event.period}`,
          'milestone',
          { milestone: 'noHitter', label, teamId: pitching.id, innings, hitsAllowed: 0 },
          { teamId: pitching.id, players: [] },
        ),
        {
          milestone: { key: 'noHitter', label, stat: 'hits', value: 0, threshold: innings, weight },
        },
      );
    }
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
  const carried: GameEvent['detail'] = {};
  if (kind !== 'milestone') {
    for (const key of CARRIED) {
      const value = base.detail[key];
      if (value !== undefined) carried[key] = value;
    }
  }
  const event: GameEvent = {
    ...base,
    id: `${base.id}:${suffix}`,
    kind,
    detail: { ...detail, ...carried },
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
