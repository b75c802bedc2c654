import { describe, expect, it } from 'vitest';
import { loadGame, NBA_FILE, NFL_FILE } from '../verify/test-support.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import { measureLength } from './measure.ts';
import { VOICES } from './testkit.ts';
import { writeThreadParts } from './thread.ts';
import type { WriteRequest } from './writer.ts';

const nba = loadGame(NBA_FILE, 'nba');
const nfl = loadGame(NFL_FILE, 'nfl');
const finalOf = (g: typeof nba) => g.events.find((e) => e.kind === 'final')!;

function request(event: WriteRequest['event'], extra: Partial<WriteRequest> = {}): WriteRequest {
  return {
    event,
    significance: { score: 1, breaking: true, reasons: [] },
    voice: VOICES[0]!,
    platform: 'x',
    teams: [],
    variant: 0,
    maxLength: 280,
    ...extra,
  };
}

describe('thread parts of a final', () => {
  it('are empty for any event other than a final', () => {
    const other = nba.events.find((e) => e.kind !== 'final')!;
    expect(writeThreadParts(request(other))).toEqual([]);
  });

  for (const [name, game] of [
    ['NBA', nba],
    ['NFL', nfl],
  ] as const) {
    it(`${name}: every part is grounded in the facts and fits each platform`, () => {
      const final = finalOf(game);
      for (const [platform, maxLength] of [
        ['x', 280],
        ['bluesky', 300],
        ['mastodon', 500],
      ] as const) {
        const parts = writeThreadParts(request(final, { platform, maxLength }));
        expect(parts.length).toBeGreaterThanOrEqual(3);
        for (const part of parts) {
          expect(measureLength(part.text, platform)).toBeLessThanOrEqual(maxLength);
          const verdict = verifyDraft({
            text: part.text,
            ctx: { facts: final.game, event: final },
            platform,
          });
          expect(verdict.reasons, part.text).toEqual([]);
        }
      }
    });
  }

  it("leads with the account's own team, even when it lost", () => {
    const final = finalOf(nba);
    const loser = final.game.home.score < final.game.away.score ? final.game.home : final.game.away;
    const parts = writeThreadParts(request(final, { teams: [loser.abbreviation] }));
    expect(parts[0]!.templateId).toBe('thread.performers');
    expect(parts[0]!.text).toContain(`the ${loser.name}`);
  });

  it('drops trailing sentences to fit, and leaves out sentences with an avoided word', () => {
    const final = finalOf(nba);
    const full = writeThreadParts(request(final, { platform: 'mastodon', maxLength: 500 }));
    const tight = writeThreadParts(request(final, { platform: 'mastodon', maxLength: 90 }));
    for (const p of tight) expect(measureLength(p.text, 'mastodon')).toBeLessThanOrEqual(90);
    expect(tight.length).toBeGreaterThan(0);
    expect(tight[0]!.text.length).toBeLessThan(full[0]!.text.length);
    expect(full[0]!.text.startsWith(tight[0]!.text)).toBe(true);
    const voice = { ...VOICES[0]!, avoidWords: ['Haliburton'] };
    for (const p of writeThreadParts(request(final, { voice }))) expect(p.text).not.toContain('Haliburton');
  });
});
