import twitterText from 'twitter-text';
import type { Platform } from '../domain/platform.ts';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Length of `text` in the platform's own units:
 * - x and outbox: twitter-text's weighted length (URLs count 23, most emoji and CJK count 2);
 * - bluesky: grapheme clusters (what the app counts against its 300 limit);
 * - every other platform: Unicode code points.
 */
export function measureLength(text: string, platform: Platform): number {
  switch (platform) {
    case 'x':
    case 'outbox':
      return twitterText.parseTweet(text).weightedLength;
    case 'bluesky': {
      let n = 0;
      for (const _ of graphemes.segment(text)) n++;
      return n;
    }
    case 'mastodon':
    case 'telegram':
    case 'discord':
      return [...text].length;
    default: {
      const never: never = platform;
      throw new Error(`measureLength: unknown platform ${String(never)}`);
    }
  }
}
