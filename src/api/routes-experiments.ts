import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { analyseExperimentById, analyseExperiments } from '../feedback/experiments-analysis.ts';
import type { DB } from '../store/schema.ts';
import { route } from './route.ts';
import { ServiceError } from './services.ts';

export interface ExperimentRouteOptions {
  db: Kysely<DB>;
  /** The engine's clock (an experiment's state: scheduled, running, ended). */
  now: () => Date;
}

const ExperimentParams = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'expected an experiment id (lower-case letters, digits, - and _)'),
});

const Comparison = z.union([
  z.object({ status: z.literal('control') }),
  z.object({
    status: z.literal('not enough samples'),
    minSamples: z.number().int(),
    measured: z.number().int(),
    controlMeasured: z.number().int(),
  }),
  z.object({
    status: z.literal('tested'),
    significant: z.boolean(),
    test: z.enum(['welch', 'mann-whitney']),
    statistic: z.number(),
    df: z.number().optional(),
    z: z.number().optional(),
    pValue: z.number(),
    method: z.enum(['exact', 'approximate', 't']),
  }),
]);

const ArmReport = z.object({
  arm: z.string(),
  control: z.boolean(),
  weight: z.number(),
  assigned: z.number().int(),
  served: z.number().int(),
  fellBack: z.number().int(),
  published: z.number().int(),
  measured: z.number().int(),
  mean: z.number().nullable(),
  stdDev: z.number().nullable(),
  lift: z.number().nullable(),
  comparison: Comparison,
});

const ExperimentReport = z.object({
  id: z.string(),
  description: z.string(),
  state: z.enum(['scheduled', 'running', 'ended']),
  start: z.string(),
  end: z.string().nullable(),
  accounts: z.union([z.literal('all'), z.array(z.string())]),
  kinds: z.union([z.literal('all'), z.array(z.string())]),
  metric: z.object({ likes: z.number(), reposts: z.number(), replies: z.number(), quotes: z.number() }),
  minSamples: z.number().int(),
  test: z.enum(['welch', 'mann-whitney']),
  alpha: z.number(),
  arms: z.array(ArmReport),
});

/**
 * GET /api/experiments and GET /api/experiments/:id (any authenticated reader, viewers included):
 * every experiment the engine has run (definitions as last configured), with per arm the posts
 * assigned, served, fallen back and published, the mean engagement metric of the published ones
 * (latest snapshot per post), the lift over the control and the configured two-sided test, or "not
 * enough samples" below the experiment's minimum.
 */
export function experimentRoutes(app: FastifyInstance, options: ExperimentRouteOptions): void {
  const { db, now } = options;
  route(app, {
    method: 'GET',
    url: '/api/experiments',
    permission: 'read',
    tags: ['experiments'],
    summary: 'A/B experiments: per arm, posts and engagement, lift over the control and the test',
    response: z.object({ experiments: z.array(ExperimentReport) }),
    handler: async () => ({ experiments: await analyseExperiments(db, now().getTime()) }),
  });
  route(app, {
    method: 'GET',
    url: '/api/experiments/:id',
    permission: 'read',
    tags: ['experiments'],
    summary: 'One A/B experiment: per arm, posts and engagement, lift over the control and the test',
    params: ExperimentParams,
    response: z.object({ experiment: ExperimentReport }),
    handler: async ({ params }) => {
      const experiment = await analyseExperimentById(db, params.id, now().getTime());
      if (!experiment) throw new ServiceError('not_found', `no experiment "${params.id}"`);
      return { experiment };
    },
  });
}
