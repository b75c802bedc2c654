import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  method: string;
  path: string;
  body_hash: string;
  status_code: number | null;
  response: import('kysely').ColumnType<unknown, string | null, string | null>;
  created_at: Date;
}

type IdemDb = Kysely<DB & { idempotency_keys: IdempotencyKeysTable }>;
const idemDb = (db: Kysely<DB>): IdemDb => db.withTables<{ idempotency_keys: IdempotencyKeysTable }>();

/** What a call with an idempotency key should do. */
export type IdempotencyClaim =
  /** First use of the key: run the call, then `completeIdempotency`. */
  | { kind: 'new' }
  /** The same call ran already: send back its stored reply. */
  | { kind: 'replay'; statusCode: number; response: unknown }
  /** The key was used for a different request (method, path or body). */
  | { kind: 'mismatch' }
  /** The same call is running right now. */
  | { kind: 'in_progress' };

/**
 * Claims `(principal, key)` for a request identified by method, path and body
 * hash. Atomic (INSERT ... ON CONFLICT DO NOTHING), so of two concurrent calls
 * with one key only one runs.
 */
export async function claimIdempotencyKey(
  db: Kysely<DB>,
  request: { principal: string; key: string; method: string; path: string; bodyHash: string },
  now: Date,
): Promise<IdempotencyClaim> {
  const inserted = await idemDb(db)
    .insertInto('idempotency_keys')
    .values({
      principal: request.principal,
      key: request.key,
      method: request.method,
      path: request.path,
      body_hash: request.bodyHash,
      status_code: null,
      response: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { kind: 'new' };
  const row = await idemDb(db)
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('principal', '=', request.principal)
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (!row) return claimIdempotencyKey(db, request, now); // released between the two statements
  if (row.method !== request.method || row.path !== request.path || row.body_hash !== request.bodyHash)
    return { kind: 'mismatch' };
  if (row.status_code === null) return { kind: 'in_progress' };
  return { kind: 'replay', statusCode: row.status_code, response: row.response };
}

/** Stores the reply of a claimed call. */
export async function completeIdempotency(
  db: Kysely<DB>,
  principal: string,
  key: string,
  statusCode: number,
  response: unknown,
): Promise<void> {
  await idemDb(db)
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response: JSON.stringify(response ?? null) })
    .where('principal', '=', principal)
    .where('key', '=', key)
    .execute();
}

/**
 * Forgets a claimed key whose call failed on the server's side (5xx), so the
 * client may try again with the same key.
 */
export async function releaseIdempotency(db: Kysely<DB>, principal: string, key: string): Promise<void> {
  await idemDb(db)
    .deleteFrom('idempotency_keys')
    .where('principal', '=', principal)
    .where('key', '=', key)
    .where('status_code', 'is', null)
    .execute();
}

/** Deletes keys older than `before` (default retention is the caller's: 24 h). Returns how many. */
export async function pruneIdempotency(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await idemDb(db)
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
