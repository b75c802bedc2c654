import { readFileSync } from 'node:fs';
import { loadCardFonts, renderScoreCard } from '../../src/publish/card/score-card.ts';
import type { ImageAttachment } from '../../src/publish/platform.ts';
import { parseEspnSummary } from '../../src/sources/espn/summary.ts';

/** The Knicks @ Pacers game's final facts, parsed from the recorded ESPN summary. */
export function nbaFinalFacts() {
  const file = new URL('../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url);
  return parseEspnSummary(JSON.parse(readFileSync(file, 'utf8')), { league: 'nba', file: file.pathname })
    .facts;
}

let cached: Promise<ImageAttachment> | null = null;
/** The score card of that game (rendered once per test file). */
export function scoreCardImage(): Promise<ImageAttachment> {
  cached ??= renderScoreCard(nbaFinalFacts(), loadCardFonts());
  return cached;
}
