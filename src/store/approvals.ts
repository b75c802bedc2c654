import type { Kysely } from 'kysely';
import type { Account } from '../domain/account.ts';
import type { PostStatus } from '../domain/post.ts';
import type { Verdict } from '../domain/verdict.ts';
import { transition } from './posts.ts';
import type { DB } from './schema.ts';

/**
 * Operator actions on posts. Each is one transaction around `transition()`,
 * a compare-and-set on the status: when the post moved meanwhile (the
 * publisher claimed it, another operator acted) StaleTransitionError is
 * thrown and nothing changes.
 */

/** The statuses each action starts from. */
export const ACTION_FROM = {
  approve: ['awaiting_approval'],
  reject: ['awaiting_approval'],
  cancel: ['awaiting_approval', 'queued'],
  retry: ['failed'],
  edit: ['awaiting_approval', 'queued'],
} as const satisfies Record<string, readonly PostStatus[]>;
export type PostAction = keyof typeof ACTION_FROM;

/** Thrown when a post cannot take an action in its current status. */
export class ActionNotAllowedError extends Error {
  override readonly name = 'ActionNotAllowedError';
  readonly status: string;
  constructor(action: string, postId: string, status: string) {
    super(`post ${postId} is ${status}; ${action} needs ${ACTION_FROM[action as PostAction].join(' or ')}`);
    this.status = status;
  }
}

async function currentStatus(db: Kysely<DB>, postId: string): Promise<PostStatus | null> {
  const row = await db.selectFrom('posts').select('status').where('id', '=', postId).executeTakeFirst();
  return (row?.status as PostStatus | undefined) ?? null;
}

/**
 * Applies `action` to a post: approve (awaiting_approval -> queued),
 * reject (awaiting_approval -> rejected), cancel (awaiting_approval|queued ->
 * cancelled), retry (failed -> queued, due now). Returns the new status, or
 * null when the post does not exist. Throws ActionNotAllowedError when the
 * post is in another status, StaleTransitionError when it moved meanwhile.
 */
export async function applyPostAction(
  db: Kysely<DB>,
  postId: string,
  action: Exclude<PostAction, 'edit'>,
  reason: string,
  now: Date,
): Promise<PostStatus | null> {
  const from = await currentStatus(db, postId);
  if (from === null) return null;
  if (!(ACTION_FROM[action] as readonly PostStatus[]).includes(from))
    throw new ActionNotAllowedError(action, postId, from);
  const to: PostStatus =
    action === 'approve' || action === 'retry' ? 'queued' : action === 'reject' ? 'rejected' : 'cancelled';
  const patch =
    to === 'queued'
      ? { queued_at: now, not_before: null, ...(action === 'retry' ? { last_error: null } : {}) }
      : {};
  await db.transaction().execute((tx) => transition(tx, postId, from, to, reason, now, patch));
  return to;
}

/**
 * Replaces the text of a post awaiting approval or queued, with the verdict of
 * the new text (which the caller checked: only an ok verdict is stored). The
 * status stays; the edit is recorded in the post's history. Compare-and-set
 * on the status the caller saw, so an edit never lands on a post being
 * published. Returns false when the post was no longer in `from`.
 */
export async function editPostText(
  db: Kysely<DB>,
  postId: string,
  from: 'awaiting_approval' | 'queued',
  text: string,
  verdict: Verdict,
  reason: string,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('posts')
      .set({ text, verdict: JSON.stringify(verdict), writer: 'operator', updated_at: now })
      .where('id', '=', postId)
      .where('status', '=', from)
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) return false;
    await tx
      .insertInto('post_transitions')
      .values({ post_id: postId, from_status: from, to_status: from, reason, at: now })
      .execute();
    return true;
  });
}

/** The review timeout of an account that sets none (as the configuration's default). */
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 900;

export interface ExpiredApproval {
  postId: string;
  accountId: string;
  action: 'publish' | 'drop';
}

/**
 * The review sweeper: a post that waited for approval longer than its
 * account's `approval.timeoutSeconds` (default 900; since it entered review or was last
 * edited) takes the account's default action `onTimeout` (default drop): `publish`
 * queues it, `drop` rejects it. Accounts not in `accounts` are left alone. Posts moved by an
 * operator meanwhile are skipped (compare-and-set). Returns what it did.
 */
export async function expireApprovals(
  db: Kysely<DB>,
  now: Date,
  accounts: readonly Pick<Account, 'id' | 'approval'>[],
): Promise<ExpiredApproval[]> {
  if (accounts.length === 0) return [];
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const rows = await db
    .selectFrom('posts')
    .select(['id', 'account_id', 'updated_at'])
    .where('status', '=', 'awaiting_approval')
    .where('account_id', 'in', [...byId.keys()])
    .orderBy('updated_at')
    .execute();
  const done: ExpiredApproval[] = [];
  for (const row of rows) {
    const account = byId.get(row.account_id)!;
    const timeoutSeconds = account.approval.timeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS;
    const deadline = row.updated_at.getTime() + timeoutSeconds * 1000;
    if (deadline > now.getTime()) continue;
    const action = account.approval.onTimeout ?? 'drop';
    const reason = `approval timed out after ${timeoutSeconds} s; default action ${action}`;
    try {
      await db
        .transaction()
        .execute((tx) =>
          action === 'publish'
            ? transition(tx, row.id, 'awaiting_approval', 'queued', reason, now, { queued_at: now })
            : transition(tx, row.id, 'awaiting_approval', 'rejected', reason, now),
        );
      done.push({ postId: row.id, accountId: row.account_id, action });
    } catch (error) {
      if ((error as Error).name !== 'StaleTransitionError') throw error;
    }
  }
  return done;
}
