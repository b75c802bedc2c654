import type { CheckResult } from '../../domain/index.ts';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Fails when the text uses a word or phrase of `avoidWords`: whole words,
 * case-insensitive, whitespace inside a phrase matching any whitespace.
 */
export function checkBannedTerms(text: string, avoidWords: readonly string[] = []): CheckResult {
  const found = avoidWords.filter((word) => {
    const phrase = word.trim();
    if (!phrase) return false;
    const source = phrase.split(/\s+/).map(escapeRegExp).join('\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}_])${source}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
  });
  return found.length === 0
    ? { check: 'banned_terms', ok: true }
    : { check: 'banned_terms', ok: false, reason: `banned terms: ${found.join(', ')}` };
}
