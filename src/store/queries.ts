import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { PostStatus } from '../domain/post.ts';
import { readFacts } from './facts-snapshot.ts';
import type { DB } from './schema.ts';

/**
 * Read models for operators: post lists with keyset pagination, one post's
 * whole story, accounts with their runtime state, games, events and costs.
 * Every filter is a bound parameter; nothing from a caller is ever spliced
 * into SQL text.
 */

export interface PostFilter {
  status?: readonly PostStatus[];
  accountId?: string;
  league?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  /** Cursor from a previous page (`nextCursor`). */
  cursor?: string;
  limit: number;
}

export interface PostSummary {
  id: string;
  accountId: string;
  eventId: string;
  league: string;
  status: string;
  priority: number;
  significance: number;
  text: string;
  writer: string;
  attempts: number;
  lastError: string | null;
  platformUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** Published posts only: the latest engagement read, or null while never read. */
  engagement?: PostEngagement | null;
}

/** The latest engagement counts of a published post. */
export interface PostEngagement {
  likes: number;
  reposts: number;
  replies: number;
  /** Where the platform reports quotes; null elsewhere. */
  quotes: number | null;
  collectedAt: Date;
}

/** Thrown for a cursor this module did not make. */
export class BadCursorError extends Error {
  override readonly name = 'BadCursorError';
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const at = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (bar < 0 || Number.isNaN(at.getTime()) || !id)
    throw new BadCursorError('cursor: not a cursor of this API');
  return { createdAt: at, id };
}

/** One row of the page as the database serializes it (timestamps as ISO 8601 text). */
interface PostJsonRow extends Omit<PostSummary, 'createdAt' | 'updatedAt' | 'publishedAt' | 'engagement'> {
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  engagement?: (Omit<PostEngagement, 'collectedAt'> & { collectedAt: string }) | null;
}

/**
 * Where a read model keeps its exact JSON text: the HTTP layer sends that
 * text as the reply instead of serializing the object again (see
 * src/api/server.ts). `JSON.stringify` of the object gives the same text.
 */
export const SERIALIZED: unique symbol = Symbol('wirereport.serialized');

/** A page of the post list. `posts` is read-only: the page's JSON text is made once. */
export interface PostPage {
  readonly posts: PostSummary[];
  nextCursor: string | null;
  readonly [SERIALIZED]?: string;
}

/** A timestamp column as `Date.prototype.toJSON` writes it: UTC, milliseconds, `Z`. */
const ISO_TEXT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function toSummary(r: PostJsonRow): PostSummary {
  const { engagement, ...rest } = r;
  return {
    ...rest,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    publishedAt: r.publishedAt === null ? null : new Date(r.publishedAt),
    ...(engagement === undefined
      ? {}
      : { engagement: engagement && { ...engagement, collectedAt: new Date(engagement.collectedAt) } }),
  };
}

/**
 * Posts newest first (created_at, then id, descending), filtered. Keyset
 * pagination: `nextCursor` is set when there may be more, and the next page
 * starts strictly after the last row returned, so rows arriving meanwhile
 * never shift a page.
 *
 * One statement, and the database hands the page back as one JSON text (on
 * the embedded store, decoding 15 columns x 51 rows through the wire
 * protocol costs several times what the whole query does). The API sends
 * that text as it is (`SERIALIZED`); `posts` is parsed only when read. The
 * post list is the API's busiest read (see bench/api.bench.ts), so its SQL
 * is written out here rather than built node by node on every call.
 */
