export {
  type FetchError,
  isFetchError,
  PermanentFetchError,
  parseRetryAfter,
  RateLimitedError,
  TRANSIENT_REASONS,
  TransientFetchError,
  type TransientReason,
} from './errors.ts';
export {
  BREAKER_STATES,
  type BreakerState,
  type Clock,
  FeedFetcher,
  type FeedFetcherOptions,
  type FetchFn,
  type FetchResult,
  type FetchTiming,
  systemClock,
} from './feed-fetcher.ts';
