/**
 * Data folders for the benchmarks, which run on the engine's embedded default
 * (a PGlite data folder) unless `BENCH_STORE=memory`. A child process creates
 * and migrates one template folder, so PGlite's one-time initdb (about 600 MB
 * at its peak) is not counted in the benchmark's memory; each run then starts
 * from a copy of it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/store.ts';

if (process.argv[2] === '--prepare' && process.argv[1] === fileURLToPath(import.meta.url)) {
  // Child: create and migrate the template data folder, then exit.
  const store = await openStore({ dataDir: process.argv[3]! });
  await store.close();
  process.exit(0);
}

export interface DataFolders {
  /** `memory`, or `a data folder` (for the benchmark's header). */
  readonly description: string;
  /** A fresh migrated store location: a copy of the template, or `memory`. */
  fresh(): string;
  /** Removes every folder made. */
  dispose(): void;
}

export function dataFolders(): DataFolders {
  if (process.env.BENCH_STORE === 'memory')
    return { description: 'in memory', fresh: () => 'memory', dispose: () => {} };
  const work = mkdtempSync(join(tmpdir(), 'wirereport-bench-'));
  const template = join(work, 'template');
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--prepare', template], {
    stdio: 'inherit',
  });
  let made = 0;
  return {
    description: 'in a data folder',
    fresh() {
      const dir = join(work, `store-${made++}`);
      cpSync(template, dir, { recursive: true, filter: (src) => !src.endsWith('.lock') });
      // The copy (about 40 MB) goes to disk now, not by the kernel during the timed run.
      execFileSync('sync');
      return dir;
    },
    dispose: () => rmSync(work, { recursive: true, force: true }),
  };
}
