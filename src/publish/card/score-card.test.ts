import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEspnSummary } from '../../sources/espn/summary.ts';
import { leaderOf, loadCardFonts, renderScoreCard, scoreCardAlt } from './score-card.ts';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/espn/${name}`, import.meta.url), 'utf8'));
const nba = parseEspnSummary(read('nba_summary_401772994_IND-NYK_2025-05-31.json'), { league: 'nba' }).facts;
const nfl = parseEspnSummary(read('nfl_summary_401547417_GB-ATL_2023-09-17.json'), { league: 'nfl' }).facts;

describe('score card', () => {
  it('renders a 1200x675 PNG whose alt text states the score, periods and leaders from the facts', async () => {
    const card = await renderScoreCard(nba, loadCardFonts());
    const png = Buffer.from(card.data);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(675);
    expect(card.alt).toContain(`${nba.away.displayName} ${nba.away.score}`);
    expect(card.alt).toContain(`${nba.home.displayName} ${nba.home.score}`);
    expect(card.alt).toContain(nba.home.linescores.join(', '));
    const top = [...nba.players]
      .filter((p) => p.teamId === nba.home.id)
      .sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0))[0]!;
    expect(card.alt).toContain(`${top.name} (${nba.home.abbreviation}): ${top.stats.points} PTS`);
  });

  it('names the leading passer in football', () => {
    const leader = leaderOf(nfl, nfl.home);
    const yards = nfl.players
      .filter((p) => p.teamId === nfl.home.id)
      .map((p) => p.stats['passing.passingYards'] ?? -1);
    expect(leader?.line).toBe(`${Math.max(...yards)} passing yards`);
    expect(scoreCardAlt(nfl)).toContain('Final');
  });

  it('fails loudly, naming the file and the package, when a font is missing', () => {
    expect(() =>
      loadCardFonts({ regular: '/nonexistent/DejaVuSans.ttf', bold: '/nonexistent/b.ttf' }),
    ).toThrow(/\/nonexistent\/DejaVuSans\.ttf.*fonts-dejavu-core/);
  });
});
