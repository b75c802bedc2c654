/**
 * Credentials that change while the engine runs (X's OAuth 2.0 tokens, which
 * rotate on every refresh; Bluesky sessions), kept across restarts. The
 * engine hands each adapter one, backed by the store and encrypted at rest
 * (`store/credential-state.ts`); adapters only see an opaque string they
 * serialise themselves.
 *
 * Contract: `load` resolves the last saved value, or null when there is none
 * or it can no longer be read (sealed under a key that is gone): callers fall
 * back to the configured credentials. `save(null)` forgets the value. `save`
 * rejects when the value could not be kept, so the adapter can try again.
 * Neither ever puts the value in an error message.
 */
export interface CredentialState {
  load(): Promise<string | null>;
  save(value: string | null): Promise<void>;
}

/** A CredentialState in memory (tests, and processes without a data key: nothing outlives the process). */
export function memoryCredentialState(initial: string | null = null): CredentialState & {
  readonly value: string | null;
} {
  let value = initial;
  return {
    get value() {
      return value;
    },
    load: async () => value,
    save: async (next) => {
      value = next;
    },
  };
}
