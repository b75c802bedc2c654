import twitter from 'twitter-text';
import type { CheckResult, Platform } from '../../domain/index.ts';

/** How long a text is for a platform, in that platform's own unit, and its limit. */
export interface Measure {
  length: number;
  limit: number;
  unit: string;
  ok: boolean;
}

const URL = /\bhttps?:\/\/[^\s]+/giu;

/** Grapheme clusters, as people see characters ("👍🏽" and "é" written e + ◌́ are one each). */
export function graphemeCount(text: string): number {
  // Plain ASCII without CR has one grapheme per code unit (CR LF is one grapheme).
  if (/^[\x00-\x0c\x0e-\x7f]*$/.test(text)) return text.length;
  let n = 0;
  for (const _ of GRAPHEMES.segment(text)) n++;
  return n;
}

/** Building a segmenter costs far more than using one: one for every count. */
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Bytes of the UTF-8 encoding. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Measures `text` by each platform's rule:
 * - `x` and `outbox`: twitter-text's weighted length (emoji and CJK count 2,
 *   every URL 23), valid up to 280;
 * - `bluesky`: 300 graphemes and 3,000 UTF-8 bytes;
 * - `mastodon`: 500 characters (code points), every URL counting 23 and a
 *   remote mention "@user@domain" counting as "@user";
 * - `telegram`: 4,096 UTF-16 code units (Telegram's own unit for entities);
 * - `discord`: 2,000 characters (code points).
 */
export function measure(text: string, platform: Platform): Measure {
  switch (platform) {
    case 'x':
    case 'outbox': {
      const parsed = twitter.parseTweet(text);
      return { length: parsed.weightedLength, limit: 280, unit: 'weighted characters', ok: parsed.valid };
    }
    case 'bluesky': {
      const graphemes = graphemeCount(text);
      const bytes = utf8Bytes(text);
      const ok = graphemes <= 300 && bytes <= 3000;
      return bytes > 3000
        ? { length: bytes, limit: 3000, unit: 'UTF-8 bytes', ok }
        : { length: graphemes, limit: 300, unit: 'graphemes', ok };
    }
    case 'mastodon': {
      const counted = text.replace(URL, 'x'.repeat(23)).replace(/(@[\w.-]+)@[\w.-]+\.\w+/g, '$1');
      const length = [...counted].length;
      return { length, limit: 500, unit: 'characters', ok: length <= 500 };
    }
    case 'telegram':
      return { length: text.length, limit: 4096, unit: 'UTF-16 code units', ok: text.length <= 4096 };
    case 'discord': {
      const length = [...text].length;
      return { length, limit: 2000, unit: 'characters', ok: length <= 2000 };
    }
    default: {
      const never: never = platform;
      throw new Error(`unknown platform ${String(never)}`);
    }
  }
}

/** The length check: within the platform's limit, and not empty. */
export function checkLength(text: string, platform: Platform): CheckResult {
  if (text.trim().length === 0) return { check: 'length', ok: false, reason: 'the text is empty' };
  const m = measure(text, platform);
  return m.ok
    ? { check: 'length', ok: true }
    : {
        check: 'length',
        ok: false,
        reason: `${m.length} ${m.unit}, over the ${platform} limit of ${m.limit}`,
      };
}
