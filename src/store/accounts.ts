import type { Kysely } from 'kysely';
import type { Account } from '../domain/account.ts';
import type { DB } from './schema.ts';

/**
 * Writes the configured accounts into the store (insert or update), keeping
 * their runtime state (paused, last post, in-flight post) untouched.
 */
export async function syncAccounts(db: Kysely<DB>, accounts: readonly Account[], now: Date): Promise<void> {
  if (accounts.length === 0) return;
  await db
    .insertInto('accounts')
    .values(
      accounts.map((a) => ({
        id: a.id,
        platform: a.platform,
        handle: a.handle,
        config: JSON.stringify(a),
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        platform: eb.ref('excluded.platform'),
        handle: eb.ref('excluded.handle'),
        config: eb.ref('excluded.config'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function setAccountPaused(
  db: Kysely<DB>,
  accountId: string,
  paused: boolean,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ paused, updated_at: now })
    .where('id', '=', accountId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
