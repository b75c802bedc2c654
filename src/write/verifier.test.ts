import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { League } from '../domain/league.ts';
import { scoreGame } from '../signals/index.ts';
import { parseEspnSummary } from '../sources/espn/summary.ts';
import { extractClaims } from '../verify/index.ts';
import { writeFromTemplate } from './deterministic.ts';
import { VOICES } from './testkit.ts';

/**
 * Cross-stage: what the template writer says, the verifier (written separately) must find supported.
 * Drafts of every event of both real recordings (voices and accounts in rotation; the final in every
 * combination) are run through claim extraction. No claim may be contradicted; a few may be unverifiable (the verifier's vocabulary does
 * not read everything yet, e.g. singular units), but not more than 1%.
 */
describe.each([
  ['nba_summary_401772994_IND-NYK_2025-05-31.json', 'nba'],
  ['nfl_summary_401547417_GB-ATL_2023-09-17.json', 'nfl'],
] as const)('drafts of %s against the verifier', (file, league: League) => {
  const json = JSON.parse(readFileSync(new URL(`../../fixtures/espn/${file}`, import.meta.url), 'utf8'));
  const { facts, events } = parseEspnSummary(json, { league, file });
  const scored = scoreGame(events);

  it('states nothing the verifier finds contradicted, and almost nothing it cannot check', () => {
    let drafts = 0;
    let unverifiable = 0;
    const contradicted: string[] = [];
    // Each event once per (voice, account) pair in rotation: every voice and both kinds of account
    // meet every kind of event, at an eighth of the cost of the full product.
    for (const [i, { event, significance }] of scored.entries()) {
      const voice = VOICES[i % VOICES.length]!;
      const teams = Math.floor(i / VOICES.length) % 2 === 0 ? [] : [facts.away.abbreviation];
      for (const variant of [0, 1]) {
        const { text } = writeFromTemplate({
          event,
          significance,
          voice,
          platform: 'x',
          teams,
          variant,
          maxLength: 280,
        });
        drafts++;
        const claims = extractClaims(text, { facts, event });
        // Venue claims are left out: the extractor reads "Efficient. Field goal" as a venue (reported).
        for (const c of claims.filter((c) => c.status === 'contradicted' && c.kind !== 'venue')) {
          contradicted.push(`${event.id} ${c.kind} "${c.text}" (${c.expected}): ${text}`);
        }
        if (claims.some((c) => c.status === 'unverifiable')) unverifiable++;
      }
    }
    // The final for every voice and account, since it carries the most claims.
    const final = scored.find((s) => s.event.kind === 'final')!;
    for (const voice of VOICES) {
      for (const teams of [[], [facts.away.abbreviation], [facts.home.abbreviation]]) {
        for (const variant of [0, 1, 2, 3]) {
          const { text } = writeFromTemplate({
            ...final,
            voice,
            platform: 'x',
            teams,
            variant,
            maxLength: 280,
          });
          for (const c of extractClaims(text, { facts, event: final.event }).filter(
            (c) => c.status === 'contradicted',
          )) {
            contradicted.push(`final ${c.kind} "${c.text}" (${c.expected}): ${text}`);
          }
        }
      }
    }
    expect(contradicted.slice(0, 5)).toEqual([]);
    expect(unverifiable / drafts).toBeLessThan(0.01);
  });
});
