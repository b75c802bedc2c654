import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded store belongs to one process: a second engine opening the same
 * PGlite folder would corrupt it. `acquireDataLock` creates `wirereport.lock`
 * exclusively (O_EXCL) with the owner's pid and host; a lock left by a process
 * that no longer runs on this host is taken over.
 */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

export interface DataLock {
  path: string;
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataLock(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'wirereport.lock');
  const host = hostname();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid?: number; host?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        // unreadable or half-written lock: treat as stale
      }
      const stale =
        owner.pid === undefined ||
        (owner.host === host && owner.pid !== process.pid && !processAlive(owner.pid));
      if (!stale || attempt > 0) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by another Wire Report process (pid ${owner.pid ?? '?'} on ${owner.host ?? '?'}); ` +
            'stop it first, or give this one its own folder with --data, or use PostgreSQL (DATABASE_URL) to run several processes',
        );
      }
      unlinkSync(path);
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}`);
}
