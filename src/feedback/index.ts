/**
 * Feedback: engagement read back from the platforms on a decaying schedule
 * (collector.ts over poll-schedule.ts), and what it teaches (best-times.ts).
 */
export {
  type BestTimes,
  type BestTimesOptions,
  bestTimes,
  type DayEngagement,
  type EngagedPost,
  engagementByDay,
  type HourOfWeek,
  interactions,
  localDay,
} from './best-times.ts';
export {
  type CollectorDeps,
  DEFAULT_READ_FEES_USD_MICROS,
  EngagementCollector,
  type PassResult,
  type PollMetricOutcome,
} from './collector.ts';
export {
  DEFAULT_POLL_OFFSETS_MS,
  MAX_FAILURES_PER_STEP,
  nextStep,
  retryAt,
  validateOffsets,
} from './poll-schedule.ts';
