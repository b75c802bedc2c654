export { correctionEventId, correctionEvents } from './corrections.ts';
export { FeedMerger, mergedEventId, sharedKey } from './feed-merger.ts';
export {
  type BatchSink,
  type GameBatch,
  GameMonitor,
  type GameMonitorOptions,
  MONITOR_STATUSES,
  type MonitorStatus,
  type MonitorStatusName,
  type NbaLiveFeed,
  type NbaLiveResolver,
} from './game-monitor.ts';
export {
  hasLiveData,
  NBA_LIVE_DATA,
  NbaLiveDirectory,
  type NbaLiveDirectoryOptions,
} from './nba-live-directory.ts';
export {
  type DiffResult,
  PlayDiffer,
  type PlayDifferOptions,
  type RemovedPlay,
  type ScoreCorrection,
} from './play-differ.ts';
export {
  DEFAULT_POLLING,
  jittered,
  POLL_PHASES,
  type PollingPolicy,
  type PollPhase,
  type PollSituation,
  pollDelay,
  pollPhase,
} from './poll-policy.ts';
export { ManualScheduler, type Scheduler, systemScheduler, type TimerHandle } from './scheduler.ts';
export {
  ESPN_SITE_API,
  espnLeaguePath,
  type LeagueFeedStatus,
  SlateWatcher,
  type SlateWatcherOptions,
  scoreboardUrl,
  summaryUrl,
} from './slate-watcher.ts';
