import type { Kysely } from 'kysely';
import type { CredentialState } from '../publish/credential-state.ts';
import type { DB } from './schema.ts';
import { deleteSecret, getSecret, type KeyRing, putSecret, UnknownKeyError } from './secrets.ts';

/**
 * Prefix of the secret names that hold run-time credential state. They live
 * in the `secrets` table (AES-256-GCM under WIREREPORT_SECRET_KEY, the name as
 * associated data), so `secrets rotate-key` re-encrypts them with every other
 * secret in the same transaction, and `secrets list` shows them (names only).
 * Deleting one (`secrets delete credential-state:bluesky:NAME`) makes the
 * adapter start again from the configured credentials.
 */
export const CREDENTIAL_STATE_PREFIX = 'credential-state:';

/** The secret name of one credentials entry's state: `credential-state:<platform>:<entry>`. */
export function credentialStateName(platform: string, credentialsName: string): string {
  return `${CREDENTIAL_STATE_PREFIX}${platform}:${credentialsName}`;
}

/**
 * The credential state of each credentials entry whose platform rotates
 * credentials at run time (X, Bluesky), or undefined for the others. Without
 * a key ring (no WIREREPORT_SECRET_KEY) nothing is stored: values are never
 * kept in clear.
 */
export function credentialStates(
  db: Kysely<DB>,
  ring: (() => KeyRing | undefined) | undefined,
  now: () => Date,
  onProblem?: (name: string, error: Error) => void,
): (platform: string, credentialsName: string) => CredentialState | undefined {
  return (platform, credentialsName) => {
    const current = ring?.();
    if (!current || (platform !== 'x' && platform !== 'bluesky')) return undefined;
    return storeCredentialState(
      db,
      () => ring?.() ?? current,
      credentialStateName(platform, credentialsName),
      now,
      onProblem,
    );
  };
}

/**
 * A CredentialState for one credentials entry, sealed in the store. `ring` is
 * read at every call (a rotation through the API swaps the running process's
 * keys). A value sealed under a key the ring no longer has (or altered)
 * reads as null: the adapter falls back to the configured credentials. That,
 * and a save that fails (the error is also thrown to the adapter), are
 * reported through `onProblem` with the secret's name and the error, never
 * the value. Default: not reported.
 */
export function storeCredentialState(
  db: Kysely<DB>,
  ring: () => KeyRing,
  name: string,
  now: () => Date,
  onProblem?: (name: string, error: Error) => void,
): CredentialState {
  return {
    async load() {
      try {
        return await getSecret(db, ring(), name);
      } catch (error) {
        if (!(error instanceof UnknownKeyError) && !isTampered(error)) throw error;
        onProblem?.(name, error as Error);
        return null;
      }
    },
    async save(value) {
      try {
        if (value === null) await deleteSecret(db, name);
        else await putSecret(db, ring(), name, value, now());
      } catch (error) {
        onProblem?.(name, error as Error);
        throw error;
      }
    },
  };
}

/** AES-GCM's authentication failure (wrong key bytes under the same id, or an edited row). */
function isTampered(error: unknown): boolean {
  return error instanceof Error && /unable to authenticate data|unsupported state/i.test(error.message);
}
