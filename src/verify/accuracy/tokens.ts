import type { Span } from '../text.ts';

/** A text rebuilt from tokens, with the character span of every token in it. */
export interface Detokenized {
  text: string;
  /** `tokens[i]` is at `text.slice(spans[i].start, spans[i].end)`. */
  spans: Span[];
}

const NO_SPACE_BEFORE = /^(?:[,.;:!?%)\]}]|'s|'|n't|'re|'ve|'ll|'d|'m)$/i;
const NO_SPACE_AFTER = /^[([{$]$/;
const JOINER = /^[-–/]$/;

/**
 * Rebuilds readable text from whitespace-separated tokens, as the RotoWire and
 * shared-task texts are stored ("113 - 107", "Thomas 's", "( 32 - 18 )",
 * "double - double"): no space before punctuation and clitics, none after an
 * opening bracket, and a hyphen or slash between two words or numbers joins
 * them ("113-107", "3-of-5"). Each token keeps its span, so spans found in the
 * rebuilt text map back to token numbers ({@link tokensOverlapping}).
 */
export function detokenize(tokens: readonly string[]): Detokenized {
  let text = '';
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const previous = tokens[i - 1];
    const joined =
      previous !== undefined &&
      ((token === '&' && /^\p{Lu}{1,3}$/u.test(previous) && /^\p{Lu}{1,3}$/u.test(tokens[i + 1] ?? '')) ||
        (previous === '&' && /^\p{Lu}{1,3}$/u.test(tokens[i - 2] ?? '') && /^\p{Lu}{1,3}$/u.test(token)) ||
        NO_SPACE_BEFORE.test(token) ||
        NO_SPACE_AFTER.test(previous) ||
        (JOINER.test(token) &&
          /[\p{L}\p{N}]$/u.test(previous) &&
          /^[\p{L}\p{N}]/u.test(tokens[i + 1] ?? '')) ||
        (JOINER.test(previous) &&
          /[\p{L}\p{N}]$/u.test(tokens[i - 2] ?? '') &&
          /^[\p{L}\p{N}]/u.test(token)));
    if (text !== '' && !joined) text += ' ';
    spans.push({ start: text.length, end: text.length + token.length });
    text += token;
  }
  return { text, spans };
}

/** 0-based indexes of the tokens a character span overlaps (none for an empty span). */
export function tokensOverlapping(spans: readonly Span[], span: Span): number[] {
  const out: number[] = [];
  spans.forEach((s, i) => {
    if (s.start < span.end && span.start < s.end) out.push(i);
  });
  return out;
}
