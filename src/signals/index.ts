export { type GameProgress, momentOf, periodName, progressOf } from './game-clock.ts';
export { GameTracker } from './game-tracker.ts';
export {
  DriveWatcher,
  LONG_PLAY_YARDS,
  RED_ZONE_YARDS,
  type Situation,
  situationsOf,
  TWO_MINUTE_SECONDS,
} from './league-rules.ts';
export {
  CLOSE_SPAN,
  DECIDED_PCT,
  type EventWinProbability,
  FULL_SWING,
  type Leverage,
  leverageOf,
  winProbabilityOf,
} from './leverage.ts';
export { type Milestone, milestonesReached } from './milestones.ts';
export { DEFAULT_SIGNIFICANCE_SETTINGS, type Route, routeEvent } from './routing.ts';
export { type Run, RunDetector, type RunOptions } from './runs.ts';
export { scoreGame } from './score-game.ts';
export type { ScoredEvent } from './scored-event.ts';
export { BREAKING_AT, type RatingContext, rateEvent } from './significance.ts';
