import type { CheckResult } from '../../domain/index.ts';

/** Quotation marks a post may use around someone's words. */
const QUOTE = /["“”«»„]([^"“”«»„]{12,}?)["“”«»„]/g;
/** Words that say who said it, or where it comes from, near the quote. */
const ATTRIBUTION =
  /\b(?:said|says|told|tells|tweeted|posted|wrote|writes|added|adds|according to|per|via|h\/t|hat tip|reports?|reported|quoted|explained|admitted|insisted|stated|noted|shared|announced)\b|[—–-]\s*@?\p{Lu}|@\w+|https?:\/\//iu;
/** How far (characters) before or after a quote its attribution may stand. */
const WINDOW = 60;

/**
 * Fails when the text quotes someone's words (a quotation of five
 * words or more) without saying who said them or where they come from: "said", "per",
 * "via @handle", "— Coach Carlisle", a link. Quoting media without credit is
 * not ours to publish. Short quoted terms ("the 'Hick from French Lick'") pass.
 */
export function checkAttribution(text: string): CheckResult {
  for (const m of text.matchAll(QUOTE)) {
    const quoted = m[1] ?? '';
    if (quoted.trim().split(/\s+/).length < 5) continue;
    const before = text.slice(Math.max(0, m.index - WINDOW), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + WINDOW);
    if (ATTRIBUTION.test(before) || ATTRIBUTION.test(after)) continue;
    return {
      check: 'attribution',
      ok: false,
      reason: `quotation without attribution: ${m[0].length > 60 ? `${m[0].slice(0, 57)}...` : m[0]}`,
    };
  }
  return { check: 'attribution', ok: true };
}
