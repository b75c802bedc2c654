import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export const USER_ROLES = ['admin', 'operator', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UsersTable {
  id: string;
  name: string;
  role: UserRole;
  password_hash: string;
  created_at: Date;
  disabled_at: Date | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

type UsersDb = Kysely<DB & { users: UsersTable; sessions: SessionsTable }>;
const usersDb = (db: Kysely<DB>): UsersDb => db.withTables<{ users: UsersTable; sessions: SessionsTable }>();

/** A user as shown to operators (no password hash). */
export interface UserInfo {
  id: string;
  name: string;
  role: UserRole;
  createdAt: Date;
  disabledAt: Date | null;
}

const info = (r: Omit<UsersTable, 'password_hash'>): UserInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

/** Thrown when a user name is taken. */
export class UserExistsError extends Error {
  override readonly name = 'UserExistsError';
}

/** Creates a user; throws UserExistsError when the name is taken. */
export async function insertUser(
  db: Kysely<DB>,
  user: { id: string; name: string; role: UserRole; passwordHash: string },
  now: Date,
): Promise<UserInfo> {
  const row = await usersDb(db)
    .insertInto('users')
    .values({
      id: user.id,
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
      created_at: now,
      disabled_at: null,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning(['id', 'name', 'role', 'created_at', 'disabled_at'])
    .executeTakeFirst();
  if (!row) throw new UserExistsError(`user "${user.name}" exists already`);
  return info(row);
}

/** The enabled user of this name with its password hash (for login), or null. */
export async function findUserForLogin(
  db: Kysely<DB>,
  name: string,
): Promise<(UserInfo & { passwordHash: string }) | null> {
  const row = await usersDb(db)
    .selectFrom('users')
    .selectAll()
    .where('name', '=', name)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { ...info(row), passwordHash: row.password_hash } : null;
}

export async function listUsers(db: Kysely<DB>): Promise<UserInfo[]> {
  const rows = await usersDb(db)
    .selectFrom('users')
    .select(['id', 'name', 'role', 'created_at', 'disabled_at'])
    .orderBy('name')
    .execute();
  return rows.map(info);
}

/** Disables a user and ends their sessions. Returns false when no enabled user has the name. */
export async function disableUser(db: Kysely<DB>, name: string, now: Date): Promise<boolean> {
  return usersDb(db)
    .transaction()
    .execute(async (tx) => {
      const row = await tx
        .updateTable('users')
        .set({ disabled_at: now })
        .where('name', '=', name)
        .where('disabled_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await tx.deleteFrom('sessions').where('user_id', '=', row.id).execute();
      return true;
    });
}

export async function insertSession(
  db: Kysely<DB>,
  session: { id: string; userId: string; csrfToken: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await usersDb(db)
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: now,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The live session with its (enabled) user, or null when unknown, expired or the user is disabled. */
export async function findSession(
  db: Kysely<DB>,
  id: string,
  now: Date,
): Promise<{ id: string; csrfToken: string; user: UserInfo } | null> {
  const row = await usersDb(db)
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as sid', 's.csrf_token', 'u.id', 'u.name', 'u.role', 'u.created_at', 'u.disabled_at'])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.sid, csrfToken: row.csrf_token, user: info(row) } : null;
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await usersDb(db).deleteFrom('sessions').where('id', '=', id).execute();
}
