/**
 * The verifier: finds every claim of a draft, grounds it in the game's facts,
 * and runs the platform and content checks. See ARCHITECTURE.md.
 */

export {
  type AccuracyScore,
  matchMistakes,
  type Score,
  scoreMistakes,
  type TokenMistake,
  type TypeScore,
} from './accuracy/score.ts';
export { type Detokenized, detokenize, tokensOverlapping } from './accuracy/tokens.ts';
export { checkAttribution } from './checks/attribution.ts';
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
export {
  extractClaims,
  extractClaimsWith,
  findProblems,
  type Problem,
  typeOfKind,
} from './extract-claims.ts';
export {
  type FactLookup,
  factLookup,
  type GroundingContext,
  type PlayerRef,
  type ScoreLine,
  type TeamRef,
} from './grounding.ts';
export * from './llm/index.ts';
export { NBA_TEAMS, type NbaTeam, nbaTeamByName } from './nba-teams.ts';
export {
  FactsFormatError,
  parseRotoWireRecord,
  type RotoWireGame,
  rotowireLookup,
  rotowireRecordId,
  selectRotoWireLine,
} from './rotowire.ts';
export type { MistakeType } from './rules/context.ts';
export { type VerifyDraftInput, verifyDraft } from './verify-draft.ts';
