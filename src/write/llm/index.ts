/**
 * LLM writing: OpenAI (and OpenAI-compatible servers) and Anthropic behind `LlmClient`, protected by a
 * per-provider policy, budget-checked against the cost ledger, routed by urgency (strong model for
 * breaking events, cheap model or its batch API for routine ones), always falling back to the template
 * writer. See ARCHITECTURE.md.
 */

export { type AnthropicClientOptions, createAnthropicClient } from './anthropic-client.ts';
export { createDraftApplier, type DraftApplierDeps, type ReplaceableTarget } from './applier.ts';
export {
  BATCH_ITEM_STATUSES,
  type BatchItem,
  type BatchItemStatus,
  BatchQueue,
  type BatchQueueOptions,
  type BatchRecord,
  type BatchRepository,
  type DraftApplier,
  type TickReport,
} from './batch-queue.ts';
export { type BudgetCheck, checkBudget, type LlmBudgets, utcDayStart } from './budget.ts';
export {
  LLM_VERIFY_MODES,
  type LlmConfig,
  type LlmVerifyConfig,
  type LlmVerifyMode,
} from './config.ts';
export {
  classifySdkError,
  isRetryable,
  LlmPermanentError,
  LlmRateLimitedError,
  LlmTransientError,
  MalformedOutputError,
} from './errors.ts';
export { type CostLedger, createMemoryLedger, type LlmCallRecord } from './ledger.ts';
export {
  type CompleteOutcome,
  canRepair,
  createLlmWriter,
  type FallbackReason,
  type LlmWriteRequest,
  type LlmWriter,
  type LlmWriterOptions,
  type RepairingWriter,
} from './llm-writer.ts';
export { createLlmMetrics, type LlmMetrics } from './metrics.ts';
export { createOpenAiClient, type OpenAiClientOptions } from './openai-client.ts';
export { ModelOutput, parseJsonAnswer, parseModelOutput } from './output.ts';
export {
  costMicros,
  DEFAULT_PRICES,
  type ModelPrice,
  type PriceTable,
  priceOf,
  UnknownPriceError,
} from './prices.ts';
export { boxScoreLeaders, buildPrompt, promptFacts, type RepairNote } from './prompt.ts';
export { type VerifiedDraft, writeVerified } from './repair.ts';
export {
  createProviderPolicy,
  isCircuitOpen,
  isTimeout,
  type ProviderPolicy,
  type ResilienceOptions,
} from './resilience.ts';
export {
  canReview,
  type DraftReviewFn,
  type DraftToReview,
  type ReviewingWriter,
  shouldReview,
  withReview,
} from './review-hook.ts';
export { createRoutedWriter, type RoutedWriterOptions } from './router.ts';
export { createLlmStack, type LlmStack, type LlmStackDeps } from './stack.ts';
export {
  type CallerSpec,
  callerSpecFromConfig,
  callerSpecFromEnv,
  clientForSpec,
  createStandaloneCaller,
  type StandaloneDeps,
} from './standalone.ts';
export {
  type CallTarget,
  createStructuredCaller,
  type StructuredCaller,
  type StructuredCallerOptions,
  type StructuredOutcome,
} from './structured-call.ts';
export type * from './types.ts';
export { LLM_PROVIDER_KINDS, MODEL_TIERS } from './types.ts';
