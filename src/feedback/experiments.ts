import { createHash } from 'node:crypto';
import type { ExperimentConfig } from '../app/config-schema.ts';
import type { EventKind, GameEvent } from '../domain/event.ts';
import type { Voice } from '../domain/voice.ts';
import type { LlmWriteRequest } from '../write/llm/llm-writer.ts';

/**
 * A/B experiments: which (event, account) pairs an experiment covers, which arm a pair is assigned
 * (deterministically), and what an arm changes in the write request. Pure functions of plain values;
 * `experiments-write.ts` writes the variants, `experiments-analysis.ts` compares the arms.
 *
 * Decisions (see also src/feedback/experiments.md):
 * - the first arm is the control;
 * - an (event, account) pair is in at most one experiment: the first declared that covers it;
 * - the time window applies to the event's own time (`occurredAt`), so a replay covers the same events
 *   as the live run did, whatever the clock of the replay.
 */

/** What an arm changes in the account's voice. Unset fields keep the voice's own. */
export interface VoiceOverride {
  persona?: string;
  tone?: Voice['tone'];
  emoji?: string[];
  hashtags?: string[];
  useWords?: string[];
}

export interface Arm {
  id: string;
  /** Relative share of the assignments (0 = never assigned, still a fallback). */
  weight: number;
  voice?: VoiceOverride;
  /** The writers' phrasing number (the request's `variant`): 0 = the usual phrasing. */
  phrasing: number;
  /** An extra instruction for LLM writers (the template writer has none to follow). */
  instruction?: string;
}

export interface Metric {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}

export interface Experiment {
  id: string;
  description: string;
  /** Account ids covered; `all` for every account. */
  accounts: 'all' | readonly string[];
  /** Event kinds covered; `all` for every kind. */
  kinds: 'all' | readonly EventKind[];
  minSignificance: number;
  /** Epoch ms: events at or after it are covered. */
  start: number;
  /** Epoch ms: events before it are covered; null = no end. */
  end: number | null;
  /** Two or more; the first is the control. */
  arms: readonly Arm[];
  metric: Metric;
  minSamples: number;
  test: 'welch' | 'mann-whitney';
  alpha: number;
}

/** Converts the validated configuration entries (`experiments:` of wirereport.yaml) into experiments. */
export function experimentsFromConfig(config: readonly ExperimentConfig[]): Experiment[] {
  return config.map((e) => ({
    id: e.id,
    description: e.description,
    accounts: e.accounts,
    kinds: e.kinds ?? 'all',
    minSignificance: e.minSignificance,
    start: Date.parse(e.start),
    end: e.end === undefined ? null : Date.parse(e.end),
    arms: e.arms.map((a) => ({
      id: a.id,
      weight: a.weight,
      phrasing: a.phrasing,
      ...(a.voice ? { voice: a.voice } : {}),
      ...(a.instruction !== undefined ? { instruction: a.instruction } : {}),
    })),
    metric: e.metric,
    minSamples: e.minSamples,
    test: e.test,
    alpha: e.alpha,
  }));
}

/** Whether `experiment` covers an event for an account that sees it with `significance`. */
export function covers(
  experiment: Experiment,
  event: Pick<GameEvent, 'kind' | 'occurredAt'>,
  accountId: string,
  significance: number,
): boolean {
  if (experiment.accounts !== 'all' && !experiment.accounts.includes(accountId)) return false;
  if (experiment.kinds !== 'all' && !experiment.kinds.includes(event.kind)) return false;
  if (significance < experiment.minSignificance) return false;
  if (event.occurredAt < experiment.start) return false;
  return experiment.end === null || event.occurredAt < experiment.end;
}

/** The first experiment covering the pair, if any. */
export function experimentFor(
  experiments: readonly Experiment[],
  event: Pick<GameEvent, 'kind' | 'occurredAt'>,
  accountId: string,
  significance: number,
): Experiment | undefined {
  return experiments.find((e) => covers(e, event, accountId, significance));
}

/**
 * The arm index assigned to (event, account) in `experiment`: a SHA-256 of experiment id, event id and
 * account id gives a number in [0, 1), which falls into the arms' cumulative weights. A pure function
 * of those three ids and the weights, so a replay, a retry or a second worker assigns the same arm.
 */
export function assignArm(experiment: Experiment, eventId: string, accountId: string): number {
  const digest = createHash('sha256').update(`${experiment.id}\u0000${eventId}\u0000${accountId}`).digest();
  // 48 bits: uniform enough, and exact in a double.
  const u = digest.readUIntBE(0, 6) / 2 ** 48;
  const total = experiment.arms.reduce((s, a) => s + a.weight, 0);
  let at = u * total;
  for (const [i, arm] of experiment.arms.entries()) {
    if (arm.weight === 0) continue;
    if (at < arm.weight) return i;
    at -= arm.weight;
  }
  // Rounding at the very top: the last arm with a weight.
  return experiment.arms.findLastIndex((a) => a.weight > 0);
}

/**
 * The order in which arms stand in for the assigned one when its draft is rejected: the control first,
 * then the others in declared order (the assigned arm excluded).
 */
export function fallbackOrder(experiment: Experiment, assigned: number): number[] {
  return experiment.arms.map((_, i) => i).filter((i) => i !== assigned);
}

/**
 * The write request of one arm: the account's voice with the arm's overrides, the arm's phrasing as
 * the writers' `variant`, and the arm's instruction. Everything else (facts, platform, limits, post
 * id, deadline) is the base request's.
 */
export function armRequest(base: LlmWriteRequest, arm: Arm): LlmWriteRequest {
  const voice: Voice = { ...base.voice, ...(arm.voice ?? {}) };
  return {
    ...base,
    voice,
    variant: arm.phrasing,
    ...(arm.instruction !== undefined ? { instruction: arm.instruction } : {}),
  };
}
