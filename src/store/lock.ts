import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded store belongs to one process: a second engine opening the same
 * PGlite folder would corrupt it. `acquireDataLock` creates `wirereport.lock`
 * exclusively (O_EXCL) with the owner's pid and host; a lock left by a process
 * that no longer runs on this host is taken over.
 *
 * A running server also leaves `control.json` beside the lock (see
 * src/cli/control.ts): how local commands reach it through its API instead of
 * opening the store. A live lock without it belongs to a process that is not
 * a server (a replay, another command).
 */

/** The lock file's name inside a data folder. */
export const LOCK_FILE = 'wirereport.lock';
/** The running server's control file (address and local credential) inside a data folder. */
export const CONTROL_FILE = 'control.json';

/** Who holds a data folder, as its lock file says. */
export interface LockOwner {
  pid: number | undefined;
  host: string | undefined;
  since: string | undefined;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  readonly dataDir: string;
  readonly owner: LockOwner;
  constructor(message: string, dataDir: string, owner: LockOwner) {
    super(message);
    this.dataDir = dataDir;
    this.owner = owner;
  }
}

export interface DataLock {
  path: string;
  release(): void;
}

/** Whether a process of this host with this pid runs (one of another user's counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const o = JSON.parse(text) as { pid?: unknown; host?: unknown; since?: unknown };
    return {
      pid: typeof o.pid === 'number' ? o.pid : undefined,
      host: typeof o.host === 'string' ? o.host : undefined,
      since: typeof o.since === 'string' ? o.since : undefined,
    };
  } catch {
    // unreadable or half-written lock
    return { pid: undefined, host: undefined, since: undefined };
  }
}

/**
 * The state of a data folder's lock, without touching it:
 * - `free`: no lock file;
 * - `stale`: the lock names a process of this host that no longer runs (or
 *   cannot be read), so the next opener takes it over;
 * - `held`: a live process of this host holds it, or a process of another
 *   host (which cannot be checked from here).
 */
export type LockState =
  | { state: 'free' }
  | { state: 'stale'; owner: LockOwner }
  | { state: 'held'; owner: LockOwner; sameHost: boolean };

export function readDataLock(dataDir: string): LockState {
  const owner = readOwner(join(dataDir, LOCK_FILE));
  if (!owner) return { state: 'free' };
  const host = hostname();
  if (owner.pid === undefined) return { state: 'stale', owner };
  if (owner.host !== undefined && owner.host !== host) return { state: 'held', owner, sameHost: false };
  if (owner.pid === process.pid || processAlive(owner.pid)) return { state: 'held', owner, sameHost: true };
  return { state: 'stale', owner };
}

function lockedMessage(dataDir: string, owner: LockOwner): string {
  const who = `pid ${owner.pid ?? '?'} on ${owner.host ?? '?'}`;
  const server = existsSync(join(dataDir, CONTROL_FILE));
  return server
    ? `the data folder ${dataDir} is in use by a running Wire Report server (${who}): operator commands reach it through its API; ` +
        'stop it first, or give this process its own folder with --data, or use PostgreSQL (DATABASE_URL) to run several processes'
    : `the data folder ${dataDir} is in use by another Wire Report process that is not a server (${who}, e.g. a replay); ` +
        'wait for it to finish or stop it, or give this one its own folder with --data, or use PostgreSQL (DATABASE_URL) to run several processes';
}

export function acquireDataLock(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
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
      const owner = readOwner(path) ?? { pid: undefined, host: undefined, since: undefined };
      const stale =
        owner.pid === undefined ||
        (owner.host === host && owner.pid !== process.pid && !processAlive(owner.pid));
      if (!stale || attempt > 0) throw new DataDirLockedError(lockedMessage(dataDir, owner), dataDir, owner);
      unlinkSync(path);
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}`, dataDir, {
    pid: undefined,
    host: undefined,
    since: undefined,
  });
}
