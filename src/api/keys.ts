import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataKey } from '../app/crypto.ts';
import { UserInputError } from '../app/errors.ts';
import type { KeyRing } from '../store/secrets.ts';

/**
 * The server's own secrets:
 * - `pepper`: the HMAC key API tokens are hashed with (and session cookies
 *   signed with, through a derived key). From `WIREREPORT_PEPPER` (base64,
 *   at least 32 bytes), else a random one kept in `<dataDir>/server.pepper`
 *   (mode 0600), created on first use. Several processes on one PostgreSQL
 *   store must share it: set the variable.
 * - `ring`: the AES-256-GCM data keys for secrets at rest, from
 *   `WIREREPORT_SECRET_KEY` (base64 of 32 bytes) and optionally
 *   `WIREREPORT_SECRET_KEY_PREVIOUS` (comma-separated, still accepted for
 *   reading during a rotation). Undefined when no key is set: secrets and
 *   webhooks are then unavailable, with a clear error.
 */
export interface ServerKeys {
  pepper: Buffer;
  ring?: KeyRing;
}

/** Resolves the server keys from an environment and the data folder (`memory`: a random pepper for this process). */
export function resolveServerKeys(env: Record<string, string | undefined>, dataDir: string): ServerKeys {
  return { pepper: resolvePepper(env, dataDir), ...resolveRing(env) };
}

function resolvePepper(env: Record<string, string | undefined>, dataDir: string): Buffer {
  const fromEnv = env.WIREREPORT_PEPPER;
  if (fromEnv) {
    const pepper = Buffer.from(fromEnv, 'base64');
    if (pepper.length < 32)
      throw new UserInputError('WIREREPORT_PEPPER: expected base64 of at least 32 bytes');
    return pepper;
  }
  if (dataDir === 'memory') return randomBytes(32);
  const file = join(dataDir, 'server.pepper');
  if (existsSync(file)) {
    const pepper = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (pepper.length < 32) throw new UserInputError(`${file}: expected base64 of at least 32 bytes`);
    return pepper;
  }
  mkdirSync(dataDir, { recursive: true });
  const pepper = randomBytes(32);
  writeFileSync(file, `${pepper.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return pepper;
}

function resolveRing(env: Record<string, string | undefined>): { ring?: KeyRing } {
  const current = env.WIREREPORT_SECRET_KEY;
  if (!current) return {};
  try {
    const previous = (env.WIREREPORT_SECRET_KEY_PREVIOUS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((k) => parseDataKey(k, 'WIREREPORT_SECRET_KEY_PREVIOUS'));
    return { ring: { current: parseDataKey(current), previous } };
  } catch (error) {
    throw new UserInputError((error as Error).message, { cause: error });
  }
}