export async function listPosts(db: Kysely<DB>, filter: PostFilter): Promise<PostPage> {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (filter.status && filter.status.length > 0)
    where.push(`p.status IN (${filter.status.map(bind).join(', ')})`);
  if (filter.accountId !== undefined) where.push(`p.account_id = ${bind(filter.accountId)}`);
  if (filter.league !== undefined) where.push(`e.league = ${bind(filter.league)}`);
  if (filter.from !== undefined) where.push(`p.created_at >= ${bind(filter.from)}`);
  if (filter.to !== undefined) where.push(`p.created_at < ${bind(filter.to)}`);
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    const at = bind(c.createdAt);
    where.push(`(p.created_at < ${at} OR (p.created_at = ${at} AND p.id < ${bind(c.id)}))`);
  }
  const limit = bind(filter.limit + 1);
  // Rows are named as in PostSummary and written by to_json, published ones
  // with their latest engagement (null while never read; no field on
  // others), joined by ",\n": JSON never holds a raw newline inside a value
  // (strings escape it), so the text splits back into rows on newlines.
  // Ordering by the millisecond text is the inner order: posts are stamped
  // at millisecond precision (as the cursor assumes).
  const text = `
    SELECT coalesce('[' || string_agg(
        CASE WHEN r.status = 'published'
          THEN left(to_json(r)::text, -1) || ',"engagement":' || coalesce(en.latest::text, 'null') || '}'
          ELSE to_json(r)::text END,
        E',\n' ORDER BY r."createdAt" DESC, r.id DESC) || ']', '[]') AS page
    FROM (
      SELECT p.id AS "id", p.account_id AS "accountId", p.event_id AS "eventId", e.league AS "league",
        p.status AS "status", p.priority AS "priority", p.significance AS "significance", p.text AS "text",
        p.writer AS "writer", p.attempts AS "attempts", p.last_error AS "lastError",
        p.platform_url AS "platformUrl", ${ISO_TEXT('p.created_at')} AS "createdAt",
        ${ISO_TEXT('p.updated_at')} AS "updatedAt", ${ISO_TEXT('p.published_at')} AS "publishedAt"
      FROM posts p JOIN events e ON e.id = p.event_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT ${limit}
    ) AS r
    LEFT JOIN LATERAL (
      SELECT to_json(x) AS latest FROM (
        SELECT s.likes, s.reposts, s.replies, s.quotes, ${ISO_TEXT('s.collected_at')} AS "collectedAt"
        FROM engagement_snapshots s
        WHERE r.status = 'published' AND s.post_id = r.id
        ORDER BY s.collected_at DESC
        LIMIT 1) x
    ) en ON true`;
  const result = await db.executeQuery<{ page: string }>(CompiledQuery.raw(text, params));
  return pageOf(result.rows[0]?.page ?? '[]', filter.limit);
}

/** A page from the database's JSON array of up to `limit + 1` rows (one more: there are more). */
function pageOf(array: string, limit: number): PostPage {
  const elements = array === '[]' ? [] : array.slice(1, -1).split(',\n');
  const more = elements.length > limit;
  const kept = more ? elements.slice(0, limit) : elements;
  const postsJson = `[${kept.join(',')}]`;
  const lastText = kept[kept.length - 1];
  let nextCursor: string | null = null;
  if (more && lastText) {
    const last = JSON.parse(lastText) as PostJsonRow;
    nextCursor = encodeCursor(new Date(last.createdAt), last.id);
  }
  let posts: PostSummary[] | undefined;
  return {
    get posts() {
      posts ??= (JSON.parse(postsJson) as PostJsonRow[]).map(toSummary);
      return posts;
    },
    nextCursor,
    [SERIALIZED]: `{"posts":${postsJson},"nextCursor":${JSON.stringify(nextCursor)}}`,
  };
}

export interface PostStory {
  post: PostSummary & {
    templateId: string | null;
    notBefore: Date | null;
    expiresAt: Date | null;
    platformPostId: string | null;
    verdict: Record<string, unknown> | null;
  };
  event: {
    id: string;
    gameId: string;
    league: string;
    source: string;
    kind: string;
    sequence: number;
    occurredAt: Date;
    ingestedAt: Date;
    significance: number;
    breaking: boolean;
    reasons: string[];
    payload: Record<string, unknown>;
  };
  /** The facts the post was verified against (null when the event kept none). */
  facts: Record<string, unknown> | null;
  costs: {
    id: number;
    at: Date;
    kind: string;
    provider: string;
    model: string | null;
    tokensIn: number;
    tokensOut: number;
    usdMicros: number;
  }[];
  attempts: {
    id: number;
    worker: string;
    platform: string;
    startedAt: Date;
    finishedAt: Date | null;
    outcome: string | null;
    error: string | null;
    platformPostId: string | null;
  }[];
  transitions: { id: number; from: string | null; to: string; reason: string; at: Date }[];
}

