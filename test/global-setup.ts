import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/store/migrate.ts';
import { PGliteDialect } from '../src/store/pglite-dialect.ts';
import type { DB } from '../src/store/schema.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Once per test run: a migrated PGlite database dumped to a file. Each test
 * store starts from it in about half a second instead of initialising a new
 * cluster (several seconds).
 */
export default async function setup(project: TestProject): Promise<void> {
  const pglite = new PGlite();
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  await migrate(db);
  const dump = await pglite.dumpDataDir('none');
  const path = join(tmpdir(), `wirereport-pglite-template-${process.pid}.tar`);
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  await pglite.close();
  project.provide('pgliteTemplate', path);
}
