import { clockSeconds } from '../../domain/clock.ts';
import type { GameState, Sport } from '../../domain/index.ts';

/** How often to poll one game, by phase. Every delay gets ±`jitter` so pollers of many games spread out. */
export interface PollingPolicy {
  /** In play. Default 10000 ms. */
  liveMs: number;
  /** Last two minutes (or last inning) of a close game. Default 4000 ms. */
  clutchMs: number;
  /** Between periods. Default 30000 ms. */
  breakMs: number;
  /** Halftime. Default 60000 ms. */
  halftimeMs: number;
  /** Within `startWindowMs` of the start, or past it but not started. Default 30000 ms. */
  pregameMs: number;
  /** Far from the start. Default 300000 ms (it is also capped so the window is not missed). */
  idleMs: number;
  /** How long before the start a game counts as about to start. Default 15 min. */
  startWindowMs: number;
  /** Relative jitter, 0.1 for ±10%. Default 0.1. */
  jitter: number;
  /** Longest wait after consecutive errors (backoff doubles from `liveMs`). Default 60000 ms. */
  errorBackoffMaxMs: number;
}

export const DEFAULT_POLLING: PollingPolicy = {
  liveMs: 10_000,
  clutchMs: 4_000,
  breakMs: 30_000,
  halftimeMs: 60_000,
  pregameMs: 30_000,
  idleMs: 300_000,
  startWindowMs: 15 * 60_000,
  jitter: 0.1,
  errorBackoffMaxMs: 60_000,
};

export const POLL_PHASES = ['idle', 'pregame', 'live', 'clutch', 'break', 'halftime', 'final'] as const;
export type PollPhase = (typeof POLL_PHASES)[number];

/** What the poller knows of a game when choosing its next delay. */
export interface PollSituation {
  sport: Sport;
  state: GameState;
  /** ISO start time. */
  startTime: string;
  period: number;
  clock: string;
  regulationPeriods: number;
  awayScore: number;
  homeScore: number;
  /** ESPN's status name ("STATUS_HALFTIME", "STATUS_END_PERIOD"), when known. */
  statusName?: string;
}

/** Close-game margins for the clutch phase, per sport. */
const CLOSE_MARGIN: Record<Sport, number> = { basketball: 8, football: 8, hockey: 1, baseball: 2 };

/** The phase of a game for polling purposes, at `now` (epoch ms). */
export function pollPhase(
  situation: PollSituation,
  now: number,
  policy: PollingPolicy = DEFAULT_POLLING,
): PollPhase {
  switch (situation.state) {
    case 'post':
      return 'final';
    case 'pre': {
      const untilStart = Date.parse(situation.startTime) - now;
      return Number.isNaN(untilStart) || untilStart > policy.startWindowMs ? 'idle' : 'pregame';
    }
    case 'in': {
      if (situation.statusName === 'STATUS_HALFTIME') return 'halftime';
      const seconds = clockSeconds(situation.clock);
      if (situation.statusName === 'STATUS_END_PERIOD' || (seconds === 0 && situation.sport !== 'baseball'))
        return 'break';
      const margin = Math.abs(situation.awayScore - situation.homeScore);
      const late = situation.period >= situation.regulationPeriods;
      const close = margin <= CLOSE_MARGIN[situation.sport];
      const lastTwoMinutes = situation.sport === 'baseball' || (seconds !== undefined && seconds <= 120);
      return late && close && lastTwoMinutes ? 'clutch' : 'live';
    }
    default: {
      const never: never = situation.state;
      throw new Error(`unknown game state ${String(never)}`);
    }
  }
}

/**
 * Milliseconds until the next poll (jittered by `random`, uniform in [0, 1)),
 * or undefined once the game is final. Idle waits are capped so that the poll
 * lands inside the start window rather than after it.
 */
export function pollDelay(
  situation: PollSituation,
  now: number,
  policy: PollingPolicy = DEFAULT_POLLING,
  random: () => number = Math.random,
): number | undefined {
  const phase = pollPhase(situation, now, policy);
  let base: number;
  switch (phase) {
    case 'final':
      return undefined;
    case 'idle': {
      const untilWindow = Date.parse(situation.startTime) - policy.startWindowMs - now;
      base = Number.isNaN(untilWindow)
        ? policy.idleMs
        : Math.max(policy.pregameMs, Math.min(policy.idleMs, untilWindow));
      break;
    }
    case 'pregame':
      base = policy.pregameMs;
      break;
    case 'live':
      base = policy.liveMs;
      break;
    case 'clutch':
      base = policy.clutchMs;
      break;
    case 'break':
      base = policy.breakMs;
      break;
    case 'halftime':
      base = policy.halftimeMs;
      break;
    default: {
      const never: never = phase;
      throw new Error(`unknown phase ${String(never)}`);
    }
  }
  return jittered(base, policy.jitter, random);
}

/** `base` spread by ±`jitter` (relative). */
export function jittered(base: number, jitter: number, random: () => number = Math.random): number {
  return Math.round(base * (1 + (random() * 2 - 1) * jitter));
}