/** One post with everything that happened to it, or null when there is no such post. */
export async function getPostStory(db: Kysely<DB>, postId: string): Promise<PostStory | null> {
  const p = await db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!p) return null;
  const e = await db.selectFrom('events').selectAll().where('id', '=', p.event_id).executeTakeFirstOrThrow();
  const snapshot = e.facts_hash
    ? await db
        .selectFrom('fact_snapshots')
        .select(['facts', 'facts_deflated'])
        .where('hash', '=', e.facts_hash)
        .executeTakeFirst()
    : undefined;
  const facts = snapshot ? (readFacts(snapshot) as Record<string, unknown> | null) : null;
  const [costs, attempts, transitions] = await Promise.all([
    db.selectFrom('cost_ledger').selectAll().where('post_id', '=', postId).orderBy('id').execute(),
    db.selectFrom('publish_attempts').selectAll().where('post_id', '=', postId).orderBy('id').execute(),
    db.selectFrom('post_transitions').selectAll().where('post_id', '=', postId).orderBy('id').execute(),
  ]);
  return {
    post: {
      id: p.id,
      accountId: p.account_id,
      eventId: p.event_id,
      league: e.league,
      status: p.status,
      priority: p.priority,
      significance: p.significance,
      text: p.text,
      writer: p.writer,
      attempts: p.attempts,
      lastError: p.last_error,
      platformUrl: p.platform_url,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
      publishedAt: p.published_at,
      templateId: p.template_id,
      notBefore: p.not_before,
      expiresAt: p.expires_at,
      platformPostId: p.platform_post_id,
      verdict: p.verdict,
    },
    event: {
      id: e.id,
      gameId: e.game_id,
      league: e.league,
      source: e.source,
      kind: e.kind,
      sequence: e.sequence,
      occurredAt: e.occurred_at,
      ingestedAt: e.ingested_at,
      significance: e.significance,
      breaking: e.breaking,
      reasons: e.reasons,
      payload: e.payload,
    },
    facts,
    costs: costs.map((c) => ({
      id: Number(c.id),
      at: c.at,
      kind: c.kind,
      provider: c.provider,
      model: c.model,
      tokensIn: c.tokens_in,
      tokensOut: c.tokens_out,
      usdMicros: Number(c.usd_micros),
    })),
    attempts: attempts.map((a) => ({
      id: Number(a.id),
      worker: a.worker,
      platform: a.platform,
      startedAt: a.started_at,
      finishedAt: a.finished_at,
      outcome: a.outcome,
      error: a.error,
      platformPostId: a.platform_post_id,
    })),
    transitions: transitions.map((t) => ({
      id: Number(t.id),
      from: t.from_status,
      to: t.to_status,
      reason: t.reason,
      at: t.at,
    })),
  };
}

/** The event row and its facts snapshot, for re-verifying an edited post. */
export async function getEventWithFacts(
  db: Kysely<DB>,
  eventId: string,
): Promise<{ payload: Record<string, unknown>; facts: Record<string, unknown> | null } | null> {
  const e = await db
    .selectFrom('events as e')
    .leftJoin('fact_snapshots as f', 'f.hash', 'e.facts_hash')
    .select(['e.payload', 'f.facts', 'f.facts_deflated'])
    .where('e.id', '=', eventId)
    .executeTakeFirst();
  return e ? { payload: e.payload, facts: readFacts(e) as Record<string, unknown> | null } : null;
}

export interface AccountState {
  id: string;
  platform: string;
  handle: string;
  paused: boolean;
  lastPostAt: Date | null;
  inflightPostId: string | null;
  config: Record<string, unknown>;
  queued: number;
  awaitingApproval: number;
}

