import { readFileSync } from 'node:fs';
import type { GameEvent, GameFacts, League } from '../domain/index.ts';
import { parseEspnSummary } from '../sources/espn/summary.ts';

/** Recorded ESPN summaries the verifier's tests ground drafts in. */
export const NBA_FILE = 'nba_summary_401772994_IND-NYK_2025-05-31.json';
export const NFL_FILE = 'nfl_summary_401547417_GB-ATL_2023-09-17.json';

/** Absolute path of a recorded ESPN file. */
export function fixturePath(name: string): string {
  return new URL(`../../fixtures/espn/${name}`, import.meta.url).pathname;
}

/** Facts and events of a recorded summary, through the real ESPN parser. Test use only. */
export function loadGame(name: string, league: League): { facts: GameFacts; events: GameEvent[] } {
  const json: unknown = JSON.parse(readFileSync(fixturePath(name), 'utf8'));
  return parseEspnSummary(json, { league, file: name });
}

/** The span of the `nth` (0-based) occurrence of `part` in `text`; throws when absent. */
export function spanOf(text: string, part: string, nth = 0): { start: number; end: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(part, at + 1);
    if (at < 0) throw new Error(`"${part}" not in "${text}"`);
  }
  return { start: at, end: at + part.length };
}
