import type { Kysely } from 'kysely';
import type { Platform } from '../domain/platform.ts';
import type { OutboxMessage, OutboxSink } from '../publish/outbox/outbox.ts';
import type { DB } from './schema.ts';

type Row = {
  id: number;
  idempotency_key: string;
  account_id: string;
  platform: string;
  handle: string;
  text: string;
  sent_at: Date;
};

function toMessage(row: Row): OutboxMessage {
  return {
    id: Number(row.id),
    idempotencyKey: row.idempotency_key,
    accountId: row.account_id,
    platform: row.platform as Platform,
    handle: row.handle,
    text: row.text,
    sentAt: row.sent_at,
  };
}

/** The outbox platform's storage: one row per idempotency key, whatever happens. */
export function storeOutboxSink(db: Kysely<DB>): OutboxSink {
  return {
    async record(message) {
      const inserted = await db
        .insertInto('outbox_messages')
        .values({
          idempotency_key: message.idempotencyKey,
          account_id: message.accountId,
          platform: message.platform,
          handle: message.handle,
          text: message.text,
          sent_at: message.sentAt,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return toMessage(inserted);
      const existing = await this.findByKey(message.idempotencyKey);
      if (!existing) throw new Error(`outbox message ${message.idempotencyKey} vanished`);
      return existing;
    },
    async findByKey(key) {
      const row = await db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      return row ? toMessage(row) : null;
    },
  };
}

export interface OutboxListOptions {
  accountId?: string;
  /** Default: 50. */
  limit?: number;
  /** Only messages with an id above this (for following). */
  afterId?: number;
}

export async function listOutbox(db: Kysely<DB>, options: OutboxListOptions = {}): Promise<OutboxMessage[]> {
  let q = db.selectFrom('outbox_messages').selectAll();
  if (options.accountId) q = q.where('account_id', '=', options.accountId);
  if (options.afterId !== undefined) q = q.where('id', '>', options.afterId);
  const rows = await q
    .orderBy('id', options.afterId !== undefined ? 'asc' : 'desc')
    .limit(options.limit ?? 50)
    .execute();
  return rows.map(toMessage);
}
