import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

export interface AuditLogTable {
  id: import('kysely').Generated<number>;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: import('kysely').ColumnType<Record<string, unknown>, string | undefined, string>;
}

type AuditDb = Kysely<DB & { audit_log: AuditLogTable }>;
const auditDb = (db: Kysely<DB> | Transaction<DB>): AuditDb => db.withTables<{ audit_log: AuditLogTable }>();

export interface AuditEntry {
  /** Who: `token:<id>:<name>`, `user:<name>`, `cli:<os user>`, `engine`. */
  actor: string;
  /** What: `post.approve`, `account.pause`, `token.create`, `http.POST /api/...`. */
  action: string;
  /** On what: a post id, account id, token id... */
  target?: string | null;
  /** `ok`, or the refusal (`denied`, `conflict`, `error:400`...). */
  outcome: string;
  /** Extra facts; never a secret. */
  detail?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'detail' | 'target'>> {
  id: number;
  at: Date;
  target: string | null;
  detail: Record<string, unknown>;
}

/** Appends one entry to the audit trail. */
export async function audit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry, now: Date): Promise<void> {
  await auditDb(db)
    .insertInto('audit_log')
    .values({
      at: now,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** The latest entries, newest first; `beforeId` pages back; `target` filters. */
export async function listAudit(
  db: Kysely<DB>,
  options: { limit: number; beforeId?: number; target?: string },
): Promise<AuditRecord[]> {
  let q = auditDb(db).selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
  if (options.target !== undefined) q = q.where('target', '=', options.target);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    detail: r.detail,
  }));
}
