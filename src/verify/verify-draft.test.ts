import { describe, expect, it } from 'vitest';
import { loadGame, NBA_FILE } from './test-support.ts';
import { verifyDraft } from './verify-draft.ts';

const { facts } = loadGame(NBA_FILE, 'nba');
const ctx = { facts };
const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
const loser = winner === facts.home ? facts.away : facts.home;
const good = `${winner.name} ${winner.score}, ${loser.name} ${loser.score}. The ${winner.name} beat the ${loser.name} at ${facts.venue?.name}.`;

describe('verifyDraft', () => {
  it('passes a true, clean, short draft', () => {
    const verdict = verifyDraft({ text: good, ctx, platform: 'x' });
    expect(verdict.reasons).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.checks.map((c) => c.check)).toEqual([
      'facts',
      'length',
      'duplicate',
      'placeholder',
      'meta_text',
      'banned_terms',
      'attribution',
    ]);
  });

  it('rejects quoted words without attribution', () => {
    const verdict = verifyDraft({
      text: `${good} "We kept believing in each other all night."`,
      ctx,
      platform: 'x',
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons).toContain('attribution');
  });

  it('rejects with a reason per failure kind', () => {
    const text = `Here is a tweet: {team} ${loser.name} beat the ${winner.name}! Michael Jordan watched. INSANE`;
    const verdict = verifyDraft({ text, ctx, platform: 'x', recentTexts: [text], avoidWords: ['insane'] });
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons).toEqual(
      expect.arrayContaining([
        'contradicted:word',
        'unverifiable:player',
        'duplicate',
        'placeholder',
        'meta_text',
        'banned_terms',
      ]),
    );
  });

  it('applies the unverifiable policy; contradictions always reject', () => {
    const text = `${good} Fans waited 3 hours.`;
    expect(verifyDraft({ text, ctx, platform: 'x' }).reasons).toEqual(['unverifiable:number']);
    expect(verifyDraft({ text, ctx, platform: 'x', unverifiable: 'allow' }).ok).toBe(true);
    const wrong = `${winner.name} ${winner.score - 1}, ${loser.name} ${loser.score}.`;
    expect(verifyDraft({ text: wrong, ctx, platform: 'x', unverifiable: 'allow' }).reasons).toEqual([
      'contradicted:score',
    ]);
  });

  it('rejects a draft over the platform length', () => {
    const verdict = verifyDraft({ text: `${good} ${'🏀'.repeat(140)}`, ctx, platform: 'x' });
    expect(verdict.reasons).toEqual(['length']);
    expect(verifyDraft({ text: `${good} ${'🏀'.repeat(140)}`, ctx, platform: 'mastodon' }).ok).toBe(true);
  });
});
