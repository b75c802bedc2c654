import type { League } from './league.ts';
import type { Platform } from './platform.ts';

export const APPROVAL_MODES = ['auto', 'review', 'review_above'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** A posting window in the account's time zone ("HH:MM" to "HH:MM"). */
export interface PostingWindow {
  days: number[];
  start: string;
  end: string;
}

export interface Account {
  id: string;
  platform: Platform;
  handle: string;
  voiceId: string;
  leagues: League[];
  /** Team abbreviations followed (empty: the whole league). */
  teams: string[];
  /** Only events at or above this significance are written for the account. */
  minSignificance: number;
  /** Minimum seconds between two posts. */
  spacingSeconds: number;
  /** Live posts older than this are expired instead of published. */
  maxAgeSeconds: number;
  timezone: string;
  windows: PostingWindow[];
  budget: { postsPerDay: number; usdMicrosPerDay: number };
  /**
   * Human review: `timeoutSeconds` (default 900) after a post enters review
   * (or was last edited) it takes the default action `onTimeout` (default
   * drop). Optional so that accounts built in code keep compiling; the
   * configuration always sets both.
   */
  approval: {
    mode: ApprovalMode;
    threshold: number;
    timeoutSeconds?: number;
    onTimeout?: 'publish' | 'drop';
  };
  /** Name of the credentials entry in the configuration; none means outbox. */
  credentials?: string;
  /**
   * Accounts that take over a post this account cannot afford (its X budget
   * is spent), in order of preference. Default (absent or empty): such posts wait for the budget.
   */
  fallbacks?: string[];
}
