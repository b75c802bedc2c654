/**
 * The verifier: finds every claim of a draft, grounds it in the game's facts,
 * and runs the platform and content checks. See ARCHITECTURE.md.
 */
export { checkBannedTerms } from './checks/banned-terms.ts';
export {
  checkDuplicate,
  NEAR_DUPLICATE_OVERLAP,
  normalizeForDuplicate,
  tokenOverlap,
} from './checks/duplicate.ts';
export { checkFacts, type UnverifiablePolicy } from './checks/facts.ts';
export { checkLength, graphemeCount, type Measure, measure, utf8Bytes } from './checks/length.ts';
export { checkMetaText } from './checks/meta-text.ts';
export { checkPlaceholders } from './checks/placeholder.ts';
export { extractClaims, extractClaimsWith } from './extract-claims.ts';
export {
  type FactLookup,
  factLookup,
  type GroundingContext,
  type PlayerRef,
  type ScoreLine,
  type TeamRef,
} from './grounding.ts';
export { type VerifyDraftInput, verifyDraft } from './verify-draft.ts';
