import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataLock, type DataLock } from './lock.ts';
import { migrate } from './migrate.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { pgliteWasmModule } from './pglite-wasm.ts';
import type { DB } from './schema.ts';

export type StoreKind = 'pglite' | 'postgres';

/** The engine's store: one Kysely over PGlite (embedded) or PostgreSQL. */
export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<DB>;
  /** Where it lives: the data folder, or the database URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /**
   * PostgreSQL connection string. When set the store is PostgreSQL and
   * `dataDir` is ignored. Default: none (embedded PGlite).
   */
  databaseUrl?: string;
  /** Folder of the embedded store; `memory` (or undefined) keeps it in memory. */
  dataDir?: string;
  /** Pool size for PostgreSQL. Default: 10. */
  poolSize?: number;
  /**
   * Told when an idle PostgreSQL connection fails (the pool replaces it).
   * Default: nothing.
   */
  onIdleClientError?: (error: Error) => void;
  /** Run migrations on open. Default: true. */
  migrate?: boolean;
  /**
   * A PGlite data-folder dump to start an in-memory store from (tests use a
   * migrated template, which opens in a fraction of the time of a new one).
   */
  loadDataDir?: Blob;
}

const INT8_OID = 20;

/** Shared buffers of the embedded store (applied to a data folder; in memory PGlite keeps its own). */
const PGLITE_SHARED_BUFFERS = '32MB';

/** Wraps a close function so that calling it again returns the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/**
 * Opens the store and applies pending migrations.
 *
 * Embedded PGlite: one process owns the data folder (a lock file enforces it).
 * PGlite does not fsync its writes: a machine crash (not a process crash) can
 * lose the last transactions. Use PostgreSQL for durability and for several
 * worker processes.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPGlite(options.dataDir, options);
}

async function openPGlite(dataDir: string | undefined, options: OpenStoreOptions): Promise<Store> {
  const inMemory = dataDir === undefined || dataDir === 'memory';
  let lock: DataLock | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataLock(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = new PGlite(inMemory ? undefined : `${dataDir}/pgdata`, {
      pgliteWasmModule: await pgliteWasmModule(),
      parsers: { [INT8_OID]: (value: string) => Number(value) },
      // An embedded engine's working set is small: PostgreSQL's default 128 MB of
      // shared buffers only costs resident memory here (pages come from the OS cache).
      postgresqlconf: [`shared_buffers = ${PGLITE_SHARED_BUFFERS}`],
      ...(inMemory && options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    await pglite.waitReady;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  const store: Store = {
    kind: 'pglite',
    db,
    location: inMemory ? 'memory' : dataDir,
    close: once(async () => {
      await db.destroy();
      await pglite.close();
      lock?.release();
    }),
  };
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // Keep int8 (micro-dollars, counts) as numbers: they stay far below 2^53.
    types: {
      getTypeParser: (oid: number, format?: unknown) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // An idle client whose connection ends (a server restart, an administrator's
  // terminate, a dropped database) is reported on the pool; the pool discards
  // it and the next query connects anew. Without a listener node-postgres
  // would raise it as an uncaught exception and end the process.
  pool.on('error', (error) => options.onIdleClientError?.(error));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const store: Store = {
    kind: 'postgres',
    db,
    location: safe,
    close: once(() => db.destroy()),
  };
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