/** Accounts as the store knows them, with their runtime state and queue sizes. */
export async function listAccountStates(db: Kysely<DB>): Promise<AccountState[]> {
  const rows = await db
    .selectFrom('accounts as a')
    .select((eb) => [
      'a.id',
      'a.platform',
      'a.handle',
      'a.paused',
      'a.last_post_at',
      'a.inflight_post_id',
      'a.config',
      eb
        .selectFrom('posts')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('posts.account_id', '=', 'a.id')
        .where('posts.status', '=', 'queued')
        .as('queued'),
      eb
        .selectFrom('posts')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('posts.account_id', '=', 'a.id')
        .where('posts.status', '=', 'awaiting_approval')
        .as('awaiting'),
    ])
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    platform: r.platform,
    handle: r.handle,
    paused: r.paused,
    lastPostAt: r.last_post_at,
    inflightPostId: r.inflight_post_id,
    config: r.config,
    queued: Number(r.queued ?? 0),
    awaitingApproval: Number(r.awaiting ?? 0),
  }));
}

/** Games stored (finished games and their final facts), newest first. */
export async function listGames(
  db: Kysely<DB>,
  options: { league?: string; limit: number },
): Promise<{ id: string; league: string; state: string; updatedAt: Date; facts: Record<string, unknown> }[]> {
  let q = db.selectFrom('games').selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(options.limit);
  if (options.league) q = q.where('league', '=', options.league);
  const rows = await q.execute();
  return rows.map((g) => ({
    id: g.id,
    league: g.league,
    state: g.state,
    updatedAt: g.updated_at,
    facts: g.facts,
  }));
}

/** Events stored, newest first, optionally of one game or league; `beforeSequence` pages within a game. */
export async function listEvents(
  db: Kysely<DB>,
  options: { gameId?: string; league?: string; limit: number; before?: Date },
): Promise<
  {
    id: string;
    gameId: string;
    league: string;
    kind: string;
    sequence: number;
    occurredAt: Date;
    ingestedAt: Date;
    significance: number;
    breaking: boolean;
    text: string;
  }[]
