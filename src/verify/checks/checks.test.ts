import twitter from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { checkBannedTerms } from './banned-terms.ts';
import { checkDuplicate, normalizeForDuplicate } from './duplicate.ts';
import { checkLength, graphemeCount, measure, utf8Bytes } from './length.ts';
import { checkMetaText } from './meta-text.ts';
import { checkPlaceholders } from './placeholder.ts';

describe('length by platform', () => {
  it('X counts emoji as 2 and any URL as 23, through twitter-text', () => {
    const url = `https://example.com/${'a'.repeat(300)}`;
    const text = `Pacers win 🏀🔥 ${url}`;
    // "Pacers win " = 11, two emoji = 4, space = 1, URL = 23
    expect(measure(text, 'x').length).toBe(11 + 4 + 1 + 23);
    expect(checkLength(text, 'x').ok).toBe(true);
    expect(text.length).toBeGreaterThan(280);
    const emoji = '🏀'.repeat(141);
    expect(measure(emoji, 'x').length).toBe(282);
    expect(checkLength(emoji, 'x')).toMatchObject({ ok: false, check: 'length' });
    expect(checkLength('🏀'.repeat(140), 'x').ok).toBe(true);
    expect(measure(emoji, 'outbox')).toEqual(measure(emoji, 'x'));
    expect(twitter.parseTweet(emoji).valid).toBe(false);
  });

  it('Bluesky counts graphemes: a skin-toned emoji, a family and a combining accent are one each', () => {
    const thumbs = '👍🏽';
    const family = '👨‍👩‍👧';
    const combining = 'e\u0301';
    expect(graphemeCount(thumbs + family + combining)).toBe(3);
    const text = (thumbs + family + combining).repeat(100); // 300 graphemes, far more code units
    expect(text.length).toBeGreaterThan(300);
    expect(checkLength(text, 'bluesky').ok).toBe(true);
    expect(checkLength(`${text}!`, 'bluesky').ok).toBe(false);
  });

  it('Bluesky also caps UTF-8 bytes at 3,000', () => {
    const family = '👨‍👩‍👧‍👦'; // one grapheme, 25 bytes
    expect(utf8Bytes(family)).toBe(25);
    const text = family.repeat(121);
    expect(graphemeCount(text)).toBe(121);
    expect(checkLength(text, 'bluesky')).toMatchObject({ ok: false });
    expect(checkLength(text, 'bluesky').reason).toContain('UTF-8 bytes');
  });

  it('Mastodon counts each URL as 23, Telegram 4,096 and Discord 2,000', () => {
    const url = `https://example.com/${'x'.repeat(600)}`;
    expect(measure(`a ${url}`, 'mastodon').length).toBe(25);
    expect(checkLength('a'.repeat(501), 'mastodon').ok).toBe(false);
    expect(checkLength('a'.repeat(4096), 'telegram').ok).toBe(true);
    expect(checkLength('a'.repeat(4097), 'telegram').ok).toBe(false);
    expect(checkLength('a'.repeat(2000), 'discord').ok).toBe(true);
    expect(checkLength('a'.repeat(2001), 'discord').ok).toBe(false);
    expect(checkLength('   ', 'discord').ok).toBe(false);
  });
});

describe('content checks', () => {
  it('catches placeholders and stringified missing values', () => {
    for (const bad of [
      '{name} scores',
      'Hi {{player}}',
      'undefined points',
      'NaN-108',
      'null',
      '[object Object]',
      '<PLAYER> drains it',
    ]) {
      expect(checkPlaceholders(bad).ok, bad).toBe(false);
    }
    expect(checkPlaceholders('Siakam scores 31 (career night) {not closed').ok).toBe(true);
  });

  it('catches meta text', () => {
    for (const bad of [
      'Here is a tweet about the game: Pacers win',
      'As an AI, I think',
      'Sure! Pacers win',
      "Here's your post: ok",
    ]) {
      expect(checkMetaText(bad).ok, bad).toBe(false);
    }
    expect(checkMetaText('Pacers are sure to win tonight. Here is the dagger.').ok).toBe(true);
  });

  it('catches banned terms as whole words, case-insensitive', () => {
    expect(checkBannedTerms('An INSANE finish', ['insane'])).toMatchObject({
      ok: false,
      reason: 'banned terms: insane',
    });
    expect(checkBannedTerms('Insanely good', ['insane']).ok).toBe(true);
    expect(checkBannedTerms('a must  win game', ['must win']).ok).toBe(false);
  });

  it('catches exact and near duplicates, keeping numbers apart', () => {
    const recent = ['FINAL: Pacers 125, Knicks 108. Siakam had 31 points as Indiana closed out the series.'];
    expect(normalizeForDuplicate('FINAL:  Pacers 125!')).toBe('final pacers 125');
    expect(
      checkDuplicate(
        'final — pacers 125 knicks 108 siakam had 31 points as indiana closed out the series',
        recent,
      ).ok,
    ).toBe(false);
    expect(
      checkDuplicate(
        'FINAL: Pacers 125, Knicks 108. Siakam had 31 points as Indiana closed out this series!',
        recent,
      ).ok,
    ).toBe(false);
    expect(
      checkDuplicate(
        'FINAL: Pacers 125, Knicks 108. Siakam had 32 points as Indiana closed out the series.',
        recent,
      ).ok,
    ).toBe(true);
    expect(checkDuplicate('Haliburton dished 13 assists in the clincher.', recent).ok).toBe(true);
  });
});
