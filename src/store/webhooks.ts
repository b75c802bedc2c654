import { type ColumnType, type Generated, type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

export const WEBHOOK_EVENTS = ['post.published', 'post.rejected', 'post.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  events: ColumnType<WebhookEventType[], string, string>;
  enabled: Generated<boolean>;
  created_at: Date;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: 'pending' | 'delivering' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

type Tables = { webhook_endpoints: WebhookEndpointsTable; webhook_deliveries: WebhookDeliveriesTable };
type HooksDb = Kysely<DB & Tables>;
const hooksDb = (db: Kysely<DB>): HooksDb => db.withTables<Tables>();

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: Date;
}

export async function insertEndpoint(
  db: Kysely<DB>,
  endpoint: { id: string; url: string; events: WebhookEventType[] },
  now: Date,
): Promise<WebhookEndpoint> {
  const r = await hooksDb(db)
    .insertInto('webhook_endpoints')
    .values({ id: endpoint.id, url: endpoint.url, events: JSON.stringify(endpoint.events), created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: r.id, url: r.url, events: r.events, enabled: r.enabled, createdAt: r.created_at };
}

export async function listEndpoints(db: Kysely<DB>): Promise<WebhookEndpoint[]> {
  const rows = await hooksDb(db).selectFrom('webhook_endpoints').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events,
    enabled: r.enabled,
    createdAt: r.created_at,
  }));
}

/** Turns an endpoint off (its deliveries stay as history). Returns false when unknown. */
export async function disableEndpoint(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await hooksDb(db)
    .updateTable('webhook_endpoints')
    .set({ enabled: false })
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Queues one delivery per enabled endpoint subscribed to the event's type.
 * Idempotent per (endpoint, event id): emitting the same event twice queues
 * it once. Returns the ids of the new deliveries.
 */
export async function enqueueDeliveries(
  db: Kysely<DB>,
  event: { id: string; type: WebhookEventType; payload: Record<string, unknown> },
  now: Date,
): Promise<number[]> {
  const h = hooksDb(db);
  const endpoints = await h
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('enabled', '=', true)
    .execute();
  const targets = endpoints.filter((e) => e.events.includes(event.type));
  if (targets.length === 0) return [];
  const rows = await h
    .insertInto('webhook_deliveries')
    .values(
      targets.map((e) => ({
        endpoint_id: e.id,
        event_id: event.id,
        event_type: event.type,
        payload: JSON.stringify(event.payload),
        status: 'pending' as const,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export interface DueDelivery {
  id: number;
  endpointId: string;
  url: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Claims up to `limit` deliveries that are due, marking them `delivering`
 * (SKIP LOCKED: two workers never send the same one). A delivery left
 * `delivering` by a crash is due again after `staleMs`.
 */
export async function claimDueDeliveries(
  db: Kysely<DB>,
  now: Date,
  limit: number,
  staleMs = 120_000,
): Promise<DueDelivery[]> {
  const stale = new Date(now.getTime() - staleMs);
  const result = await sql<{
    id: number;
    endpoint_id: string;
    url: string;
    event_id: string;
    event_type: string;
    payload: Record<string, unknown>;
    attempts: number;
  }>`
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d
      WHERE (d.status = 'pending' AND d.next_attempt_at <= ${now})
         OR (d.status = 'delivering' AND d.next_attempt_at <= ${stale})
      ORDER BY d.next_attempt_at, d.id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE webhook_deliveries d
    SET status = 'delivering', attempts = d.attempts + 1, next_attempt_at = ${now}
    FROM due, webhook_endpoints e
    WHERE d.id = due.id AND e.id = d.endpoint_id
    RETURNING d.id, d.endpoint_id, e.url, d.event_id, d.event_type, d.payload, d.attempts`.execute(db);
  return result.rows.map((r) => ({
    id: Number(r.id),
    endpointId: r.endpoint_id,
    url: r.url,
    eventId: r.event_id,
    eventType: r.event_type,
    payload: r.payload,
    attempts: r.attempts,
  }));
}

/** Records the outcome of one attempt: delivered, retry at `retryAt`, or failed for good. */
export async function recordDeliveryAttempt(
  db: Kysely<DB>,
  id: number,
  outcome:
    | { kind: 'delivered'; status: number }
    | { kind: 'retry'; status: number | null; error: string; retryAt: Date }
    | { kind: 'failed'; status: number | null; error: string },
  now: Date,
): Promise<void> {
  const h = hooksDb(db).updateTable('webhook_deliveries').where('id', '=', id);
  switch (outcome.kind) {
    case 'delivered':
      await h
        .set({ status: 'delivered', last_status: outcome.status, last_error: null, delivered_at: now })
        .execute();
      return;
    case 'retry':
      await h
        .set({
          status: 'pending',
          last_status: outcome.status,
          last_error: outcome.error,
          next_attempt_at: outcome.retryAt,
        })
        .execute();
      return;
    case 'failed':
      await h.set({ status: 'failed', last_status: outcome.status, last_error: outcome.error }).execute();
      return;
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

/** Deliveries claimed but not finished go back to pending (graceful stop). Returns how many. */
export async function releaseDeliveries(db: Kysely<DB>, ids: readonly number[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await hooksDb(db)
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'pending', next_attempt_at: now, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', [...ids])
    .where('status', '=', 'delivering')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface DeliveryRecord {
  id: number;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export async function listDeliveries(
  db: Kysely<DB>,
  options: { limit: number; endpointId?: string },
): Promise<DeliveryRecord[]> {
  let q = hooksDb(db).selectFrom('webhook_deliveries').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.endpointId) q = q.where('endpoint_id', '=', options.endpointId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  }));
}
