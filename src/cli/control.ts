import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Services } from '../api/services.ts';
import { CONTROL_FILE } from '../store/lock.ts';

/**
 * The local control credential: how a command on the server's own machine
 * reaches the running server when it cannot open the store itself (the
 * server owns the embedded store's folder) and the operator has no API token
 * yet (the first admin, say).
 *
 * At start the server makes an admin API token named {@link CONTROL_TOKEN_NAME}
 * (stored hashed like every token; the API refuses that name, so no operator
 * token can carry it), revokes the ones earlier starts left, and writes
 * `control.json` into the data folder, readable by its owner only (0600),
 * with its pid, its loopback address and the token. At a clean stop it
 * revokes the token and deletes the file. Anyone who can read the file can
 * already read the store's files, so it gives nothing they did not have.
 * The token is never logged.
 */

/** The name of control tokens (refused by the API's token names, so it is reserved). */
export const CONTROL_TOKEN_NAME = '(local control)';

const ControlFile = z.strictObject({
  pid: z.number().int().positive(),
  host: z.string(),
  url: z.url({ protocol: /^https?$/ }),
  token: z.string().min(10),
  tokenId: z.string(),
  since: z.string(),
});
export type ControlFile = z.infer<typeof ControlFile>;

/** A running server's handle on its control file: `close()` revokes the token and deletes the file. */
export interface ControlHandle {
  path: string;
  close(): Promise<void>;
}

/** The loopback URL a local command uses to reach a server listening on `host`:`port`. */
export function loopbackUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::' || host === '[::]') return `http://[::1]:${port}`;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/**
 * Makes this server's control token and writes `control.json` into `dataDir`
 * (atomically: a 0600 temporary file renamed over the old one). Control
 * tokens of earlier starts are revoked first. Audited as `actor`.
 */
export async function publishControl(
  services: Services,
  dataDir: string,
  url: string,
  actor = 'engine',
): Promise<ControlHandle> {
  for (const t of await services.listTokens())
    if (t.name === CONTROL_TOKEN_NAME && t.revokedAt === null)
      await services.revokeToken(actor, t.id).catch(() => undefined);
  const { token, info } = await services.createToken(actor, CONTROL_TOKEN_NAME, 'admin');
  const content: ControlFile = {
    pid: process.pid,
    host: hostname(),
    url,
    token,
    tokenId: info.id,
    since: new Date().toISOString(),
  };
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, CONTROL_FILE);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(content)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  let closed = false;
  return {
    path,
    async close() {
      if (closed) return;
      closed = true;
      // Only our own file: a newer server may have replaced it.
      if (readControl(dataDir)?.pid === process.pid) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
      await services.revokeToken(actor, info.id).catch(() => undefined);
    },
  };
}

/** Thrown when a control file exists but cannot be trusted or used. */
export class ControlFileError extends Error {
  override readonly name = 'ControlFileError';
}

/**
 * Reads `dataDir`'s control file: null when there is none. Refuses one that
 * others than its owner may read (someone loosened it, or made it), or that
 * is not a control file.
 */
export function readControl(dataDir: string): ControlFile | null {
  const path = join(dataDir, CONTROL_FILE);
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0)
      throw new ControlFileError(
        `${path}: readable by others than its owner; refusing it (expected mode 0600)`,
      );
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ControlFileError(`${path}: not JSON`);
  }
  const parsed = ControlFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ControlFileError(`${path}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Deletes a control file a dead server left behind (its token is revoked by whoever opens the store next). */
export function removeStaleControl(dataDir: string): void {
  try {
    unlinkSync(join(dataDir, CONTROL_FILE));
  } catch {
    // none
  }
}
