import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { OS_USER_HEADER } from '../../api/auth.ts';
import { resolveServerKeys } from '../../api/keys.ts';
import { createServices, ServiceError, type Services } from '../../api/services.ts';
import { loadConfig } from '../../app/config.ts';
import { UserInputError } from '../../app/errors.ts';
import { processAlive, readDataLock } from '../../store/lock.ts';
import { openStore, type Store } from '../../store/store.ts';
import {
  CONTROL_TOKEN_NAME,
  type ControlFile,
  ControlFileError,
  loopbackUrl,
  readControl,
  removeStaleControl,
} from '../control.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_CONFIG } from './defaults.ts';

/**
 * How operator commands reach the engine:
 * - `--api URL` (or `WIREREPORT_URL`) with `--token T` (or `WIREREPORT_TOKEN`):
 *   that server's API, local or remote;
 * - else, when a live server owns the embedded store's folder: its API, at
 *   the address and with the local control credential it left in the folder
 *   (src/cli/control.ts), or with `--token`/`WIREREPORT_TOKEN` when given (the
 *   caller's own identity then shows in the audit log);
 * - else, when the configured http://host:port answers /healthz (a server on
 *   PostgreSQL, say): its API, with the token given;
 * - else: the store opened here, and the same service functions the server runs.
 * `--local` skips the servers. A folder held by a live process that is not a
 * server (a replay) is refused with a message saying so.
 */
export type Backend =
  | { kind: 'remote'; url: string; call: (method: string, path: string, body?: unknown) => Promise<unknown> }
  | { kind: 'local'; services: Services; actor: string; store: Store };

/** Flags every operator command takes. */
export const BACKEND_OPTIONS = {
  config: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  /** Never call a server; open the store (fails while an embedded store is owned by a server). */
  local: { type: 'boolean', default: false },
  /** A server's base URL (default: WIREREPORT_URL). */
  api: { type: 'string' },
  /** An API token for it (default: WIREREPORT_TOKEN). */
  token: { type: 'string' },
} as const;

/** An error the command reports (exit 1): a refusal from the API or the services. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

async function healthy(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(800) });
    return r.ok;
  } catch {
    return false;
  }
}

/** The operating-system user this command runs as, for the server's audit log (none when it cannot be read). */
function osUserHeader(): Record<string, string> {
  try {
    return { [OS_USER_HEADER]: userInfo().username };
  } catch {
    return {};
  }
}

