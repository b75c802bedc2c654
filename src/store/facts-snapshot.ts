import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { GameFacts } from '../domain/facts.ts';

/** A facts snapshot as stored: content-addressed, its JSON deflated (migration 0012). */
export interface FactsSnapshot {
  hash: string;
  deflated: Uint8Array;
}

/** The stored form of a facts snapshot (pure CPU: planners make it off the store's thread). */
export function snapshotOf(facts: GameFacts): FactsSnapshot {
  const json = JSON.stringify(facts);
  return {
    hash: createHash('sha256').update(json).digest('base64url').slice(0, 32),
    // An exact copy: a Buffer may view a larger allocation, which a thread message would copy whole.
    deflated: new Uint8Array(deflateRawSync(json, { level: 1 })),
  };
}

/** The facts of a stored snapshot row, in either form; null for none. */
export function readFacts(row: {
  facts: Record<string, unknown> | null;
  facts_deflated: Uint8Array | null;
}): GameFacts | null {
  if (row.facts_deflated) return JSON.parse(inflateRawSync(row.facts_deflated).toString('utf8')) as GameFacts;
  return (row.facts as unknown as GameFacts | null) ?? null;
}
