import { readdirSync, readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered SQL migrations shipped with the engine, in order. */
export function listMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8'),
    }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction. On
 * PostgreSQL an advisory lock makes concurrent starts of several workers wait
 * for one another instead of racing.
 */
export async function migrate(db: Kysely<DB>): Promise<number[]> {
  const applied: number[] = [];
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(72616101)`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
        conn,
      );
      const done = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(conn);
      const have = new Set(done.rows.map((r) => r.version));
      for (const m of listMigrations()) {
        if (have.has(m.version)) continue;
        await sql`BEGIN`.execute(conn);
        try {
          // Parameterless, so both drivers run it as a multi-statement script.
          await sql.raw(m.sql).execute(conn);
          await sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`.execute(
            conn,
          );
          await sql`COMMIT`.execute(conn);
          applied.push(m.version);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn);
          throw new Error(`migration ${m.version}_${m.name} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(72616101)`.execute(conn);
    }
  });
  return applied;
}
