import Anthropic from '@anthropic-ai/sdk';
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

export interface AnthropicClientOptions {
  /** Provider name for the ledger and metrics. Default: "anthropic". */
  provider?: string;
  apiKey: string;
  /** Default: https://api.anthropic.com. */
  baseURL?: string;
  /** Per-request timeout of the SDK, in ms. Default: 30,000. */
  timeoutMs?: number;
}

function params(model: string, prompt: LlmPrompt): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: prompt.maxOutputTokens,
    system: prompt.system,
    messages: [
      { role: 'user', content: prompt.user },
      // Prefilling the answer with "{" keeps the model on the JSON object (Messages has no JSON mode).
      { role: 'assistant', content: '{' },
    ],
    ...(prompt.temperature !== undefined ? { temperature: Math.min(1, prompt.temperature) } : {}),
  };
}

const Message = z.object({
  model: z.string(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({
    input_tokens: z.number().int().min(0),
    output_tokens: z.number().int().min(0),
    cache_read_input_tokens: z.number().int().min(0).nullish(),
    cache_creation_input_tokens: z.number().int().min(0).nullish(),
  }),
});

function toCompletion(raw: unknown, provider: string): LlmCompletion {
  const parsed = Message.safeParse(raw);
  if (!parsed.success) {
    throw classifySdkError(
      provider,
      new Error(`unexpected message shape: ${parsed.error.issues[0]?.message}`),
    );
  }
  const m = parsed.data;
  const text = m.content
    .filter((b) => b.type === 'text')
    .map((b) => b.text ?? '')
    .join('');
  // Anthropic's input_tokens exclude cache reads and writes; our `input` includes every input token.
  const cached = m.usage.cache_read_input_tokens ?? 0;
  const written = m.usage.cache_creation_input_tokens ?? 0;
  return {
    text: `{${text}`,
    model: m.model,
    usage: { input: m.usage.input_tokens + cached + written, cached, output: m.usage.output_tokens },
  };
}

/**
 * An Anthropic provider: direct calls through Messages (the answer prefilled with "{" for JSON), batches
 * through Message Batches (create, retrieve, stream the JSONL results). SDK retries are off.
 */
export function createAnthropicClient(options: AnthropicClientOptions): LlmClient & LlmBatchClient {
  const provider = options.provider ?? 'anthropic';
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    timeout: options.timeoutMs ?? 30_000,
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
    kind: 'anthropic',
    async complete(model: string, prompt: LlmPrompt, opts: CompleteOptions = {}): Promise<LlmCompletion> {
      const raw = await call(() =>
        sdk.messages.create(params(model, prompt), opts.signal ? { signal: opts.signal } : undefined),
      );
      return toCompletion(raw, provider);
    },
    async submit(requests: readonly BatchRequest[]): Promise<string> {
      const batch = await call(() =>
        sdk.messages.batches.create({
          requests: requests.map((r) => ({ custom_id: r.customId, params: params(r.model, r.prompt) })),
        }),
      );
      return batch.id;
    },
    async poll(batchId: string): Promise<BatchPoll> {
      const batch = await call(() => sdk.messages.batches.retrieve(batchId));
      if (batch.processing_status !== 'ended') return { state: 'pending' };
      const results: BatchItemResult[] = [];
      let expired = 0;
      await call(async () => {
        for await (const item of await sdk.messages.batches.results(batchId)) {
          const r = item.result;
          switch (r.type) {
            case 'succeeded':
              try {
                results.push({
                  customId: item.custom_id,
                  ok: true,
                  completion: toCompletion(r.message, provider),
                });
              } catch (error) {
                results.push({ customId: item.custom_id, ok: false, error: (error as Error).message });
              }
              break;
            case 'errored':
              results.push({
                customId: item.custom_id,
                ok: false,
                error: JSON.stringify(r.error).slice(0, 300),
              });
              break;
            case 'expired':
              expired++;
              results.push({ customId: item.custom_id, ok: false, error: 'expired' });
              break;
            case 'canceled':
              results.push({ customId: item.custom_id, ok: false, error: 'canceled' });
              break;
            default: {
              const never: never = r;
              results.push({
                customId: item.custom_id,
                ok: false,
                error: `unknown result ${JSON.stringify(never)}`,
              });
            }
          }
        }
      });
      return expired > 0 ? { state: 'expired', results } : { state: 'ended', results };
    },
    async cancel(batchId: string): Promise<void> {
      await call(() => sdk.messages.batches.cancel(batchId));
    },
  };
}
