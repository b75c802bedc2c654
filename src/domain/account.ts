import type { EventKind } from './event.ts';
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

/**
 * How an account weighs events when they are routed to it (the threshold is
 * `Account.minSignificance`). The defaults are the engine's: bonus and
 * discount 0.15, every kind weighted 1.
 */
export interface SignificanceSettings {
  /** Added to the events of a team the account follows (team accounts only). Default 0.15. */
  ownTeamBonus: number;
  /** Subtracted from the events of the opponent of a followed team. Default 0.15. */
  opponentDiscount: number;
  /** Multiplier per event kind (default 1; 0 mutes the kind; the final always reaches followers). */
  kindWeights: Partial<Record<EventKind, number>>;
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
  /** How the account weighs events; absent: the defaults of {@link SignificanceSettings}. */
  significance?: SignificanceSettings;
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
  /**
   * Which posts go out as threads (a reply chain) where the platform has them:
   * `finals`, a game's final summary followed by its top performers and
   * numbers. Default (absent): none.
   */
  threads?: { finals: boolean };
}
