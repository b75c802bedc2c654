import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { resolveServerKeys } from '../../api/keys.ts';
import { createServices, ServiceError, type Services } from '../../api/services.ts';
import { loadConfig } from '../../app/config.ts';
import { UserInputError } from '../../app/errors.ts';
import { openStore, type Store } from '../../store/store.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_CONFIG } from './defaults.ts';

/**
 * How operator commands reach the engine. With a running server they call
 * its API (`WIREREPORT_URL` + `WIREREPORT_TOKEN`, or the configured
 * http://host:port when its /healthz answers); with none they open the store
 * and call the same service functions the server runs.
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
        response = await send();
      }
      const text = await response.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
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

/**
 * Chooses the backend. `adminOnly` commands (tokens, users, secrets) also
 * work remotely with an admin token.
 */
export async function openBackend(
  values: { config?: string | undefined; data?: string | undefined; local?: boolean | undefined },
  io: CliIo,
): Promise<Backend> {
  const token = io.env.WIREREPORT_TOKEN;
  if (!values.local && io.env.WIREREPORT_URL) {
    if (!token) throw new UserInputError('WIREREPORT_URL is set but WIREREPORT_TOKEN is not');
    return remote(io.env.WIREREPORT_URL.replace(/\/$/, ''), token);
  }
  const config = loadConfig(values.config ?? DEFAULT_CONFIG, {
    env: io.env,
    ...(values.data ? { dataDir: values.data } : {}),
  });
  if (!values.local) {
    const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
    const url = `http://${host}:${config.http.port}`;
    if (await healthy(url)) {
      if (!token)
        throw new UserInputError(
          `a server is running at ${url}: set WIREREPORT_TOKEN to an API token (or stop the server and run the command again)`,
        );
      return remote(url, token);
    }
  }
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
  return { kind: 'local', services, actor: `cli:${io.env.USER ?? user}`, store };
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
