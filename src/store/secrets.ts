import type { Kysely } from 'kysely';
import { type DataKey, open, type Sealed, seal } from '../app/crypto.ts';
import type { DB } from './schema.ts';

export interface SecretsTable {
  name: string;
  key_id: string;
  iv: string;
  tag: string;
  ciphertext: string;
  updated_at: Date;
}

type SecretsDb = Kysely<DB & { secrets: SecretsTable }>;
const secretsDb = (db: Kysely<DB>): SecretsDb => db.withTables<{ secrets: SecretsTable }>();

/**
 * The keys that can open secrets: the current one (used to seal) and any
 * previous ones still accepted for reading (during a rotation).
 */
export interface KeyRing {
  current: DataKey;
  previous?: readonly DataKey[];
}

/** Thrown when a secret is sealed under a key the ring does not have. */
export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError';
}

function keyFor(ring: KeyRing, keyId: string, name: string): DataKey {
  const key = [ring.current, ...(ring.previous ?? [])].find((k) => k.id === keyId);
  if (!key) {
    throw new UnknownKeyError(
      `secret "${name}" is sealed under key ${keyId}, which is not WIREREPORT_SECRET_KEY (${ring.current.id})`,
    );
  }
  return key;
}

const sealedOf = (r: SecretsTable): Sealed => ({
  keyId: r.key_id,
  iv: r.iv,
  tag: r.tag,
  ciphertext: r.ciphertext,
});

/** Stores (or replaces) a secret, sealed under the ring's current key with its name as associated data. */
export async function putSecret(
  db: Kysely<DB>,
  ring: KeyRing,
  name: string,
  value: string,
  now: Date,
): Promise<void> {
  const s = seal(value, ring.current, name);
  await secretsDb(db)
    .insertInto('secrets')
    .values({ name, key_id: s.keyId, iv: s.iv, tag: s.tag, ciphertext: s.ciphertext, updated_at: now })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        key_id: s.keyId,
        iv: s.iv,
        tag: s.tag,
        ciphertext: s.ciphertext,
        updated_at: now,
      }),
    )
    .execute();
}

/** The clear value of a secret, or null when there is none. Throws UnknownKeyError or on tampering. */
export async function getSecret(db: Kysely<DB>, ring: KeyRing, name: string): Promise<string | null> {
  const row = await secretsDb(db)
    .selectFrom('secrets')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return null;
  return open(sealedOf(row), keyFor(ring, row.key_id, name), name);
}

/** Names of the stored secrets with the key each is sealed under (never a value). */
export async function listSecrets(
  db: Kysely<DB>,
): Promise<{ name: string; keyId: string; updatedAt: Date }[]> {
  const rows = await secretsDb(db)
    .selectFrom('secrets')
    .select(['name', 'key_id', 'updated_at'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, keyId: r.key_id, updatedAt: r.updated_at }));
}

export async function deleteSecret(db: Kysely<DB>, name: string): Promise<boolean> {
  const r = await secretsDb(db).deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * Re-encrypts every secret under `next`, in one transaction: either all
 * secrets move to the new key or none does. Rows are opened with `ring`
 * (the old key, and any previous ones). Returns how many were re-sealed.
 */
export async function rotateSecrets(
  db: Kysely<DB>,
  ring: KeyRing,
  next: DataKey,
  now: Date,
): Promise<number> {
  return secretsDb(db)
    .transaction()
    .execute(async (tx) => {
      const rows = await tx.selectFrom('secrets').selectAll().forUpdate().execute();
      for (const row of rows) {
        const clear = open(sealedOf(row), keyFor(ring, row.key_id, row.name), row.name);
        const s = seal(clear, next, row.name);
        await tx
          .updateTable('secrets')
          .set({ key_id: s.keyId, iv: s.iv, tag: s.tag, ciphertext: s.ciphertext, updated_at: now })
          .where('name', '=', row.name)
          .execute();
      }
      return rows.length;
    });
}
