import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Kysely table types. Mirrors migrations/*.sql; the store tests keep them honest. */

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface AccountsTable {
  id: string;
  platform: string;
  handle: string;
  config: JSONColumnType<Record<string, unknown>>;
  paused: Generated<boolean>;
  last_post_at: NullableTimestamp;
  inflight_post_id: string | null;
  updated_at: Timestamp;
}

export interface GamesTable {
  id: string;
  league: string;
  state: string;
  facts: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface FactSnapshotsTable {
  hash: string;
  /** Snapshots stored before migration 0012; null for those stored deflated. */
  facts: JSONColumnType<Record<string, unknown>> | null;
  /** Raw DEFLATE of the facts' JSON (`store/events.ts` snapshotOf / readFacts). */
  facts_deflated: Buffer | null;
}

export interface EventsTable {
  id: string;
  game_id: string;
  league: string;
  source: string;
  kind: string;
  sequence: number;
  occurred_at: Timestamp;
  ingested_at: Timestamp;
  significance: number;
  breaking: boolean;
  reasons: JSONColumnType<string[]>;
  payload: JSONColumnType<Record<string, unknown>>;
  facts_hash: string | null;
}

export interface PostsTable {
  id: string;
  account_id: string;
  event_id: string;
  variant: Generated<number>;
  status: string;
  priority: number;
  significance: number;
  text: string;
  writer: string;
  template_id: string | null;
  verdict: JSONColumnType<Record<string, unknown>> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  queued_at: NullableTimestamp;
  not_before: NullableTimestamp;
  expires_at: NullableTimestamp;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
  platform_post_id: string | null;
  platform_url: string | null;
  published_at: NullableTimestamp;
}

/** Migration 0005 (src/store/parts.ts): the posts of a thread, 0 the lead, 1..n its replies in order. */
export interface PostPartsTable {
  post_id: string;
  idx: number;
  text: string;
  template_id: string | null;
  verdict: JSONColumnType<Record<string, unknown>> | null;
  platform_post_id: string | null;
  platform_url: string | null;
  published_at: NullableTimestamp;
}

export interface PostTransitionsTable {
  id: Generated<number>;
  post_id: string;
  from_status: string | null;
  to_status: string;
  reason: string;
  at: Timestamp;
}

export interface PublishAttemptsTable {
  id: Generated<number>;
  post_id: string;
  account_id: string;
  platform: string;
  worker: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  outcome: string | null;
  error: string | null;
  platform_post_id: string | null;
}

export interface CostLedgerTable {
  id: Generated<number>;
  at: Timestamp;
  account_id: string | null;
  post_id: string | null;
  kind: string;
  provider: string;
  model: string | null;
  tokens_in: Generated<number>;
  tokens_cached: Generated<number>;
  tokens_out: Generated<number>;
  latency_ms: number | null;
  usd_micros: number;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface OutboxMessagesTable {
  id: Generated<number>;
  idempotency_key: string;
  account_id: string;
  platform: string;
  handle: string;
  text: string;
  sent_at: Timestamp;
}

export interface CursorsTable {
  source: string;
  key: string;
  value: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
}

/** Migration 0007 (src/feedback/): engagement read back from the platforms. */
export interface EngagementSnapshotsTable {
  post_id: string;
  collected_at: Timestamp;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number | null;
}

/** Migration 0007: when each published post is read next (SKIP LOCKED claims). */
export interface EngagementPollsTable {
  post_id: string;
  account_id: string;
  platform: string;
  published_at: Timestamp;
  state: 'active' | 'done' | 'gone' | 'failed';
  step: Generated<number>;
  next_poll_at: NullableTimestamp;
  claimed_by: string | null;
  failures: Generated<number>;
  polls: Generated<number>;
  last_polled_at: NullableTimestamp;
  last_error: string | null;
  updated_at: Timestamp;
}

/** Migration 0008 (src/feedback/experiments*.ts): experiment definitions as last configured. */
export interface ExperimentsTable {
  id: string;
  definition: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
}

/** Migration 0008: the arm assigned and the arm served, per post written under an experiment. */
export interface ExperimentAssignmentsTable {
  post_id: string;
  experiment_id: string;
  account_id: string;
  event_id: string;
  assigned_arm: string;
  served_arm: string | null;
  fallback: string | null;
  created_at: Timestamp;
}

/** Migration 0008: every arm's variant of such a post (only the served one is published). */
export interface ExperimentVariantsTable {
  post_id: string;
  arm: string;
  variant: number;
  text: string;
  writer: string;
  template_id: string | null;
  verified: boolean;
  reasons: JSONColumnType<string[]>;
  served: boolean;
}

export interface DB {
  accounts: AccountsTable;
  games: GamesTable;
  fact_snapshots: FactSnapshotsTable;
  events: EventsTable;
  posts: PostsTable;
  post_transitions: PostTransitionsTable;
  post_parts: PostPartsTable;
  publish_attempts: PublishAttemptsTable;
  cost_ledger: CostLedgerTable;
  outbox_messages: OutboxMessagesTable;
  cursors: CursorsTable;
  experiments: ExperimentsTable;
  experiment_assignments: ExperimentAssignmentsTable;
  experiment_variants: ExperimentVariantsTable;
  engagement_snapshots: EngagementSnapshotsTable;
  engagement_polls: EngagementPollsTable;
}
