import { type Kysely, sql, type Transaction } from 'kysely';
import type { GameEvent, Significance } from '../domain/event.ts';
import type { GameFacts } from '../domain/facts.ts';
import { type FactsSnapshot, readFacts } from './facts-snapshot.ts';
import type { DB } from './schema.ts';

/** The event without its facts snapshot (stored separately, shared by hash). */
export function eventPayload(event: GameEvent): Record<string, unknown> {
  const { game: _game, ...rest } = event;
  return rest;
}

/**
 * Inserts several events, and the facts snapshots of those that have one
 * (once per content hash), in one statement; returns the ids that were new. The rows travel as one JSON document each (not one parameter per
 * value), which keeps a batch cheap to send and to plan.
 */
export async function insertEvents(
  tx: Transaction<DB> | Kysely<DB>,
  items: readonly {
    event: GameEvent;
    significance: Significance;
    /** The facts its posts rest on, as stored (`snapshotOf(event.game)`); null when nothing was written. */
    snapshot: FactsSnapshot | null;
  }[],
  ingestedAt: Date,
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const snapshots = new Map<string, string>();
  const rows: string[] = [];
  for (const { event, significance, snapshot } of items) {
    let hash: string | null = null;
    if (snapshot) {
      snapshots.set(snapshot.hash, Buffer.from(snapshot.deflated).toString('base64'));
      hash = snapshot.hash;
    }
    rows.push(
      JSON.stringify({
        id: event.id,
        game_id: event.gameId,
        league: event.league,
        source: event.source,
        kind: event.kind,
        sequence: event.sequence,
        occurred_at: new Date(event.occurredAt).toISOString(),
        significance: significance.score,
        breaking: significance.breaking,
        reasons: significance.reasons,
        payload: eventPayload(event),
        facts_hash: hash,
      }),
    );
  }
  // Snapshots travel as two text arrays, the deflated facts in base64.
  const inserted = await sql<{ id: string }>`
    WITH snapshots AS (
      INSERT INTO fact_snapshots (hash, facts_deflated)
      SELECT s.hash, decode(s.deflated, 'base64')
      FROM unnest(${[...snapshots.keys()]}::text[], ${[...snapshots.values()]}::text[]) AS s(hash, deflated)
      ON CONFLICT (hash) DO NOTHING
    )
    INSERT INTO events (id, game_id, league, source, kind, sequence, occurred_at, ingested_at,
      significance, breaking, reasons, payload, facts_hash)
    SELECT e.id, e.game_id, e.league, e.source, e.kind, e.sequence, e.occurred_at, ${ingestedAt},
      e.significance, e.breaking, e.reasons, e.payload, e.facts_hash
    FROM json_to_recordset(${`[${rows.join(',')}]`}::json) AS e(id text, game_id text, league text,
      source text, kind text, sequence integer, occurred_at timestamptz, significance real,
      breaking boolean, reasons json, payload json, facts_hash text)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`.execute(tx);
  return new Set(inserted.rows.map((r) => r.id));
}

/** Ids among `ids` that are already stored. */
export async function existingEventIds(db: Kysely<DB>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('events').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Ids of the stored events of each of `gameIds`. */
export async function storedEventIdsByGame(
  db: Kysely<DB>,
  gameIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const byGame = new Map(gameIds.map((id) => [id, new Set<string>()]));
  if (gameIds.length === 0) return byGame;
  const rows = await db
    .selectFrom('events')
    .select(['id', 'game_id'])
    .where('game_id', 'in', gameIds)
    .execute();
  for (const row of rows) byGame.get(row.game_id)?.add(row.id);
  return byGame;
}

/** Stores the latest known facts of a game (box score, line score, records). */
export async function upsertGame(
  db: Kysely<DB> | Transaction<DB>,
  facts: GameFacts,
  now: Date,
): Promise<void> {
  await db
    .insertInto('games')
    .values({
      id: facts.gameId,
      league: facts.league,
      state: facts.state,
      facts: JSON.stringify(facts),
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        state: eb.ref('excluded.state'),
        facts: eb.ref('excluded.facts'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** The kind of an event and the facts its posts were written from (null when none were stored). */
export async function eventWithFacts(
  db: Kysely<DB>,
  eventId: string,
): Promise<{ kind: string; facts: GameFacts | null } | null> {
  const row = await db
    .selectFrom('events')
    .leftJoin('fact_snapshots', 'fact_snapshots.hash', 'events.facts_hash')
    .select(['events.kind', 'fact_snapshots.facts', 'fact_snapshots.facts_deflated'])
    .where('events.id', '=', eventId)
    .executeTakeFirst();
  if (!row) return null;
  return { kind: row.kind, facts: readFacts(row) };
}
