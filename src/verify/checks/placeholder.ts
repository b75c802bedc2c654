import type { CheckResult } from '../../domain/index.ts';

/** Template leftovers: "{name}", "{{x}}", "${x}", "undefined", "NaN", "null", "[object Object]", "<PLAYER>", "[TEAM]", "%s". */
const PLACEHOLDERS =
  /\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[\w.\s-]{1,40}\}|\bundefined\b|\bNaN\b|\bnull\b|\[object \w+\]|<[A-Z][A-Z0-9_ ]*>|\[[A-Z][A-Z0-9_]{2,}\]|%[sd]\b/g;

/** Fails when the text still holds a template placeholder or a stringified missing value. */
export function checkPlaceholders(text: string): CheckResult {
  const found = [...new Set([...text.matchAll(PLACEHOLDERS)].map((m) => m[0]))];
  return found.length === 0
    ? { check: 'placeholder', ok: true }
    : { check: 'placeholder', ok: false, reason: `placeholder left in the text: ${found.join(', ')}` };
}
