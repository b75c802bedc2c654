import { protocol } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.ts';
import { executeMessages } from './pglite-dialect.ts';
import type { Store } from './store.ts';

/** The statement path of the store (PGlite's prepared statements, or PostgreSQL) on failures. */
describe('store statements', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await sql`CREATE TABLE dialect_probe (id integer PRIMARY KEY, note text NOT NULL)`.execute(store.db);
  });
  afterAll(async () => {
    await store.close();
  });

  const insert = (id: number, note: string) =>
    sql`INSERT INTO dialect_probe (id, note) VALUES (${id}, ${note}) RETURNING id, note`.execute(store.db);
  const notes = async () =>
    (
      await sql<{ note: string }>`SELECT note FROM dialect_probe WHERE id > ${0} ORDER BY id`.execute(
        store.db,
      )
    ).rows.map((r) => r.note);

  it('returns rows and counts, fails with the database error, and runs the next statement normally', async () => {
    const first = await insert(1, 'one');
    expect(first.rows).toEqual([{ id: 1, note: 'one' }]);
    await expect(insert(1, 'again')).rejects.toThrow(/duplicate key value violates unique constraint/);
    await expect(insert(2, null as unknown as string)).rejects.toThrow(/null value in column "note"/);
    // The same prepared statement, after its failures.
    expect((await insert(2, 'two')).rows).toEqual([{ id: 2, note: 'two' }]);
    const updated = await sql`UPDATE dialect_probe SET note = note || ${'!'} WHERE id >= ${1}`.execute(
      store.db,
    );
    expect(updated.numAffectedRows).toBe(2n);
    expect(await notes()).toEqual(['one!', 'two!']);
  });

  it('rolls a failed transaction back whole, and the store goes on', async () => {
    const before = await notes();
    await expect(
      store.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO dialect_probe (id, note) VALUES (${10}, ${'ten'})`.execute(tx);
        await sql`INSERT INTO dialect_probe (id, note) VALUES (${10}, ${'ten again'})`.execute(tx);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await notes()).toEqual(before);
    await store.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO dialect_probe (id, note) VALUES (${10}, ${'ten'})`.execute(tx);
    });
    expect(await notes()).toEqual([...before, 'ten']);
  });
});

describe('PGlite extended-protocol messages', () => {
  it('are byte for byte what the protocol serializer makes, for text, unicode, empty, null and bytes', () => {
    const { serialize } = protocol;
    const cases: (string | Uint8Array | null)[][] = [
      [],
      ['plain', '', null, '42'],
      ['Luka Dončić — 40 pts 🏀', 'x'.repeat(70_000), `quotes ' and "`],
      [new Uint8Array([0, 1, 2, 255]), 'after bytes', null],
    ];
    for (const values of cases) {
      const expected = Buffer.concat([
        serialize.bind({ statement: 'wr_7', values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]);
      expect(Buffer.from(executeMessages('wr_7', values)).equals(expected)).toBe(true);
    }
  });
});
