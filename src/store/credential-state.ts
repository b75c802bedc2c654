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
 * A CredentialState for one credentials entry, sealed in the store. `ring` is
 * read at every call (a rotation through the API swaps the running process's
 * keys). A value sealed under a key the ring no longer has reads as null
 * (the adapter falls back to the configured credentials) and is reported
 * through `onUnreadable` with the reason, never the value. Default: ignored.
 */
export function storeCredentialState(
  db: Kysely<DB>,
  ring: () => KeyRing,
  name: string,
  now: () => Date,
  onUnreadable?: (name: string, error: Error) => void,
): CredentialState {
  return {
    async load() {
      try {
        return await getSecret(db, ring(), name);
      } catch (error) {
        if (!(error instanceof UnknownKeyError) && !isTampered(error)) throw error;
        onUnreadable?.(name, error as Error);
        return null;
      }
    },
    async save(value) {
      if (value === null) await deleteSecret(db, name);
      else await putSecret(db, ring(), name, value, now());
    },
  };
}

/** AES-GCM's authentication failure (wrong key bytes under the same id, or an edited row). */
function isTampered(error: unknown): boolean {
  return error instanceof Error && /unable to authenticate data|unsupported state/i.test(error.message);
}
