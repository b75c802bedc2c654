import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Experiments (migration 0008): definitions as last configured, the arm assigned and served per post,
 * every arm's variant, and the published posts' latest engagement (migration 0007) per arm.
 */

type Tx = Transaction<DB> | Kysely<DB>;

/** One arm's variant of a post, as written and verified. */
export interface VariantRow {
  arm: string;
  /** The arm's index in the experiment (the post's `variant` when it is served). */
  variant: number;
  text: string;
  writer: string;
  templateId: string | null;
  verified: boolean;
  /** Why verification failed ([] when verified). */
  reasons: string[];
  served: boolean;
}

/** The assignment of one post, with every arm's variant. */
export interface AssignmentRow {
  postId: string;
  experimentId: string;
  accountId: string;
  eventId: string;
  assignedArm: string;
  /** Null when no arm's draft verified (the post is rejected). */
  servedArm: string | null;
  /** Why the served arm is not the assigned one; null when it is. */
  fallback: string | null;
  variants: VariantRow[];
}

/**
 * Writes the configured experiments' definitions (insert or update). Definitions of experiments no
 * longer configured are kept: their assignments can still be analysed.
 */
export async function syncExperiments(
  db: Kysely<DB>,
  experiments: readonly { id: string; definition: Record<string, unknown> }[],
  now: Date,
): Promise<void> {
  if (experiments.length === 0) return;
  await db
    .insertInto('experiments')
    .values(experiments.map((e) => ({ id: e.id, definition: JSON.stringify(e.definition), updated_at: now })))
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        definition: eb.ref('excluded.definition'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Every stored definition, by id. */
export async function experimentDefinitions(
  db: Kysely<DB>,
): Promise<{ id: string; definition: unknown; updatedAt: Date }[]> {
  const rows = await db.selectFrom('experiments').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, definition: r.definition, updatedAt: r.updated_at }));
}

/**
 * Records assignments and their variants, in the caller's transaction (the one creating the posts,
 * which must exist). Idempotent: a post already recorded is left alone.
 */
