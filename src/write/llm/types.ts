/**
 * The narrow interfaces the LLM writers talk to. Concrete SDKs (`openai`, `@anthropic-ai/sdk`) live behind
 * `LlmClient` and `LlmBatchClient`; tests and `app/` choose which.
 */

/** Which API dialect a provider speaks. `openai` covers every OpenAI-compatible server (via its base URL). */
export const LLM_PROVIDER_KINDS = ['openai', 'anthropic'] as const;
export type LlmProviderKind = (typeof LLM_PROVIDER_KINDS)[number];

/** Model tiers: `strong` for breaking events, `cheap` for routine ones. */
export const MODEL_TIERS = ['cheap', 'strong'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

/** Token counts of one call as the provider reports them. `cached` is part of `input`, not added to it. */
export interface LlmUsage {
  input: number;
  cached: number;
  output: number;
}

/** One prompt: instructions in `system`, the request as JSON data in `user`. */
export interface LlmPrompt {
  system: string;
  user: string;
  maxOutputTokens: number;
  /** Sampling temperature; default the provider's. Variants above 0 ask for a little more. */
  temperature?: number;
}

export interface LlmCompletion {
  /** The model's raw text (expected to be a JSON object, see `output.ts`). */
  text: string;
  usage: LlmUsage;
  /** The model that answered, as the provider names it. */
  model: string;
}

export interface CompleteOptions {
  /** Aborts the HTTP request (timeouts). */
  signal?: AbortSignal;
}

/** A provider's direct (synchronous) completion endpoint. */
export interface LlmClient {
  /** Configured provider name ("openai", "local-vllm", ...), used in the ledger and metrics. */
  readonly provider: string;
  readonly kind: LlmProviderKind;
  complete(model: string, prompt: LlmPrompt, options?: CompleteOptions): Promise<LlmCompletion>;
}

/** One request of a batch, identified by `customId` (we use the post id). */
export interface BatchRequest {
  customId: string;
  model: string;
  prompt: LlmPrompt;
}

export type BatchItemResult =
  | { customId: string; ok: true; completion: LlmCompletion }
  | { customId: string; ok: false; error: string };

/**
 * The state of a submitted batch:
 * - `pending`: still running;
 * - `ended`: done, with a result per request that has one (requests without a result count as failed);
 * - `failed`: the provider refused or failed the whole batch (`reason` says why);
 * - `expired`: the provider's window ran out; `results` holds what finished before that.
 */
export type BatchPoll =
  | { state: 'pending' }
  | { state: 'ended'; results: BatchItemResult[] }
  | { state: 'failed'; reason: string }
  | { state: 'expired'; results: BatchItemResult[] };

/** A provider's batch API (OpenAI Batch, Anthropic Message Batches): half price, minutes to hours. */
export interface LlmBatchClient {
  readonly provider: string;
  /** Submits the requests as one batch; returns the provider's batch id. */
  submit(requests: readonly BatchRequest[]): Promise<string>;
  poll(batchId: string): Promise<BatchPoll>;
  /** Asks the provider to stop the batch (best effort; results already made are still billed). */
  cancel(batchId: string): Promise<void>;
}
