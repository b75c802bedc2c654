import type { CheckResult } from '../../domain/index.ts';
import { memoized } from '../../domain/memo.ts';

/**
 * Normal form for comparing posts: NFKC, lower case, punctuation and symbols
 * (emoji included) dropped, whitespace collapsed; letters and digits kept.
 * An account's recent texts are compared with every new draft: their normal forms are kept.
 */
export const normalizeForDuplicate: (text: string) => string = memoized(normalize, 4096);

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Token overlap at or above which two posts with the same numbers are near-duplicates. */
export const NEAR_DUPLICATE_OVERLAP = 0.8;

function tokens(normal: string): string[] {
  return normal.split(' ').filter(Boolean);
}

/** Jaccard overlap of the two token sets (0 to 1). */
export function tokenOverlap(a: string, b: string): number {
  const x = new Set(tokens(a));
  const y = new Set(tokens(b));
  if (x.size === 0 && y.size === 0) return 1;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * Fails when the text repeats one of `recentTexts`: the same normal form, or a
 * token overlap of at least {@link NEAR_DUPLICATE_OVERLAP} with the same
 * numbers. Numbers must match for a near-duplicate because live updates differ
 * mostly by their numbers ("leads 54-50" then "leads 60-52" is news).
 */
export function checkDuplicate(text: string, recentTexts: readonly string[] = []): CheckResult {
  const normal = normalizeForDuplicate(text);
  const numbers = (s: string) =>
    tokens(s)
      .filter((t) => /\d/.test(t))
      .sort()
      .join(' ');
  for (const recent of recentTexts) {
    const other = normalizeForDuplicate(recent);
    if (other === normal)
      return { check: 'duplicate', ok: false, reason: `same as a recent post: "${recent}"` };
    if (numbers(other) === numbers(normal) && tokenOverlap(other, normal) >= NEAR_DUPLICATE_OVERLAP) {
      return { check: 'duplicate', ok: false, reason: `nearly the same as a recent post: "${recent}"` };
    }
  }
  return { check: 'duplicate', ok: true };
}
