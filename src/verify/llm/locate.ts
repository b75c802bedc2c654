import { overlaps, type Span } from '../text.ts';

/** Every start index of `needle` in `haystack` (overlapping occurrences included). */
export function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  if (needle === '') return out;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) out.push(i);
  return out;
}

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Where a model's quote is in the text: an exact substring match of the quote (surrounding
 * whitespace trimmed), never a fuzzy one, so a span always holds exactly the words the model named.
 * When the quote occurs more than once, `context` (words around it, copied from the text) decides:
 * occurrences inside an exact occurrence of the context come first; when the context is not found
 * exactly, occurrences whose surroundings share more of its words come first; ties go to the earlier
 * occurrence. The first candidate that overlaps no `claimed` span (quotes already placed from the same
 * answer) is returned, so a quote given twice lands on two occurrences. Undefined when the quote is not
 * in the text, or every occurrence is claimed.
 */
export function locateQuote(
  text: string,
  quote: string,
  context: string | undefined,
  claimed: readonly Span[],
): Span | undefined {
  const q = quote.trim();
  const found = occurrences(text, q).map((start) => ({ start, end: start + q.length }));
  if (found.length === 0) return undefined;
  const ctx = context?.trim() ?? '';
  let ranked = found;
  if (ctx !== '' && found.length > 1) {
    const inside = occurrences(text, ctx).map((start) => ({ start, end: start + ctx.length }));
    const score = (s: Span): number => {
      if (inside.some((c) => c.start <= s.start && s.end <= c.end)) return Number.POSITIVE_INFINITY;
      const around = new Set(words(text.slice(Math.max(0, s.start - ctx.length), s.end + ctx.length)));
      return words(ctx).filter((w) => around.has(w)).length;
    };
    const scored = found.map((s) => ({ s, score: score(s) }));
    scored.sort((a, b) => b.score - a.score || a.s.start - b.s.start);
    ranked = scored.map((x) => x.s);
  }
  return ranked.find((s) => !claimed.some((c) => overlaps(c, s)));
}
