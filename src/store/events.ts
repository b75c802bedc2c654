import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { GameEvent, Significance } from '../domain/event.ts';
import type { GameFacts } from '../domain/facts.ts';
import type { DB } from './schema.ts';

export function factsHash(facts: GameFacts): { hash: string; json: string } {
  const json = JSON.stringify(facts);
  return { hash: createHash('sha256').update(json).digest('base64url').slice(0, 32), json };
}

/** The event without its facts snapshot (stored separately, shared by hash). */
export function eventPayload(event: GameEvent): Record<string, unknown> {
  const { game: _game, ...rest } = event;
  return rest;
}

/**
 * Inserts several events in one statement; returns the ids that were new.
 * Facts snapshots are stored (once per content hash) for events marked `withFacts`.
 */
export async function insertEvents(
  tx: Transaction<DB> | Kysely<DB>,
  items: readonly { event: GameEvent; significance: Significance; withFacts: boolean }[],
  ingestedAt: Date,
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const snapshots = new Map<string, string>();
  const hashes = items.map((item) => {
    if (!item.withFacts) return null;
    const snapshot = factsHash(item.event.game);
    snapshots.set(snapshot.hash, snapshot.json);
    return snapshot.hash;
  });
  if (snapshots.size > 0) {
    await tx
      .insertInto('fact_snapshots')
      .values([...snapshots].map(([hash, facts]) => ({ hash, facts })))
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }
  const rows = await tx
    .insertInto('events')
    .values(
      items.map(({ event, significance }, i) => ({
        id: event.id,
        game_id: event.gameId,
        league: event.league,
        source: event.source,
        kind: event.kind,
        sequence: event.sequence,
        occurred_at: new Date(event.occurredAt),
        ingested_at: ingestedAt,
        significance: significance.score,
        breaking: significance.breaking,
        reasons: JSON.stringify(significance.reasons),
        payload: JSON.stringify(eventPayload(event)),
        facts_hash: hashes[i] ?? null,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Ids among `ids` that are already stored. */
export async function existingEventIds(db: Kysely<DB>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('events').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
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
    .select(['events.kind', 'fact_snapshots.facts'])
    .where('events.id', '=', eventId)
    .executeTakeFirst();
  if (!row) return null;
  return { kind: row.kind, facts: (row.facts as unknown as GameFacts | null) ?? null };
}
