import type { Kysely } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { pollBacklog } from '../store/engagement.ts';
import { feedStats, llmTotals, queueDepth } from '../store/queries.ts';
import type { DB } from '../store/schema.ts';

/** Circuit breaker states as the gauge reports them. */
export const BREAKER_STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;
export type BreakerState = keyof typeof BREAKER_STATE_VALUES;

/**
 * The engine's Prometheus metrics, in a registry of their own (never the
 * global one, so tests and several engines in one process do not collide).
 * Counters are fed by the engine's hooks; gauges that describe the store
 * (queue depth, events stored, feed lag, LLM spend) are read from it on
 * every scrape, so they are right whichever process did the work.
 */
export interface Metrics {
  readonly registry: Registry;
  /** A post was created by the ingestor: counts the draft and its verdict. */
  recordPost(post: { accountId: string; status: string; verdict: { ok: boolean; reasons: string[] } }): void;
  /** One publish call finished: its duration and outcome, per platform. */
  recordPublish(platform: string, outcome: string, seconds: number): void;
  /** A platform answered 429 (rate limited). */
  recordRateLimited(platform: string): void;
  /** The state of a named circuit breaker (per feed host or platform). */
  setBreakerState(name: string, state: BreakerState): void;
  /** One HTTP request of the API served. `route` is the route pattern, never the raw URL. */
  recordHttp(method: string, route: string, status: number, seconds: number): void;
  /** A webhook delivery attempt ended. */
  recordWebhook(outcome: 'delivered' | 'retry' | 'failed'): void;
}

export interface MetricsOptions {
  /** The store the scrape-time gauges read. Default: none (those gauges stay empty). */
  db?: Kysely<DB>;
  /** Also export Node's process metrics (CPU, memory, event loop lag). Default: true. */
  processMetrics?: boolean;
  /** Registry to register on (shared with the LLM metrics). Default: a new one. */
  registry?: Registry;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'wirereport_' });
  const db = options.db;

  const drafts = new Counter({
    name: 'wirereport_drafts_total',
    help: 'Drafts written and stored, per account',
    labelNames: ['account'] as const,
    registers: [registry],
  });
  const verdicts = new Counter({
    name: 'wirereport_verdicts_total',
    help: 'Verification verdicts, by result (pass or fail)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const verdictReasons = new Counter({
    name: 'wirereport_verdict_failures_total',
    help: 'Reasons drafts failed verification ("contradicted:number", "length", ...)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const publishSeconds = new Histogram({
    name: 'wirereport_publish_seconds',
    help: 'Duration of one publish (claim to recorded outcome), by platform and outcome',
    labelNames: ['platform', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'wirereport_platform_rate_limited_total',
    help: '429 (rate limited) answers from platforms',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  const breakers = new Gauge({
    name: 'wirereport_breaker_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
    labelNames: ['name'] as const,
    registers: [registry],
  });
  const http = new Histogram({
    name: 'wirereport_http_request_seconds',
    help: 'API requests served, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'wirereport_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  // Scrape-time gauges, read from the store.
  new Gauge({
    name: 'wirereport_queue_depth',
    help: 'Posts waiting per account and status (queued, awaiting_approval, publishing, unconfirmed)',
    labelNames: ['account', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!db) return;
      for (const row of await queueDepth(db)) this.set({ account: row.accountId, status: row.status }, row.n);
    },
  });
  const feed = db ? () => feedStats(db) : async () => [];
  new Gauge({
    name: 'wirereport_events_ingested',
    help: 'Events stored, per league (a counter kept by the store)',
    labelNames: ['league'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await feed()) this.set({ league: row.league }, row.events);
    },
  });
  new Gauge({
    name: 'wirereport_feed_lag_seconds',
    help: 'Seconds from the play to its ingestion, for the latest event per league',
    labelNames: ['league'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await feed())
        if (row.lagSeconds !== null) this.set({ league: row.league }, row.lagSeconds);
    },
  });
  const llm = db ? () => llmTotals(db) : async () => [];
  new Gauge({
    name: 'wirereport_llm_tokens',
    help: 'LLM tokens used in total, per provider, model and direction (from the cost ledger)',
    labelNames: ['provider', 'model', 'direction'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await llm()) {
        this.set({ provider: row.provider, model: row.model, direction: 'in' }, row.tokensIn);
        this.set({ provider: row.provider, model: row.model, direction: 'out' }, row.tokensOut);
      }
    },
  });
  new Gauge({
    name: 'wirereport_llm_cost_usd',
    help: 'LLM spend in US dollars in total, per provider and model (from the cost ledger)',
    labelNames: ['provider', 'model'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await llm())
        this.set({ provider: row.provider, model: row.model }, row.usdMicros / 1e6);
    },
  });

  return {
    registry,
    recordPost(post) {
      drafts.inc({ account: post.accountId });
      verdicts.inc({ result: post.verdict.ok ? 'pass' : 'fail' });
      for (const reason of post.verdict.reasons) verdictReasons.inc({ reason });
    },
    recordPublish(platform, outcome, seconds) {
      publishSeconds.observe({ platform, outcome }, seconds);
    },
    recordRateLimited(platform) {
      rateLimited.inc({ platform });
    },
    setBreakerState(name, state) {
      breakers.set({ name }, BREAKER_STATE_VALUES[state]);
    },
    recordHttp(method, route, status, seconds) {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    recordWebhook(outcome) {
      webhooks.inc({ outcome });
    },
  };
}

/** Metrics of the engagement collector (src/feedback), registered by the engine. */
export interface EngagementMetrics {
  /** One engagement read ended: ok, gone, rate_limited, error or refused, with its duration. */
  recordPoll(platform: string, outcome: string, seconds: number): void;
}

/**
 * Registers the engagement metrics on `registry` (once: a second call on the
 * same registry reuses them): reads per platform and outcome, their
 * duration, and, read from the store on every scrape, the reads scheduled
 * and due per platform.
 */
export function createEngagementMetrics(
  registry: Registry,
  db?: Kysely<DB>,
  now: () => Date = () => new Date(),
): EngagementMetrics {
  const existing = registry.getSingleMetric('wirereport_engagement_polls_total') as
    | Counter<'platform' | 'outcome'>
    | undefined;
  const polls =
    existing ??
    new Counter({
      name: 'wirereport_engagement_polls_total',
      help: 'Engagement reads of published posts, by platform and outcome (ok, gone, rate_limited, error, refused)',
      labelNames: ['platform', 'outcome'] as const,
      registers: [registry],
    });
  const seconds =
    (registry.getSingleMetric('wirereport_engagement_poll_seconds') as Histogram<'platform'> | undefined) ??
    new Histogram({
      name: 'wirereport_engagement_poll_seconds',
      help: 'Duration of one engagement read, by platform',
      labelNames: ['platform'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  if (!existing && db) {
    new Gauge({
      name: 'wirereport_engagement_polls_scheduled',
      help: 'Engagement reads scheduled (state active) and due now, per platform',
      labelNames: ['platform', 'when'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of await pollBacklog(db, now())) {
          this.set({ platform: row.platform, when: 'scheduled' }, row.active);
          this.set({ platform: row.platform, when: 'due' }, row.due);
        }
      },
    });
  }
  return {
    recordPoll(platform, outcome, s) {
      polls.inc({ platform, outcome });
      seconds.observe({ platform }, s);
    },
  };
}
