import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { DB } from '../store/schema.ts';

/**
 * Publishing triggers through pg-boss. The database is the source of truth:
 * a trigger only says "an account may have something to publish at this
 * time"; the worker that takes it claims posts with our own SQL (SKIP LOCKED,
 * one post in flight per account). A lost trigger costs nothing but latency,
 * because the engine's sweeper publishes whatever is due every few seconds
 * and sends new triggers for what is due later.
 *
 * pg-boss runs on the engine's own store, embedded (PGlite) or PostgreSQL, so
 * several worker processes sharing PostgreSQL share the triggers too.
 */
export interface PublishTriggers {
  /** Asks a worker to publish for `accountId` after `delayMs` (default: now). */
  notify(accountId: string, delayMs?: number): Promise<void>;
  /** Runs `drain` whenever a trigger fires (in this process; other processes run theirs). */
  work(drain: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const QUEUE = 'wirereport-publish';

export async function createPublishTriggers(
  db: Kysely<DB>,
  options: { onError?: (error: unknown) => void; pollingIntervalSeconds?: number } = {},
): Promise<PublishTriggers> {
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values: unknown[] = []) => {
        const result = await db.executeQuery(CompiledQuery.raw(text, values));
        return { rows: result.rows as unknown[] };
      },
    },
    // Maintenance (archiving, expiry) on a relaxed schedule: triggers are cheap and short-lived.
    maintenanceIntervalSeconds: 300,
  } as ConstructorParameters<typeof PgBoss>[0]);
  boss.on('error', (error: unknown) => options.onError?.(error));
  await boss.start();
  // 'short': at most one waiting trigger per account (singletonKey); more would add nothing.
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'short', retryLimit: 0, expireInSeconds: 120 });
  return {
    async notify(accountId, delayMs = 0) {
      // One waiting trigger per account for "now", and one per account and second for later:
      // a later trigger must not stop an immediate one from being queued.
      const key = delayMs > 0 ? `${accountId}@${Math.ceil((Date.now() + delayMs) / 1000)}` : accountId;
      await boss.send(
        QUEUE,
        { accountId },
        {
          singletonKey: key,
          ...(delayMs > 0 ? { startAfter: new Date(Date.now() + Math.ceil(delayMs)) } : {}),
        },
      );
    },
    async work(drain) {
      await boss.work(
        QUEUE,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5, batchSize: 8 },
        async () => {
          await drain();
        },
      );
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
