import type { Claim } from '../../domain/verdict.ts';
import { createDeterministicWriter } from '../deterministic.ts';
import type { WriteRequest, Writer, WrittenDraft } from '../writer.ts';
import type { BatchQueue } from './batch-queue.ts';
import type { LlmWriteRequest, LlmWriter, RepairingWriter } from './llm-writer.ts';
import { buildPrompt } from './prompt.ts';

export interface RoutedWriterOptions {
  /** For breaking events, called at once. */
  strong: LlmWriter;
  /** For routine events, called at once when batching is off or cannot be used. */
  cheap: LlmWriter;
  /** Routine requests go here when set and their deadline leaves `minBatchWindowMs`. */
  batch?: BatchQueue;
  /**
   * Least time (ms) between now and a post's deadline for its request to be batched; requests with less
   * go to the cheap model directly. Default: 120,000.
   */
  minBatchWindowMs?: number;
  /** Longest a batch item waits for its result (ms), whatever the post's deadline. Default: 600,000. */
  maxBatchWaitMs?: number;
  /** Default: the template writer. */
  fallback?: Writer;
  /** Epoch ms now. Default: Date.now. */
  now?: () => number;
}

/**
 * Routes by urgency and cost:
 * - breaking (`significance.breaking`): the strong model, directly;
 * - routine, batching on, deadline far enough and ids known: the template writer's draft now (so the
 *   post is queued at once) and the request held for the cheap model's next batch, whose answer replaces
 *   the template text if it arrives in time and verifies (see `BatchQueue`);
 * - otherwise routine: the cheap model, directly.
 * Every path falls back to the template writer when the LLM cannot answer.
 */
export function createRoutedWriter(options: RoutedWriterOptions): RepairingWriter {
  const fallback = options.fallback ?? createDeterministicWriter();
  const now = options.now ?? Date.now;
  const minWindow = options.minBatchWindowMs ?? 120_000;
  const maxWait = options.maxBatchWaitMs ?? 600_000;
  const pick = (req: WriteRequest): LlmWriter => (req.significance.breaking ? options.strong : options.cheap);
  return {
    name: 'routed',
    fallback,
    async write(req: WriteRequest): Promise<WrittenDraft> {
      if (req.significance.breaking) return options.strong.write(req);
      const extra = req as LlmWriteRequest;
      const t = now();
      if (
        options.batch &&
        extra.postId !== undefined &&
        extra.accountId !== undefined &&
        extra.deadline !== undefined &&
        extra.deadline - t >= minWindow
      ) {
        const draft = await fallback.write(req);
        await options.batch.enqueue({
          postId: extra.postId,
          accountId: extra.accountId,
          prompt: buildPrompt(req),
          platform: req.platform,
          maxLength: req.maxLength,
          deadline: new Date(Math.min(extra.deadline, t + maxWait)),
        });
        return { ...draft, templateId: `${draft.templateId}:batch-pending` };
      }
      return options.cheap.write(req);
    },
    async repair(
      req: WriteRequest,
      draft: WrittenDraft,
      contradicted: readonly Claim[],
    ): Promise<WrittenDraft | undefined> {
      return pick(req).repair(req, draft, contradicted);
    },
  };
}
