import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** Roles of API tokens. Users (dashboard) take the first three. */
export const ROLES = ['admin', 'operator', 'viewer', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiTokensTable {
  id: string;
  name: string;
  role: Role;
  token_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

type TokensDb = Kysely<DB & { api_tokens: ApiTokensTable }>;
const tokensDb = (db: Kysely<DB>): TokensDb => db.withTables<{ api_tokens: ApiTokensTable }>();

/** An API token as shown to operators: never its secret nor its hash. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function info(row: Omit<ApiTokensTable, 'token_hash'>): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Stores a token by its hash (the caller hashed it with the pepper). */
export async function insertToken(
  db: Kysely<DB>,
  token: { id: string; name: string; role: Role; tokenHash: string },
  now: Date,
): Promise<ApiTokenInfo> {
  const row = await tokensDb(db)
    .insertInto('api_tokens')
    .values({
      id: token.id,
      name: token.name,
      role: token.role,
      token_hash: token.tokenHash,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .returning(['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return info(row);
}

/** The live (not revoked) token with this hash, or null. */
export async function findTokenByHash(db: Kysely<DB>, tokenHash: string): Promise<ApiTokenInfo | null> {
  const row = await tokensDb(db)
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? info(row) : null;
}

/**
 * Records that a token was used, at most once a minute per token (a write
 * per request would make every read a write).
 */
export async function touchToken(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  await tokensDb(db)
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]),
    )
    .execute();
}

export async function listTokens(db: Kysely<DB>): Promise<ApiTokenInfo[]> {
  const rows = await tokensDb(db)
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(info);
}

/** Revokes a token. Returns false when there is no such live token. */
export async function revokeToken(db: Kysely<DB>, id: string, now: Date): Promise<boolean> {
  const r = await tokensDb(db)
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
