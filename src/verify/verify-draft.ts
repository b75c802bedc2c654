import type { Platform, Verdict } from '../domain/index.ts';
import { checkAttribution } from './checks/attribution.ts';
import { checkBannedTerms } from './checks/banned-terms.ts';
import { checkDuplicate } from './checks/duplicate.ts';
import { checkFacts, type UnverifiablePolicy } from './checks/facts.ts';
import { checkLength } from './checks/length.ts';
import { checkMetaText } from './checks/meta-text.ts';
import { checkPlaceholders } from './checks/placeholder.ts';
import { extractClaims } from './extract-claims.ts';
import type { GroundingContext } from './grounding.ts';

export interface VerifyDraftInput {
  text: string;
  ctx: GroundingContext;
  platform: Platform;
  /** Posts recently published or queued on the account; default none. */
  recentTexts?: string[];
  /** The voice's words that must never appear; default none. */
  avoidWords?: string[];
  /** Whether claims the facts cannot check block the draft; default `reject`. */
  unverifiable?: UnverifiablePolicy;
}

/**
 * Runs every check on a draft: facts (claims grounded in the context), length
 * by the platform's rule, duplicate of a recent post, placeholders, meta text,
 * banned terms. The verdict is ok only when every check is; `reasons` lists
 * the machine reasons of the failures ("contradicted:number", "length", ...).
 * Pure: same input, same verdict.
 */
export function verifyDraft(input: VerifyDraftInput): Verdict {
  const claims = extractClaims(input.text, input.ctx);
  const facts = checkFacts(claims, input.unverifiable ?? 'reject');
  const checks = [
    facts.result,
    checkLength(input.text, input.platform),
    checkDuplicate(input.text, input.recentTexts ?? []),
    checkPlaceholders(input.text),
    checkMetaText(input.text),
    checkBannedTerms(input.text, input.avoidWords ?? []),
    checkAttribution(input.text),
  ];
  const reasons = [
    ...facts.reasons,
    ...checks.filter((c) => !c.ok && c.check !== 'facts').map((c) => c.check),
  ];
  return { ok: checks.every((c) => c.ok), claims, checks, reasons };
}
