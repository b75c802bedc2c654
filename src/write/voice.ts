import type { Voice } from '../domain/voice.ts';

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher for a voice's avoided words: case-insensitive, whole words (with their plain inflections:
 * s, es, d, ed, ing) when the term begins or ends with a word character ("win" matches "wins" but not
 * "window"; "OT" does not match "Hotel"), plain substring otherwise (emoji, punctuation). Returns the first avoided term found, or undefined.
 */
export function avoidMatcher(voice: Voice): (text: string) => string | undefined {
  const terms = voice.avoidWords.map((w) => w.trim()).filter((w) => w.length > 0);
  const patterns = terms.map((term) => {
    const start = /^\w/.test(term) ? '\\b' : '';
    // A word also matches its plain inflections: avoiding "win" avoids "wins" and "winning" too.
    const end = /\w$/.test(term) ? '(?:s|es|d|ed|ing)?\\b' : '';
    return { term, re: new RegExp(`${start}${escapeRegExp(term)}${end}`, 'iu') };
  });
  return (text) => patterns.find((p) => p.re.test(text))?.term;
}

/** Hashtags of a voice ready to append ("#NBA"): leading "#" tolerated, blanks and odd ones skipped. */
export function hashtagsOf(voice: Voice): string[] {
  return voice.hashtags
    .map((h) => h.trim().replace(/^#+/, ''))
    .filter((h) => /^[\p{L}\p{N}_]+$/u.test(h))
    .map((h) => `#${h}`);
}

/** Words of a voice that can open a post: no digits (they would be ungrounded numbers), at most 3 words. */
export function usableWords(voice: Voice): string[] {
  return voice.useWords
    .map((w) => w.trim().replace(/\s+/g, ' '))
    .filter((w) => w.length > 0 && !/\d/.test(w) && !/[{}]/.test(w) && w.split(' ').length <= 3);
}

/** True for languages the template writer speaks natively (English only). */
export function speaksLanguage(language: string): boolean {
  return /^en(-|$)/i.test(language.trim());
}