> {
  let q = db
    .selectFrom('events')
    .selectAll()
    .orderBy('ingested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.gameId) q = q.where('game_id', '=', options.gameId);
  if (options.league) q = q.where('league', '=', options.league);
  if (options.before) q = q.where('ingested_at', '<', options.before);
  const rows = await q.execute();
  return rows.map((e) => ({
    id: e.id,
    gameId: e.game_id,
    league: e.league,
    kind: e.kind,
    sequence: e.sequence,
    occurredAt: e.occurred_at,
    ingestedAt: e.ingested_at,
    significance: e.significance,
    breaking: e.breaking,
    text: typeof e.payload.text === 'string' ? e.payload.text : '',
  }));
}

export interface CostRow {
  accountId: string | null;
  day: string;
  kind: string;
  provider: string;
  model: string | null;
  tokensIn: number;
  tokensCached: number;
  tokensOut: number;
  usdMicros: number;
  entries: number;
}

/** Spending by account, UTC day, kind, provider and model, over [from, to). */
export async function costSummary(
  db: Kysely<DB>,
  options: { from: Date; to: Date; accountId?: string },
): Promise<CostRow[]> {
  const accountFilter = options.accountId !== undefined ? sql`AND account_id = ${options.accountId}` : sql``;
  const result = await sql<{
    account_id: string | null;
    day: string;
    kind: string;
    provider: string;
    model: string | null;
    tokens_in: number;
    tokens_cached: number;
    tokens_out: number;
    usd_micros: number;
    entries: number;
  }>`
    SELECT account_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, kind, provider, model,
           sum(tokens_in)::int8 AS tokens_in, sum(tokens_cached)::int8 AS tokens_cached,
           sum(tokens_out)::int8 AS tokens_out, sum(usd_micros)::int8 AS usd_micros, count(*)::int8 AS entries
    FROM cost_ledger
    WHERE at >= ${options.from} AND at < ${options.to} ${accountFilter}
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 2, 1 NULLS FIRST, 3, 4, 5`.execute(db);
  return result.rows.map((r) => ({
    accountId: r.account_id,
    day: r.day,
    kind: r.kind,
    provider: r.provider,
    model: r.model,
    tokensIn: Number(r.tokens_in),
    tokensCached: Number(r.tokens_cached),
    tokensOut: Number(r.tokens_out),
    usdMicros: Number(r.usd_micros),
    entries: Number(r.entries),
  }));
}

/** Posts counted toward today's budget (published since `since`) and money spent since, per account. */
export async function budgetUsage(
  db: Kysely<DB>,
  since: Date,
): Promise<Map<string, { posts: number; usdMicros: number }>> {
  const posts = await db
    .selectFrom('posts')
    .select((eb) => ['account_id', eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'published')
    .where('published_at', '>=', since)
    .groupBy('account_id')
    .execute();
  const money = await db
    .selectFrom('cost_ledger')
    .select((eb) => ['account_id', eb.fn.sum<number>('usd_micros').as('usd')])
    .where('at', '>=', since)
    .where('account_id', 'is not', null)
    .groupBy('account_id')
    .execute();
  const out = new Map<string, { posts: number; usdMicros: number }>();
  for (const p of posts) out.set(p.account_id, { posts: Number(p.n), usdMicros: 0 });
  for (const m of money) {
    if (m.account_id === null) continue;
    const entry = out.get(m.account_id) ?? { posts: 0, usdMicros: 0 };
    entry.usdMicros = Number(m.usd ?? 0);
    out.set(m.account_id, entry);
  }
  return out;
}

/** Queue depth per account and status (for the metrics gauge). */
export async function queueDepth(
  db: Kysely<DB>,
): Promise<{ accountId: string; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('posts')
    .select((eb) => ['account_id', 'status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['queued', 'awaiting_approval', 'publishing', 'unconfirmed'])
    .groupBy(['account_id', 'status'])
    .execute();
  return rows.map((r) => ({ accountId: r.account_id, status: r.status, n: Number(r.n) }));
}

/** For metrics: events stored per league, and seconds from play to ingestion of the latest event per league. */
export async function feedStats(
  db: Kysely<DB>,
): Promise<{ league: string; events: number; lagSeconds: number | null }[]> {
  const result = await sql<{ league: string; events: number; lag: number | null }>`
    SELECT league, count(*)::int8 AS events,
      (SELECT EXTRACT(EPOCH FROM (x.ingested_at - x.occurred_at))::float8
         FROM events x WHERE x.league = e.league ORDER BY x.ingested_at DESC, x.id DESC LIMIT 1) AS lag
    FROM events e GROUP BY league ORDER BY league`.execute(db);
  return result.rows.map((r) => ({
    league: r.league,
    events: Number(r.events),
    lagSeconds: r.lag === null ? null : Number(r.lag),
  }));
}

/** For metrics: LLM tokens and money per provider and model, over the whole ledger. */
export async function llmTotals(
  db: Kysely<DB>,
): Promise<{ provider: string; model: string; tokensIn: number; tokensOut: number; usdMicros: number }[]> {
  const rows = await db
    .selectFrom('cost_ledger')
    .select((eb) => [
      'provider',
      eb.fn.coalesce('model', sql<string>`''`).as('model'),
      eb.fn.sum<number>('tokens_in').as('tin'),
      eb.fn.sum<number>('tokens_out').as('tout'),
      eb.fn.sum<number>('usd_micros').as('usd'),
    ])
    .where('kind', '!=', 'platform_fee')
    .groupBy(['provider', 'model'])
    .execute();
  return rows.map((r) => ({
    provider: r.provider,
    model: r.model,
    tokensIn: Number(r.tin ?? 0),
    tokensOut: Number(r.tout ?? 0),
    usdMicros: Number(r.usd ?? 0),
  }));
}
