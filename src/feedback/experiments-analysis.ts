import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ExperimentConfig } from '../app/config-schema.ts';
import { EVENT_KINDS } from '../domain/event.ts';
import {
  armCounts,
  experimentDefinitions,
  type MeasuredPost,
  measuredPosts,
  syncExperiments,
} from '../store/experiments.ts';
import type { DB } from '../store/schema.ts';
import { type Experiment, experimentsFromConfig, type Metric } from './experiments.ts';
import { mannWhitneyU, mean, type TestResult, variance, welchTTest } from './stats.ts';

/**
 * The experiments' analysis: per arm, the posts assigned, served and published, and the engagement of
 * the published ones (the latest snapshot of each post, weighed by the experiment's metric), compared
 * with the control by the configured two-sided test once both have `minSamples` measured posts.
 *
 * Posts count for the arm whose text they carry (`served_arm`): a post whose assigned arm was rejected
 * and which fell back to the control measures the control's text. Fallbacks are counted per assigned
 * arm so a high rate shows (an arm whose drafts often fail verification biases its sample).
 */

/** The stored form of an experiment (what `registerExperiments` writes), parsed back. */
const StoredExperiment = z.object({
  id: z.string(),
  description: z.string(),
  accounts: z.union([z.literal('all'), z.array(z.string())]),
  kinds: z.union([z.literal('all'), z.array(z.enum(EVENT_KINDS))]),
  minSignificance: z.number(),
  start: z.number(),
  end: z.number().nullable(),
  arms: z
    .array(
      z.object({
        id: z.string(),
        weight: z.number(),
        phrasing: z.number(),
        voice: z
          .object({
            persona: z.string().optional(),
            tone: z.enum(['neutral', 'hype', 'analytical', 'wry']).optional(),
            emoji: z.array(z.string()).optional(),
            hashtags: z.array(z.string()).optional(),
            useWords: z.array(z.string()).optional(),
          })
          .optional(),
        instruction: z.string().optional(),
      }),
    )
    .min(2),
  metric: z.object({ likes: z.number(), reposts: z.number(), replies: z.number(), quotes: z.number() }),
  minSamples: z.number().int(),
  test: z.enum(['welch', 'mann-whitney']),
  alpha: z.number(),
});

/**
 * Turns the configured experiments into `Experiment`s and writes their definitions into the store
 * (the analysis reads them from there, also once an experiment left the configuration). Returns the
 * experiments for the pipeline.
 */
export async function registerExperiments(
  db: Kysely<DB>,
  config: readonly ExperimentConfig[] | undefined,
  now: Date,
): Promise<Experiment[]> {
  const experiments = experimentsFromConfig(config ?? []);
  await syncExperiments(
    db,
    experiments.map((e) => ({ id: e.id, definition: { ...e } as Record<string, unknown> })),
    now,
  );
  return experiments;
}

/** The comparison of an arm with the control. */
export type Comparison =
  | { status: 'control' }
  | { status: 'not enough samples'; minSamples: number; measured: number; controlMeasured: number }
  | ({ status: 'tested'; significant: boolean } & TestResult);

export interface ArmReport {
  arm: string;
  control: boolean;
  weight: number;
  /** Posts whose hash chose this arm. */
  assigned: number;
  /** Posts carrying this arm's text. */
  served: number;
  /** Posts assigned here that carry another arm's text, or none (no arm verified). */
  fellBack: number;
  /** Served posts that were published. */
  published: number;
  /** Published posts with at least one engagement snapshot. */
  measured: number;
  /** Mean metric of the measured posts; null when none. */
  mean: number | null;
  /** Sample standard deviation; null below two measured posts. */
  stdDev: number | null;
  /** (mean - control mean) / control mean; null when either mean is missing or the control's is 0. */
  lift: number | null;
  comparison: Comparison;
}

export interface ExperimentReport {
  id: string;
  description: string;
  /** `scheduled` before its start, `running`, `ended` after its end (at `now`). */
  state: 'scheduled' | 'running' | 'ended';
  start: string;
  end: string | null;
  accounts: 'all' | string[];
  kinds: 'all' | string[];
  metric: Metric;
  minSamples: number;
  test: 'welch' | 'mann-whitney';
  alpha: number;
  arms: ArmReport[];
}

/** The metric of one measured post: the weighted sum of its latest counts (missing quotes count 0). */
export function metricOf(post: MeasuredPost, metric: Metric): number {
  return (
    metric.likes * post.likes +
    metric.reposts * post.reposts +
    metric.replies * post.replies +
    metric.quotes * (post.quotes ?? 0)
  );
}

