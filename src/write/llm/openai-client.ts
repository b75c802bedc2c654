import OpenAI, { toFile } from 'openai';
import { z } from 'zod';
import { classifySdkError } from './errors.ts';
import type {
  BatchItemResult,
  BatchPoll,
  BatchRequest,
  CompleteOptions,
  LlmBatchClient,
  LlmClient,
  LlmCompletion,
  LlmPrompt,
} from './types.ts';

export interface OpenAiClientOptions {
  /** Provider name for the ledger and metrics. Default: "openai". */
  provider?: string;
  apiKey: string;
  /** Default: https://api.openai.com/v1. Any OpenAI-compatible server works. */
  baseURL?: string;
  /** Per-request timeout of the SDK, in ms (the resilience policy has its own). Default: 30,000. */
  timeoutMs?: number;
  /** For tests: a custom fetch. */
  fetch?: typeof fetch;
}

function body(model: string, prompt: LlmPrompt): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ],
    max_completion_tokens: prompt.maxOutputTokens,
    response_format: { type: 'json_object' },
    ...(prompt.temperature !== undefined ? { temperature: prompt.temperature } : {}),
  };
}

/** The part of a chat completion we read, checked with zod (the SDK's types are not a runtime check). */
const Completion = z.object({
  model: z.string(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        finish_reason: z.string().nullable(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().int().min(0),
      completion_tokens: z.number().int().min(0),
      prompt_tokens_details: z.object({ cached_tokens: z.number().int().min(0).optional() }).nullish(),
    })
    .optional(),
});

function toCompletion(raw: unknown, provider: string): LlmCompletion {
  const parsed = Completion.safeParse(raw);
  if (!parsed.success) {
    // The server answered 200 with something that is not a chat completion: a broken proxy or server.
    throw classifySdkError(
      provider,
      new Error(`unexpected chat completion shape: ${parsed.error.issues[0]?.message}`),
    );
  }
  const c = parsed.data;
  return {
    text: c.choices[0]!.message.content ?? '',
    model: c.model,
    usage: {
      input: c.usage?.prompt_tokens ?? 0,
      cached: c.usage?.prompt_tokens_details?.cached_tokens ?? 0,
      output: c.usage?.completion_tokens ?? 0,
    },
  };
}

/**
 * An OpenAI (or OpenAI-compatible) provider: direct calls through Chat Completions with JSON output,
 * batches through the Batch API (upload a JSONL file, create the batch, poll, download the output file).
 * The SDK's own retries are off: retries, timeouts and the circuit breaker are the resilience policy's.
 */
export function createOpenAiClient(options: OpenAiClientOptions): LlmClient & LlmBatchClient {
  const provider = options.provider ?? 'openai';
  const sdk = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classifySdkError(provider, error);
    }
  };
  return {
    provider,
    kind: 'openai',
    async complete(model: string, prompt: LlmPrompt, opts: CompleteOptions = {}): Promise<LlmCompletion> {
      const raw = await call(() =>
        sdk.chat.completions.create(body(model, prompt), opts.signal ? { signal: opts.signal } : undefined),
      );
      return toCompletion(raw, provider);
    },
    async submit(requests: readonly BatchRequest[]): Promise<string> {
      const jsonl = requests
        .map((r) =>
          JSON.stringify({
            custom_id: r.customId,
            method: 'POST',
            url: '/v1/chat/completions',
            body: body(r.model, r.prompt),
          }),
        )
        .join('\n');
      const file = await call(async () =>
        sdk.files.create({ file: await toFile(Buffer.from(`${jsonl}\n`), 'batch.jsonl'), purpose: 'batch' }),
      );
      const batch = await call(() =>
        sdk.batches.create({
          input_file_id: file.id,
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        }),
      );
      return batch.id;
    },
    async poll(batchId: string): Promise<BatchPoll> {
      const batch = await call(() => sdk.batches.retrieve(batchId));
      switch (batch.status) {
        case 'validating':
        case 'in_progress':
        case 'finalizing':
        case 'cancelling':
          return { state: 'pending' };
        case 'failed':
          return {
            state: 'failed',
            reason:
              batch.errors?.data?.map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`).join('; ') ||
              'batch failed',
          };
        case 'completed':
          return { state: 'ended', results: await readResults(batch.output_file_id, batch.error_file_id) };
        case 'expired':
        case 'cancelled':
          return { state: 'expired', results: await readResults(batch.output_file_id, batch.error_file_id) };
        default: {
          const never: never = batch.status;
          throw classifySdkError(provider, new Error(`unknown batch status ${String(never)}`));
        }
      }
    },
    async cancel(batchId: string): Promise<void> {
      await call(() => sdk.batches.cancel(batchId));
    },
  };

  async function readResults(
    outputFileId?: string | null,
    errorFileId?: string | null,
  ): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = [];
    for (const id of [outputFileId, errorFileId]) {
      if (!id) continue;
      const text = await call(async () => (await sdk.files.content(id)).text());
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        results.push(parseOutputLine(line, provider));
      }
    }
    return results;
  }
}

const OutputLine = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), body: z.unknown() }).nullable(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullable(),
});

/** One line of a Batch output or error file. */
export function parseOutputLine(line: string, provider: string): BatchItemResult {
  const parsed = OutputLine.safeParse(JSON.parse(line));
  if (!parsed.success)
    throw classifySdkError(provider, new Error(`unexpected batch output line: ${line.slice(0, 200)}`));
  const { custom_id: customId, response, error } = parsed.data;
  if (error || !response || response.status_code !== 200) {
    return { customId, ok: false, error: error?.message ?? `status ${response?.status_code ?? 'none'}` };
  }
  try {
    return { customId, ok: true, completion: toCompletion(response.body, provider) };
  } catch (e) {
    return { customId, ok: false, error: (e as Error).message };
  }
}
