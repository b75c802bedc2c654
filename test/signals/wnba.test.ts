// biome-ignore-all lint/suspicious/noExplicitAny: the test edits raw ESPN JSON
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { routeEvent, scoreGame } from '../../src/signals/index.ts';
import { leagueOfHeader, parseEspnSummary } from '../../src/sources/espn/summary.ts';

const NBA = new URL('../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url);

/** The NBA recording, re-labelled as a WNBA game: the WNBA summary has the NBA shape. */
function asWnba(): any {
  const json = JSON.parse(readFileSync(NBA, 'utf8'));
  json.header.league = {
    id: '59',
    name: "Women's National Basketball Association",
    abbreviation: 'WNBA',
    slug: 'wnba',
  };
  return json;
}

describe('WNBA summaries (NBA shape, league 59)', () => {
  it('reads the league from header.league by slug, abbreviation or id', () => {
    expect(leagueOfHeader({ id: '59', slug: 'wnba', abbreviation: 'WNBA' })).toBe('wnba');
    expect(leagueOfHeader({ id: '59' })).toBe('wnba');
    expect(leagueOfHeader({ abbreviation: 'NBA' })).toBe('nba');
    expect(leagueOfHeader({ id: '999' })).toBeUndefined();
    const unknown = asWnba();
    unknown.header.league = { id: '999', slug: 'xfl' };
    expect(() => parseEspnSummary(unknown, { file: 'x.json' })).toThrow(
      /x\.json: header\.league: expected a league we cover/,
    );
  });

  it('parses and scores the game as WNBA', () => {
    const { facts, events } = parseEspnSummary(asWnba(), {});
    const nba = parseEspnSummary(JSON.parse(readFileSync(NBA, 'utf8')), {});
    expect(facts.league).toBe('wnba');
    expect(facts.sport).toBe('basketball');
    expect(events).toHaveLength(nba.events.length);
    expect(events.every((e) => e.league === 'wnba' && e.game.league === 'wnba')).toBe(true);
    const scored = scoreGame(events);
    const final = scored.find((s) => s.event.kind === 'final')!;
    expect(final.significance).toMatchObject({ score: 1, breaking: true });
    // The basketball rules apply: the same runs and milestones as the NBA reading of the plays.
    const kinds = (list: typeof scored) =>
      list.filter((s) => ['run', 'milestone'].includes(s.event.kind)).map((s) => s.event.id);
    expect(kinds(scored)).toEqual(kinds(scoreGame(nba.events)));
    expect(kinds(scored).length).toBeGreaterThan(0);
  });

  it('routes to the WNBA desk and the breaking desk, never to NBA accounts', () => {
    const config = loadConfig(new URL('../../demo/wirereport.yaml', import.meta.url).pathname, { env: {} });
    const scored = scoreGame(parseEspnSummary(asWnba(), {}).events);
    const accounts = new Set<string>();
    for (const s of scored)
      for (const r of routeEvent(s.event, s.significance, config.accounts)) accounts.add(r.account.id);
    expect([...accounts].sort()).toEqual(['breaking', 'wnba-desk']);
  });
});
