/**
 * LLM-assisted verification: after the deterministic verifier, a model reads the facts, the text and
 * the findings, and names further mistakes as exact quotes; they are placed in the text and merged
 * (see ARCHITECTURE.md of src/verify/).
 */

export { factsData } from './facts-data.ts';
export { locateQuote, occurrences } from './locate.ts';
export {
  buildVerifyPrompt,
  LLM_MISTAKE_TYPES,
  type LlmMistakeType,
  LlmVerifyAnswer,
  type VerifyPromptInput,
} from './prompt.ts';
export {
  type DroppedQuote,
  kindOfType,
  type LlmFinding,
  type LlmReview,
  type MergedReview,
  mergeAnswer,
  type ReviewInput,
  type ReviewOutcome,
  reviewWithLlm,
} from './review.ts';
export {
  applyReview,
  createVerdictReviewer,
  type DraftReview,
  findingsOf,
  type VerdictReviewer,
} from './verdict-review.ts';
