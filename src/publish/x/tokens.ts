import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CredentialState } from '../credential-state.ts';
import { TransientPublishError } from '../errors.ts';

/** An OAuth 2.0 user token pair. X rotates the refresh token on every refresh: the old one is revoked. */
export interface XOAuth2Tokens {
  accessToken: string;
  refreshToken?: string;
}

const StoredTokens = z.object({
  v: z.literal(1),
  /** Fingerprint of the configured tokens these descend from (see `basisOf`). */
  basis: z.string(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
});

/**
 * Which authorisation stored tokens descend from: a digest of the configured
 * refresh token (else access token). When an operator authorises again and
 * configures new tokens, the stored ones (from the old grant) are ignored.
 */
function basisOf(configured: XOAuth2Tokens): string {
  return createHash('sha256')
    .update(configured.refreshToken ?? configured.accessToken)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Holds one account's OAuth 2.0 tokens and keeps the rotated ones in a
 * CredentialState, so a restart refreshes with the refresh token X still
 * accepts instead of the configured (by then revoked) one.
 *
 * - `ready()` loads the stored tokens once, before the first call.
 * - `rotated()` takes the tokens of a refresh and saves them. When the save
 *   fails it rejects with TransientPublishError (nothing has been posted yet:
 *   the publish waits and tries again) and `ensureSaved()` saves again before
 *   the next call: tokens that exist only in memory are never relied on.
 * - `adoptStored()` reads the store again before a refresh: another worker
 *   sharing the store (or another account on the same credentials entry) may
 *   have refreshed already, and refreshing with our now revoked token would
 *   fail.
 */
export class OAuth2TokenKeeper {
  readonly #state: CredentialState | undefined;
  readonly #basis: string;
  #tokens: XOAuth2Tokens;
  #loaded: Promise<void> | null = null;
  #unsaved = false;

  constructor(configured: XOAuth2Tokens, state?: CredentialState) {
    this.#tokens = { ...configured };
    this.#basis = basisOf(configured);
    this.#state = state;
  }

  current(): XOAuth2Tokens {
    return this.#tokens;
  }

  /** Loads the stored tokens once; a failed load is retried at the next call. */
  ready(): Promise<void> {
    this.#loaded ??= this.#adopt().then(
      () => undefined,
      (error: unknown) => {
        this.#loaded = null;
        throw new TransientPublishError('x: stored OAuth 2.0 tokens could not be read', { cause: error });
      },
    );
    return this.#loaded;
  }

  /** True when the store holds tokens other than ours (now adopted). */
  async adoptStored(): Promise<boolean> {
    if (this.#unsaved) return false; // ours are newer than anything stored
    return this.#adopt();
  }

  async rotated(tokens: XOAuth2Tokens): Promise<void> {
    this.#tokens = {
      accessToken: tokens.accessToken,
      ...((tokens.refreshToken ?? this.#tokens.refreshToken)
        ? { refreshToken: tokens.refreshToken ?? this.#tokens.refreshToken }
        : {}),
    };
    this.#unsaved = true;
    await this.ensureSaved();
  }

  async ensureSaved(): Promise<void> {
    if (!this.#unsaved || !this.#state) {
      this.#unsaved = false;
      return;
    }
    try {
      await this.#state.save(JSON.stringify({ v: 1, basis: this.#basis, ...this.#tokens }));
      this.#unsaved = false;
    } catch (error) {
      throw new TransientPublishError('x: refreshed OAuth 2.0 tokens could not be stored', { cause: error });
    }
  }

  async #adopt(): Promise<boolean> {
    const raw = await this.#state?.load();
    if (!raw) return false;
    const parsed = StoredTokens.safeParse(safeJson(raw));
    // Unreadable, or from an earlier authorisation: the configured tokens win.
    if (!parsed.success || parsed.data.basis !== this.#basis) return false;
    const { accessToken, refreshToken } = parsed.data;
    if (accessToken === this.#tokens.accessToken && refreshToken === this.#tokens.refreshToken) return false;
    this.#tokens = { accessToken, ...(refreshToken ? { refreshToken } : {}) };
    return true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