/**
 * Compares each arm's sample with the control's (pure): means, lift, and the configured test when
 * both have at least `minSamples` values.
 */
export function compareArms(
  experiment: Pick<Experiment, 'arms' | 'minSamples' | 'test' | 'alpha'>,
  samples: ReadonlyMap<string, readonly number[]>,
): Pick<ArmReport, 'arm' | 'measured' | 'mean' | 'stdDev' | 'lift' | 'comparison'>[] {
  const control = experiment.arms[0]!.id;
  const base = samples.get(control) ?? [];
  const baseMean = base.length > 0 ? mean(base) : null;
  return experiment.arms.map((arm) => {
    const xs = samples.get(arm.id) ?? [];
    const m = xs.length > 0 ? mean(xs) : null;
    const sd = xs.length > 1 ? Math.sqrt(variance(xs)) : null;
    const lift = m !== null && baseMean !== null && baseMean !== 0 ? (m - baseMean) / baseMean : null;
    let comparison: Comparison;
    if (arm.id === control) comparison = { status: 'control' };
    else if (xs.length < experiment.minSamples || base.length < experiment.minSamples)
      comparison = {
        status: 'not enough samples',
        minSamples: experiment.minSamples,
        measured: xs.length,
        controlMeasured: base.length,
      };
    else {
      const result = experiment.test === 'welch' ? welchTTest(xs, base) : mannWhitneyU(xs, base);
      comparison = { status: 'tested', significant: result.pValue < experiment.alpha, ...result };
    }
    return { arm: arm.id, measured: xs.length, mean: m, stdDev: sd, lift, comparison };
  });
}

/** The report of one stored experiment at `now`. */
export async function analyseExperiment(
  db: Kysely<DB>,
  experiment: Experiment,
  now: number,
): Promise<ExperimentReport> {
  const [counts, measured] = await Promise.all([
    armCounts(db, experiment.id),
    measuredPosts(db, experiment.id),
  ]);
  const samples = new Map<string, number[]>();
  for (const post of measured) {
    const list = samples.get(post.arm) ?? [];
    list.push(metricOf(post, experiment.metric));
    samples.set(post.arm, list);
  }
  const compared = compareArms(experiment, samples);
  const byArm = new Map(counts.map((c) => [c.arm, c]));
  return {
    id: experiment.id,
    description: experiment.description,
    state:
      now < experiment.start
        ? 'scheduled'
        : experiment.end !== null && now >= experiment.end
          ? 'ended'
          : 'running',
    start: new Date(experiment.start).toISOString(),
    end: experiment.end === null ? null : new Date(experiment.end).toISOString(),
    accounts: experiment.accounts === 'all' ? 'all' : [...experiment.accounts],
    kinds: experiment.kinds === 'all' ? 'all' : [...experiment.kinds],
    metric: experiment.metric,
    minSamples: experiment.minSamples,
    test: experiment.test,
    alpha: experiment.alpha,
    arms: experiment.arms.map((arm, i) => {
      const c = byArm.get(arm.id);
      return {
        control: i === 0,
        weight: arm.weight,
        assigned: c?.assigned ?? 0,
        served: c?.served ?? 0,
        fellBack: c?.fellBack ?? 0,
        published: c?.published ?? 0,
        ...compared[i]!,
      };
    }),
  };
}

/** The stored experiments (as last configured), parsed. A definition that does not parse is an error. */
export async function storedExperiments(db: Kysely<DB>): Promise<Experiment[]> {
  const rows = await experimentDefinitions(db);
  return rows.map((r) => {
    const parsed = StoredExperiment.safeParse(r.definition);
    if (!parsed.success)
      throw new Error(
        `experiment ${r.id}: stored definition does not parse: ${parsed.error.issues[0]!.message}`,
      );
    return parsed.data as Experiment;
  });
}

/** Reports of every stored experiment, in id order. */
export async function analyseExperiments(db: Kysely<DB>, now: number): Promise<ExperimentReport[]> {
  const experiments = await storedExperiments(db);
  return Promise.all(experiments.map((e) => analyseExperiment(db, e, now)));
}

/** The report of one stored experiment, or undefined when there is none of that id. */
export async function analyseExperimentById(
  db: Kysely<DB>,
  id: string,
  now: number,
): Promise<ExperimentReport | undefined> {
  const experiment = (await storedExperiments(db)).find((e) => e.id === id);
  return experiment ? analyseExperiment(db, experiment, now) : undefined;
}
