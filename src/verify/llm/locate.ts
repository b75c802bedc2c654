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
 * whitespace trimmed) that does not start or end inside a word, never a fuzzy one, so a span always
 * holds exactly the words the model named.
 * When the quote occurs more than once, `context` (words around it, copied from the text) decides:
 * occurrences inside an exact occurrence of the context come first, the one nearest its middle first
 * (a model quotes around the mistake); when the context is not found
 * exactly, occurrences whose neighbouring words share more of the context's words on the same side come
 * first; ties go to the earlier
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
  // Whole words only: "a" is not the "a" of "and", "5" not the 5 of "15".
  const word = /[\p{L}\p{N}]/u;
  const bounded = (start: number) =>
    !(word.test(q.charAt(0)) && word.test(text.charAt(start - 1))) &&
    !(word.test(q.charAt(q.length - 1)) && word.test(text.charAt(start + q.length)));
  const found = occurrences(text, q)
    .filter(bounded)
    .map((start) => ({ start, end: start + q.length }));
  if (found.length === 0) return undefined;
  const ctx = context?.trim() ?? '';
  let ranked = found;
  if (ctx !== '' && found.length > 1) {
    const inside = occurrences(text, ctx).map((start) => ({ start, end: start + ctx.length }));
    // The context's words before and after the quote, compared with the words just before and
    // after each occurrence (the whole context on both sides when the quote is not in it).
    const at = ctx.toLowerCase().indexOf(q.toLowerCase());
    const before = words(at < 0 ? ctx : ctx.slice(0, at));
    const after = words(at < 0 ? ctx : ctx.slice(at + q.length));
    const score = (s: Span): number => {
      // Inside the context: the occurrence nearest its middle ("one steal and one block").
      const c = inside.find((c) => c.start <= s.start && s.end <= c.end);
      if (c) return 1e9 - Math.abs(s.start + s.end - (c.start + c.end));
      const textBefore = new Set(words(text.slice(0, s.start)).slice(-before.length));
      const textAfter = new Set(words(text.slice(s.end)).slice(0, after.length));
      return before.filter((w) => textBefore.has(w)).length + after.filter((w) => textAfter.has(w)).length;
    };
    const scored = found.map((s) => ({ s, score: score(s) }));
    scored.sort((a, b) => b.score - a.score || a.s.start - b.s.start);
    ranked = scored.map((x) => x.s);
  }
  return ranked.find((s) => !claimed.some((c) => overlaps(c, s)));
}
