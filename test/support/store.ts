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

/** Empties every table of a test store (faster than opening a new one per test). */
export async function resetStore(store: Store): Promise<void> {
  const { sql } = await import('kysely');
  await sql
    .raw(
      'TRUNCATE accounts, games, fact_snapshots, events, posts, post_transitions, publish_attempts, cost_ledger, outbox_messages, cursors RESTART IDENTITY CASCADE',
    )
    .execute(store.db);
}