function remote(url: string, token: string): Backend {
  return {
    kind: 'remote',
    url,
    async call(method, path, body) {
      const mutating = method !== 'GET';
      // One key per command run, reused if the first try never got an answer.
      const key = mutating ? `cli-${randomUUID()}` : undefined;
      const send = () =>
        fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...osUserHeader(),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
      let response: Response;
      try {
        response = await send();
      } catch {
        try {
          response = await send();
        } catch (error) {
          throw new CommandError(`the server at ${url} did not answer: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      const text = await response.text();
      let json: Record<string, unknown> = {};
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        throw new CommandError(
          `${response.status}: the server at ${url} answered with something other than JSON`,
        );
      }
      if (!response.ok) {
        const reasons = (json.verdict as { reasons?: string[] } | undefined)?.reasons;
        throw new CommandError(
          `${response.status}: ${String(json.error ?? response.statusText)}${reasons ? ` (${reasons.join(', ')})` : ''}`,
        );
      }
      return json;
    },
  };
}

/** A server found for this command: where, and with which token. */
export interface FoundServer {
  url: string;
  token: string | undefined;
  /** How it was found, for messages. */
  via: 'flag' | 'control' | 'configured';
}

/**
 * The running server that owns the embedded store's folder, from its lock and
 * control file: null when no live process holds the folder (a stale lock's
 * control file is deleted). Throws a UserInputError naming the holder when a
 * live process that is not a server holds it, or one of another host.
 */
export function serverOwningFolder(dataDir: string): { url: string; token: string } | null {
  if (dataDir === 'memory') return null;
  const lock = readDataLock(dataDir);
  if (lock.state === 'free') return null;
  if (lock.state === 'stale') {
    removeStaleControl(dataDir);
    return null;
  }
  const who = `pid ${lock.owner.pid ?? '?'} on ${lock.owner.host ?? '?'}, since ${lock.owner.since ?? '?'}`;
  if (!lock.sameHost)
    throw new UserInputError(
      `the data folder ${dataDir} is in use by a process of another machine (${who}): reach its server with --api URL --token T`,
    );
  let control: ControlFile | null;
  try {
    control = readControl(dataDir);
  } catch (error) {
    if (error instanceof ControlFileError) throw new UserInputError(error.message, { cause: error });
    throw error;
  }
  if (control && control.pid === lock.owner.pid) return { url: control.url, token: control.token };
  throw new UserInputError(
    `the data folder ${dataDir} is in use by a Wire Report process that is not a server (${who}; a replay, or a server still starting): ` +
      'wait for it to finish, or stop it, and run the command again',
  );
}

/**
 * Finds the server a command should talk to (see {@link Backend}), or null
 * when the command should open the store itself.
 */
export async function findServer(
  values: { api?: string | undefined; token?: string | undefined; local?: boolean | undefined },
  env: Record<string, string | undefined>,
  config: { dataDir: string; http: { host: string; port: number } },
): Promise<FoundServer | null> {
  const token = values.token ?? env.WIREREPORT_TOKEN;
  const flagged = values.api ?? env.WIREREPORT_URL;
  if (values.local) {
    if (values.api) throw new UserInputError('--local and --api exclude each other');
    return null;
  }
  if (flagged) return { url: flagged.replace(/\/$/, ''), token, via: 'flag' };
  const owner = env.DATABASE_URL ? null : serverOwningFolder(config.dataDir);
  if (owner) return { url: owner.url, token: token ?? owner.token, via: 'control' };
  const url = loopbackUrl(config.http.host, config.http.port);
  if (await healthy(url))
    return { url, token: token ?? controlTokenFor(config.dataDir, url), via: 'configured' };
  return null;
}

/**
 * The control token of a server of this host that keeps its control file in
 * `dataDir` (a server on PostgreSQL keeps one too) and listens at `url`.
 */
function controlTokenFor(dataDir: string, url: string): string | undefined {
  if (dataDir === 'memory') return undefined;
  try {
    const control = readControl(dataDir);
    return control && control.url === url && control.host === hostname() && processAlive(control.pid)
      ? control.token
      : undefined;
  } catch {
    return undefined;
  }
}

/** Chooses the backend (see {@link Backend}). */
export async function openBackend(
  values: {
    config?: string | undefined;
    data?: string | undefined;
    local?: boolean | undefined;
    api?: string | undefined;
    token?: string | undefined;
  },
  io: CliIo,
): Promise<Backend> {
  // A server named outright needs no configuration file.
  const named = values.local ? undefined : (values.api ?? io.env.WIREREPORT_URL);
  const config = named
    ? null
    : loadConfig(values.config ?? DEFAULT_CONFIG, {
        env: io.env,
        ...(values.data ? { dataDir: values.data } : {}),
      });
  const found = await findServer(
    values,
    io.env,
    config ?? { dataDir: 'memory', http: { host: '', port: 0 } },
  );
  if (found) {
    if (!found.token)
      throw new UserInputError(
        found.via === 'flag'
          ? `${values.api ? '--api' : 'WIREREPORT_URL'} names a server but no token was given: --token T or WIREREPORT_TOKEN`
          : `a server is running at ${found.url}: set WIREREPORT_TOKEN (or --token) to an API token (or stop the server and run the command again)`,
      );
    return remote(found.url, found.token);
  }
  if (!config) throw new Error('unreachable: a named server is always found');
  const databaseUrl = io.env.DATABASE_URL;
  const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir: config.dataDir });
  const keys = resolveServerKeys(io.env, config.dataDir);
  const services = createServices({
    db: store.db,
    keys,
    accounts: config.accounts,
    voices: config.voices,
    sources: config.sources,
    now: () => new Date(),
  });
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user name on this system
  }
  const actor = `cli:${io.env.USER ?? user}`;
  // Holding the embedded store means no server runs on it: a control token
  // still live was left by one that died, and is revoked.
  if (store.kind === 'pglite')
    for (const t of await services.listTokens())
      if (t.name === CONTROL_TOKEN_NAME && t.revokedAt === null) await services.revokeToken(actor, t.id);
  return { kind: 'local', services, actor, store };
}

export async function closeBackend(backend: Backend): Promise<void> {
  if (backend.kind === 'local') await backend.store.close();
}

/** Runs a service call, turning its refusals into CommandErrors. */
export async function local<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ServiceError) {
      const verdict = error.details?.verdict as { reasons?: string[] } | undefined;
      throw new CommandError(
        `${error.kind}: ${error.message}${verdict?.reasons ? ` (${verdict.reasons.join(', ')})` : ''}`,
      );
    }
    throw error;
  }
}

/** Reads a secret value: from the named environment variable, else all of stdin (not a terminal). */
export async function readSecretInput(io: CliIo, envName: string, what: string): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) throw new UserInputError(`${what}: pipe it on stdin or set ${envName}`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!value) throw new UserInputError(`${what}: empty; pipe it on stdin or set ${envName}`);
  return value;
}
