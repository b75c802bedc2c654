import type { ColumnType, Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface PlatformPausesTable {
  platform: string;
  paused_accounts: ColumnType<string[], string, string>;
  at: Date;
}

type PausesDb = Kysely<DB & { platform_pauses: PlatformPausesTable }>;
const pausesDb = (db: Kysely<DB>): PausesDb => db.withTables<{ platform_pauses: PlatformPausesTable }>();

/**
 * Pauses every account on a platform, remembering which accounts this pause
 * paused (those already paused on their own stay paused after a resume).
 * Pausing a paused platform adds accounts that appeared since. Returns the
 * accounts it paused now.
 */
export async function pausePlatform(db: Kysely<DB>, platform: string, now: Date): Promise<string[]> {
  return pausesDb(db)
    .transaction()
    .execute(async (tx) => {
      const paused = await tx
        .updateTable('accounts')
        .set({ paused: true, updated_at: now })
        .where('platform', '=', platform)
        .where('paused', '=', false)
        .returning('id')
        .execute();
      const ids = paused.map((r) => r.id);
      const existing = await tx
        .selectFrom('platform_pauses')
        .select('paused_accounts')
        .where('platform', '=', platform)
        .forUpdate()
        .executeTakeFirst();
      const all = [...new Set([...(existing?.paused_accounts ?? []), ...ids])].sort();
      await tx
        .insertInto('platform_pauses')
        .values({ platform, paused_accounts: JSON.stringify(all), at: now })
        .onConflict((oc) => oc.column('platform').doUpdateSet({ paused_accounts: JSON.stringify(all) }))
        .execute();
      return ids;
    });
}

/** Resumes the accounts a platform pause paused. Returns them (empty when the platform was not paused). */
export async function resumePlatform(db: Kysely<DB>, platform: string, now: Date): Promise<string[]> {
  return pausesDb(db)
    .transaction()
    .execute(async (tx) => {
      const row = await tx
        .deleteFrom('platform_pauses')
        .where('platform', '=', platform)
        .returning('paused_accounts')
        .executeTakeFirst();
      const ids = row?.paused_accounts ?? [];
      if (ids.length > 0) {
        await tx
          .updateTable('accounts')
          .set({ paused: false, updated_at: now })
          .where('id', 'in', ids)
          .where('platform', '=', platform)
          .execute();
      }
      return ids;
    });
}

/** Platforms paused now, with when. */
export async function listPlatformPauses(
  db: Kysely<DB>,
): Promise<{ platform: string; accounts: string[]; at: Date }[]> {
  const rows = await pausesDb(db).selectFrom('platform_pauses').selectAll().orderBy('platform').execute();
  return rows.map((r) => ({ platform: r.platform, accounts: r.paused_accounts, at: r.at }));
}
