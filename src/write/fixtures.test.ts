import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GameEvent, Significance } from '../domain/event.ts';
import type { GameFacts } from '../domain/facts.ts';
import type { League } from '../domain/league.ts';
import type { Platform } from '../domain/platform.ts';
import { scoreGame } from '../signals/index.ts';
import { parseEspnSummary } from '../sources/espn/summary.ts';
import { writeFromTemplate } from './deterministic.ts';
import { measureLength } from './measure.ts';
import { emojiIn, hasPlaceholder, ungroundedNumbers, VOICES } from './testkit.ts';
import { avoidMatcher } from './voice.ts';
import type { WriteRequest } from './writer.ts';

const LIMITS: Record<'x' | 'bluesky' | 'mastodon', number> = { x: 280, bluesky: 300, mastodon: 500 };

interface Recording {
  name: string;
  facts: GameFacts;
  events: { event: GameEvent; significance: Significance }[];
}

/** A real recording, parsed by the ESPN source and scored by the signals stage (derived events included). */
function recording(file: string, league: League): Recording {
  const json = JSON.parse(readFileSync(new URL(`../../fixtures/espn/${file}`, import.meta.url), 'utf8'));
  const { facts, events } = parseEspnSummary(json, { league, file });
  return { name: file, facts, events: scoreGame(events) };
}

const RECORDINGS = [
  recording('nba_summary_401772994_IND-NYK_2025-05-31.json', 'nba'),
  recording('nfl_summary_401547417_GB-ATL_2023-09-17.json', 'nfl'),
];

function write(r: Recording['events'][number], over: Partial<WriteRequest> = {}) {
  return writeFromTemplate({
    event: r.event,
    significance: r.significance,
    voice: VOICES[0]!,
    platform: 'x',
    teams: [],
    variant: 0,
    maxLength: 280,
    ...over,
  });
}

describe.each(RECORDINGS)('every event of $name', (rec) => {
  it('has events of several kinds to write', () => {
    const kinds = new Set(rec.events.map((e) => e.event.kind));
    const scoring =
      rec.facts.sport === 'football' ? ['touchdown', 'field_goal', 'turnover'] : ['score', 'turnover'];
    for (const k of ['game_start', 'period_end', 'final', 'lead_change', ...scoring])
      expect(kinds).toContain(k);
  });

  it('4 voices x 3 platforms x neutral and team accounts: clean, within length, grounded, own emoji, no avoided word', () => {
    const teams = [[], [rec.facts.away.abbreviation], [rec.facts.home.abbreviation]];
    let count = 0;
    for (const voice of VOICES) {
      const avoided = avoidMatcher(voice);
      for (const platform of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
        for (const [i, r] of rec.events.entries()) {
          const account = teams[i % teams.length] as string[];
          const d = write(r, {
            voice,
            platform: platform as Platform,
            teams: account,
            maxLength: LIMITS[platform],
            variant: i % 4,
          });
          const where = `${r.event.id} (${r.event.kind}) ${voice.id}/${platform}/${account.join()}: ${d.text}`;
          expect(d.text.trim().length, where).toBeGreaterThan(0);
          expect(measureLength(d.text, platform as Platform), where).toBeLessThanOrEqual(LIMITS[platform]);
          expect(hasPlaceholder(d.text), where).toBe(false);
          expect(avoided(d.text), where).toBeUndefined();
          for (const e of emojiIn(d.text)) expect(voice.emoji, where).toContain(e);
          expect(ungroundedNumbers(d.text, r.event), where).toEqual([]);
          if (!voice.language.startsWith('en')) expect(d.templateId, where).toMatch(/:en-fallback$/);
          count++;
        }
      }
    }
    expect(count).toBe(rec.events.length * 12);
  });

  it('is deterministic and most events differ across variants', () => {
    let differ = 0;
    for (const r of rec.events) {
      const a = write(r, { voice: VOICES[1]!, variant: 0 });
      expect(write(structuredClone(r), { voice: VOICES[1]!, variant: 0 })).toEqual(a);
      const b = write(r, { voice: VOICES[1]!, variant: 1 });
      if (a.text !== b.text) differ++;
    }
    expect(differ / rec.events.length).toBeGreaterThan(0.9);
  });

  it('the final names the winner the facts give, and a team account leads with its team', () => {
    const final = rec.events.find((r) => r.event.kind === 'final');
    expect(final).toBeDefined();
    const { home, away } = rec.facts;
    const [winner, loser] = home.score > away.score ? [home, away] : [away, home];
    for (const voice of VOICES) {
      for (let variant = 0; variant < 4; variant++) {
        const neutral = write(final!, { voice, variant }).text;
        expect(neutral.indexOf(winner.name), neutral).toBeGreaterThanOrEqual(0);
        expect(neutral.indexOf(winner.name), neutral).toBeLessThan(neutral.indexOf(loser.name));
        expect(neutral, neutral).toMatch(
          new RegExp(
            `${winner.score}-${loser.score}|${winner.name} ${winner.score}, ${loser.name} ${loser.score}`,
          ),
        );
        expect(neutral, neutral).not.toMatch(new RegExp(`${loser.name} (beat|top|win)`));
        for (const team of [away, home]) {
          const other = team === home ? away : home;
          const text = write(final!, { voice, variant, teams: [team.abbreviation] }).text;
          expect(text.indexOf(team.name), text).toBeGreaterThanOrEqual(0);
          expect(text.indexOf(team.name), text).toBeLessThan(text.indexOf(other.name));
          if (team === loser) expect(text, text).not.toMatch(new RegExp(`${team.name} (beat|top|win|take)`));
        }
      }
    }
  });
});

describe('the NBA final in words', () => {
  const rec = RECORDINGS[0]!;
  it("names each team's top scorer of the box score with points, rebounds and assists", () => {
    const final = rec.events.find((r) => r.event.kind === 'final')!;
    const text = write(final, { maxLength: 1000 }).text;
    for (const team of [rec.facts.home, rec.facts.away]) {
      const top = rec.facts.players
        .filter((p) => p.teamId === team.id)
        .sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0))[0]!;
      expect(text).toContain(`${top.name} led the ${team.name} with ${top.stats.points} points`);
    }
  });
});
