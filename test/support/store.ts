import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/store/store.ts';

/**
 * A fresh, migrated store for one test. On PostgreSQL when
 * WIREREPORT_TEST_DATABASE_URL names a server (a new database per store,
 * dropped on close); otherwise PGlite in memory, from the run's template.
 */
export async function openTestStore(): Promise<Store> {
  const admin = process.env.WIREREPORT_TEST_DATABASE_URL;
  if (admin) return openPostgresTestStore(admin);
  const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
  return openStore({ dataDir: 'memory', loadDataDir: template });
}

export function testStoreKind(): 'postgres' | 'pglite' {
  return process.env.WIREREPORT_TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

async function openPostgresTestStore(adminUrl: string): Promise<Store> {
  const name = `wr_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString() });
  return {
    ...store,
    kind: store.kind,
    db: store.db,
    location: store.location,
    async close() {
      await store.close();
      const drop = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
      await drop.connect();
      try {
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** Empties every table of a test store (faster than opening a new one per test); migrations stay. */
export async function resetStore(store: Store): Promise<void> {
  const { sql } = await import('kysely');
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`.execute(
    store.db,
  );
  if (tables.rows.length === 0) return;
  await sql
    .raw(`TRUNCATE ${tables.rows.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY CASCADE`)
    .execute(store.db);
}

/**
 * Where a test's engine keeps its data: a fresh PostgreSQL database (when the
 * run has a server) or a fresh PGlite folder. `open()` opens it for checks
 * once the engine under test has closed it.
 */
export interface TestLocation {
  /** Extra CLI flags and environment that point a command at the location. */
  args: string[];
  env: Record<string, string>;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

export async function testLocation(): Promise<TestLocation> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const admin = process.env.WIREREPORT_TEST_DATABASE_URL;
  if (admin) {
    const name = `wr_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 10_000 });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      args: [],
      env: { DATABASE_URL: url.toString() },
      open: () => openStore({ databaseUrl: url.toString() }),
      async dispose() {
        const drop = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 10_000 });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'wirereport-test-'));
  return {
    args: ['--data', dir],
    env: {},
    open: () => openStore({ dataDir: dir }),
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
