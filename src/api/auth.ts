import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { hashApiToken, safeEqual } from '../app/crypto.ts';
import type { DB } from '../store/schema.ts';
import { findTokenByHash, type Role, touchToken } from '../store/tokens.ts';
import { findSession } from '../store/users.ts';

/** Who is calling: an API token or a dashboard user's session. */
export interface Principal {
  kind: 'token' | 'session';
  /** Token id or user id. */
  id: string;
  name: string;
  role: Role;
  /** Sessions only: the CSRF token mutating requests must echo in `x-csrf-token`. */
  csrfToken?: string;
  sessionId?: string;
  /**
   * Tokens only: the operating-system user the command line says it runs as
   * (`x-wirereport-os-user`). Stated by the caller, not proven: it names who
   * at the keyboard used a shared token (such as the local control token) in
   * the audit log; the token is what grants access.
   */
  osUser?: string;
}

/** Header in which the command line states the operating-system user it runs as. */
export const OS_USER_HEADER = 'x-wirereport-os-user';
const OS_USER = /^[\p{L}\p{N}._@-]{1,64}$/u;

/** What a route needs. `public` routes need nothing. */
export const PERMISSIONS = {
  public: [],
  read: ['admin', 'operator', 'viewer', 'worker'],
  operate: ['admin', 'operator'],
  admin: ['admin'],
  metrics: ['admin', 'worker'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** The audit actor of a principal: `token:<id>(<name>)`, with `, os user <name>` when stated, or `user:<name>`. */
export function actorOf(p: Principal | null): string {
  if (!p) return 'anonymous';
  if (p.kind !== 'token') return `user:${p.name}`;
  return `token:${p.id}(${p.name}${p.osUser ? `, os user ${p.osUser}` : ''})`;
}

export const SESSION_COOKIE = 'wr_session';
export const CSRF_COOKIE = 'wr_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Finds the principal of a request: a bearer token first (looked up by its
 * HMAC under the pepper), else a signed session cookie. Null when neither is
 * present or valid. Never logs or returns the token.
 */
export async function authenticate(
  req: FastifyRequest,
  db: Kysely<DB>,
  pepper: Buffer,
  now: Date,
  cache?: TokenCache,
): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const match = /^Bearer\s+(\S{10,200})$/i.exec(header);
    if (!match) return null;
    const hash = hashApiToken(match[1]!, pepper);
    let principal = cache?.get(hash, now.getTime());
    if (principal === undefined) {
      const token = await findTokenByHash(db, hash);
      principal = token ? { kind: 'token', id: token.id, name: token.name, role: token.role } : null;
      if (token) await touchToken(db, token.id, now);
      cache?.set(hash, principal, now.getTime());
    }
    const osUser = req.headers[OS_USER_HEADER];
    if (principal && typeof osUser === 'string' && OS_USER.test(osUser)) return { ...principal, osUser };
    return principal;
  }
  const raw = req.cookies?.[SESSION_COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  const session = await findSession(db, unsigned.value, now);
  if (!session) return null;
  return {
    kind: 'session',
    id: session.user.id,
    name: session.user.name,
    role: session.user.role,
    csrfToken: session.csrfToken,
    sessionId: session.id,
  };
}

/**
 * Token lookups by hash, kept `ttlMs` (unknown tokens too, so a flood of bad
 * tokens does not reach the store). Bounded: cleared when it passes 10,000 entries.
 */
export class TokenCache {
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { principal: Principal | null; until: number }>();
  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }
  get(hash: string, now: number): Principal | null | undefined {
    const e = this.#entries.get(hash);
    if (!e) return undefined;
    if (e.until <= now) {
      this.#entries.delete(hash);
      return undefined;
    }
    return e.principal;
  }
  set(hash: string, principal: Principal | null, now: number): void {
    if (this.#ttlMs <= 0) return;
    if (this.#entries.size >= 10_000) this.#entries.clear();
    this.#entries.set(hash, { principal, until: now + this.#ttlMs });
  }
  clear(): void {
    this.#entries.clear();
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isMutating = (method: string): boolean => MUTATING.has(method);

/**
 * CSRF defence for cookie sessions (tokens carry no ambient authority and are
 * exempt): a mutating request must echo the session's CSRF token in
 * `x-csrf-token`, and when the browser sends `Origin` it must be this
 * server's own origin. Returns the refusal, or null when the request passes.
 */
export function csrfRefusal(req: FastifyRequest, principal: Principal): string | null {
  if (principal.kind !== 'session' || !isMutating(req.method)) return null;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${req.protocol}://${req.host}`)
    return `cross-origin request from ${origin} refused`;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !principal.csrfToken || !safeEqual(sent, principal.csrfToken))
    return `missing or wrong ${CSRF_HEADER} header`;
  return null;
}

/** Sends the standard refusal body. */
export function refuse(reply: FastifyReply, code: 401 | 403, error: string): FastifyReply {
  if (code === 401) reply.header('www-authenticate', 'Bearer realm="wirereport"');
  return reply.code(code).send({ error });
}