export async function recordAssignments(tx: Tx, rows: readonly AssignmentRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const created = await tx
    .insertInto('experiment_assignments')
    .values(
      rows.map((r) => ({
        post_id: r.postId,
        experiment_id: r.experimentId,
        account_id: r.accountId,
        event_id: r.eventId,
        assigned_arm: r.assignedArm,
        served_arm: r.servedArm,
        fallback: r.fallback,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column('post_id').doNothing())
    .returning('post_id')
    .execute();
  const fresh = new Set(created.map((c) => c.post_id));
  const variants = rows
    .filter((r) => fresh.has(r.postId))
    .flatMap((r) =>
      r.variants.map((v) => ({
        post_id: r.postId,
        arm: v.arm,
        variant: v.variant,
        text: v.text,
        writer: v.writer,
        template_id: v.templateId,
        verified: v.verified,
        reasons: JSON.stringify(v.reasons),
        served: v.served,
      })),
    );
  if (variants.length > 0) await tx.insertInto('experiment_variants').values(variants).execute();
}

/** The assignment of a post, with its variants; undefined when the post was in no experiment. */
export async function assignmentOf(db: Kysely<DB>, postId: string): Promise<AssignmentRow | undefined> {
  const a = await db
    .selectFrom('experiment_assignments')
    .selectAll()
    .where('post_id', '=', postId)
    .executeTakeFirst();
  if (!a) return undefined;
  const variants = await db
    .selectFrom('experiment_variants')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('variant')
    .execute();
  return {
    postId: a.post_id,
    experimentId: a.experiment_id,
    accountId: a.account_id,
    eventId: a.event_id,
    assignedArm: a.assigned_arm,
    servedArm: a.served_arm,
    fallback: a.fallback,
    variants: variants.map((v) => ({
      arm: v.arm,
      variant: v.variant,
      text: v.text,
      writer: v.writer,
      templateId: v.template_id,
      verified: v.verified,
      reasons: v.reasons,
      served: v.served,
    })),
  };
}

/** Counts per arm of one experiment: posts assigned, served, fallen back from, published. */
export interface ArmCounts {
  arm: string;
  assigned: number;
  served: number;
  /** Posts assigned to this arm that carry another arm's text (or none). */
  fellBack: number;
  published: number;
}

/** Assignment counts per arm (arms never assigned nor served are absent). */
export async function armCounts(db: Kysely<DB>, experimentId: string): Promise<ArmCounts[]> {
  const rows = await sql<{
    arm: string;
    assigned: number;
    served: number;
    fell_back: number;
    published: number;
  }>`
    WITH a AS (
      SELECT ea.assigned_arm, ea.served_arm, p.status
      FROM experiment_assignments ea JOIN posts p ON p.id = ea.post_id
      WHERE ea.experiment_id = ${experimentId}
    ), arms AS (
      SELECT assigned_arm AS arm FROM a UNION SELECT served_arm FROM a WHERE served_arm IS NOT NULL
    )
    SELECT arms.arm,
      (SELECT count(*) FROM a WHERE a.assigned_arm = arms.arm)::int AS assigned,
      (SELECT count(*) FROM a WHERE a.served_arm = arms.arm)::int AS served,
      (SELECT count(*) FROM a WHERE a.assigned_arm = arms.arm
         AND a.served_arm IS DISTINCT FROM a.assigned_arm)::int AS fell_back,
      (SELECT count(*) FROM a WHERE a.served_arm = arms.arm AND a.status = 'published')::int AS published
    FROM arms ORDER BY arms.arm`.execute(db);
  return rows.rows.map((r) => ({
    arm: r.arm,
    assigned: Number(r.assigned),
    served: Number(r.served),
    fellBack: Number(r.fell_back),
    published: Number(r.published),
  }));
}

/** The latest engagement snapshot of one published post of an experiment, with the arm it served. */
export interface MeasuredPost {
  postId: string;
  arm: string;
  likes: number;
  reposts: number;
  replies: number;
  /** Null where the platform does not report quotes. */
  quotes: number | null;
  collectedAt: Date;
}

/**
 * The latest engagement snapshot of every published post of an experiment, by the arm it served.
 * Published posts without a snapshot yet are not measured and are absent. Returns [] when the
 * engagement table (migration 0007) is not there.
 */
export async function measuredPosts(db: Kysely<DB>, experimentId: string): Promise<MeasuredPost[]> {
  const present = await sql<{ present: boolean }>`
    SELECT to_regclass('engagement_snapshots') IS NOT NULL AS present`.execute(db);
  if (!present.rows[0]?.present) return [];
  const rows = await sql<{
    post_id: string;
    served_arm: string;
    likes: number;
    reposts: number;
    replies: number;
    quotes: number | null;
    collected_at: Date;
  }>`
    SELECT ea.post_id, ea.served_arm, s.likes, s.reposts, s.replies, s.quotes, s.collected_at
    FROM experiment_assignments ea
    JOIN posts p ON p.id = ea.post_id AND p.status = 'published'
    JOIN LATERAL (
      SELECT likes, reposts, replies, quotes, collected_at FROM engagement_snapshots
      WHERE post_id = ea.post_id
      ORDER BY collected_at DESC
      LIMIT 1
    ) s ON true
    WHERE ea.experiment_id = ${experimentId} AND ea.served_arm IS NOT NULL
    ORDER BY ea.post_id`.execute(db);
  return rows.rows.map((r) => ({
    postId: r.post_id,
    arm: r.served_arm,
    likes: Number(r.likes),
    reposts: Number(r.reposts),
    replies: Number(r.replies),
    quotes: r.quotes === null ? null : Number(r.quotes),
    collectedAt: new Date(r.collected_at),
  }));
}
