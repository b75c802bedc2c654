import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect over an in-process PGlite. PGlite has a single connection,
 * so connections are handed out one at a time: a transaction holds the only
 * connection until it commits, and other queries wait their turn. That keeps
 * `BEGIN ... COMMIT` blocks from interleaving.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** A FIFO mutex: one holder at a time, in arrival order. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return acquired;
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #mutex = new Mutex();
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    const connection = new PGliteConnection(this.#pglite);
    this.#releases.set(connection, release);
    return connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'BEGIN', parameters: [] } as unknown as CompiledQuery);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'COMMIT', parameters: [] } as unknown as CompiledQuery);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'ROLLBACK', parameters: [] } as unknown as CompiledQuery);
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#releases.get(connection)?.();
    this.#releases.delete(connection);
  }
  async destroy(): Promise<void> {
    // The store closes PGlite itself, after Kysely is done with it.
  }
}

/** Most statements kept prepared per PGlite instance (the engine runs a few dozen distinct ones). */
const MAX_PREPARED = 512;

interface Prepared {
  name: string;
  /** Type oids of the parameters, as the server inferred them. */
  paramTypes: number[];
}

/** Statements prepared in each PGlite instance's single session, by SQL text. */
const PREPARED = new WeakMap<PGlite, Map<string, Prepared>>();

/**
 * One extended-protocol cycle for a prepared statement: Bind (parameters in
 * text format, or binary for bytes; results in text), Describe portal, Execute, Sync. Built here
 * rather than with PGlite's serializer, which measures each parameter's UTF-8
 * length twice in a JavaScript loop: for the engine's batch statements, whose
 * parameters are documents of tens of kilobytes, that was a tenth of the
 * store's time. Lengths here come from `Buffer.byteLength` (native).
 */
export function executeMessages(
  statement: string,
  values: readonly (string | Uint8Array | null)[],
): Uint8Array {
  const name = Buffer.byteLength(statement);
  let bind = 4 + 1 + (name + 1) + 2 + 2 * values.length + 2 + 2;
  const lengths = values.map((value) =>
    value === null ? -1 : typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength,
  );
  for (const length of lengths) bind += 4 + Math.max(length, 0);
  // Describe portal (1 + 4 + 2), Execute (1 + 4 + 1 + 4), Sync (1 + 4).
  const out = Buffer.allocUnsafe(1 + bind + 7 + 10 + 5);
  let at = 0;
  at = out.writeUInt8(0x42, at); // 'B'
  at = out.writeInt32BE(bind, at);
  at = out.writeUInt8(0, at); // unnamed portal
  at += out.write(statement, at, 'utf8');
  at = out.writeUInt8(0, at);
  at = out.writeInt16BE(values.length, at); // a format code a parameter: text, or binary for bytes
  for (const value of values) at = out.writeInt16BE(value instanceof Uint8Array ? 1 : 0, at);
  at = out.writeInt16BE(values.length, at);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null;
    at = out.writeInt32BE(lengths[i] ?? -1, at);
    if (typeof value === 'string') at += out.write(value, at, 'utf8');
    else if (value !== null) {
      out.set(value, at);
      at += value.byteLength;
    }
  }
  at = out.writeInt16BE(0, at); // no result format codes: all text
  at = out.writeUInt8(0x44, at); // 'D'
  at = out.writeInt32BE(6, at);
  at = out.writeUInt8(0x50, at); // 'P'ortal
  at = out.writeUInt8(0, at);
  at = out.writeUInt8(0x45, at); // 'E'
  at = out.writeInt32BE(9, at);
  at = out.writeUInt8(0, at);
  at = out.writeInt32BE(0, at); // no row limit
  at = out.writeUInt8(0x53, at); // 'S'
  out.writeInt32BE(4, at);
  return out;
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /**
   * Runs a parameterised statement as a named prepared statement of the
   * session: parsed and described once, then only bound and executed, so
   * PostgreSQL's plan cache can keep its plan. Planning and parsing are most of
   * the cost of the engine's short statements on PGlite. Returns undefined
   * when the statement table is full (the caller runs it unprepared).
   */
  async #runPrepared<R>(text: string, values: readonly unknown[]): Promise<QueryResult<R> | undefined> {
    const pglite = this.#pglite;
    let statements = PREPARED.get(pglite);
    if (!statements) {
      statements = new Map();
      PREPARED.set(pglite, statements);
    }
    let prepared = statements.get(text);
    if (!prepared && statements.size >= MAX_PREPARED) return undefined;
    const { serialize } = protocol;
    return pglite.runExclusive(async () => {
      if (!prepared) {
        const name = `wr_${statements.size + 1}`;
        try {
          await pglite.execProtocol(serialize.parse({ name, text, types: [] }), { syncToFs: false });
          const described = await pglite.execProtocol(serialize.describe({ type: 'S', name }), {
            syncToFs: false,
          });
          prepared = { name, paramTypes: parse.parseDescribeStatementResults(described.messages) };
        } finally {
          // Ends the extended-protocol cycle, also after an error (which skips to the next Sync).
          await pglite.execProtocol(serialize.sync(), { syncToFs: false, throwOnError: false });
        }
        statements.set(text, prepared);
      }
      const { name, paramTypes } = prepared;
      const serialized = values.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = pglite.serializers[paramTypes[i] ?? 0];
        const text: unknown = serializer ? serializer(value) : value;
        return text instanceof Uint8Array ? text : String(text);
      });
      // Bind, describe, execute and sync go in one call: PGlite runs the whole
      // message stream in one pass (about a third less per statement than a call
      // each). The Sync ends the cycle also when the statement fails.
      const { messages } = await pglite.execProtocol(executeMessages(name, serialized), { syncToFs: false });
      if (!pglite.isInTransaction()) await pglite.syncToFs();
      const result = parse.parseResults(messages, pglite.parsers)[0];
      const affected = result?.affectedRows;
      return {
        rows: (result?.rows ?? []) as R[],
        ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
      };
    });
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.parameters.length === 0) {
      // Parameterless text may hold several statements (migrations): run it as a script.
      const results = await this.#pglite.exec(compiled.sql);
      const last = results[results.length - 1];
      const affected = last?.affectedRows;
      return {
        rows: (last?.rows ?? []) as R[],
        ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
      };
    }
    const prepared = await this.#runPrepared<R>(compiled.sql, compiled.parameters);
    if (prepared) return prepared;
    const result = await this.#pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }
  // biome-ignore lint/correctness/useYield: streaming is not supported by PGlite; the error says so.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries');
  }
}
