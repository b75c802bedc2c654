export { clockSeconds, type GameProgress, momentOf, periodName, progressOf } from './game-clock.ts';
export { GameTracker } from './game-tracker.ts';
export { type Milestone, milestonesReached } from './milestones.ts';
export { type Route, routeEvent } from './routing.ts';
export { type Run, RunDetector, type RunOptions } from './runs.ts';
export { scoreGame } from './score-game.ts';
export type { ScoredEvent } from './scored-event.ts';
export { BREAKING_AT, type RatingContext, rateEvent } from './significance.ts';
