import { describe, expect, it } from 'vitest';
import { measureLength } from './measure.ts';

describe('measureLength', () => {
  const family = '👨‍👩‍👧‍👦'; // one grapheme, 7 code points

  it('counts graphemes on Bluesky', () => {
    expect(measureLength(`Go ${family}`, 'bluesky')).toBe(4);
    expect(measureLength('é', 'bluesky')).toBe(1);
    expect(measureLength('e\u0301', 'bluesky')).toBe(1);
  });

  it('counts code points on Mastodon, Telegram and Discord', () => {
    for (const platform of ['mastodon', 'telegram', 'discord'] as const) {
      expect(measureLength(`Go ${family}`, platform)).toBe(3 + 7);
      expect(measureLength('e\u0301', platform)).toBe(2);
    }
  });

  it("uses twitter-text's weighted length on X and the outbox", () => {
    for (const platform of ['x', 'outbox'] as const) {
      expect(measureLength('Pacers 125, Knicks 108.', platform)).toBe(23);
      // An emoji weighs 2, a URL 23 whatever its length.
      expect(measureLength('Go 🔥', platform)).toBe(5);
      expect(measureLength('https://example.com/a/very/long/path/to/a/box/score', platform)).toBe(23);
      expect(measureLength('日本', platform)).toBe(4);
    }
  });
});
