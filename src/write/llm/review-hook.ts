import type { GameEvent } from '../../domain/event.ts';
import type { GameFacts } from '../../domain/facts.ts';
import type { Verdict } from '../../domain/verdict.ts';
import type { WriteRequest, Writer, WrittenDraft } from '../writer.ts';
import type { LlmVerifyMode } from './config.ts';
import type { LlmWriteRequest } from './llm-writer.ts';
import type { CallTarget } from './structured-call.ts';

/**
 * The seam between writing and LLM-assisted verification (`llm.verify`): `writeVerified` asks a
 * writer that can review for a second opinion on every draft the deterministic verifier passed. The
 * reviewer itself is built in `src/verify/llm/` and handed in by `app/` (writing does not depend on
 * verification).
 */

/** One draft to review: its text and facts, and the deterministic verdict. */
export interface DraftToReview {
  text: string;
  facts: GameFacts;
  event?: GameEvent;
  verdict: Verdict;
  target?: CallTarget;
}

/** Resolves with the verdict to use: the given one when the model cannot answer or finds nothing. */
export type DraftReviewFn = (draft: DraftToReview) => Promise<Verdict>;

/** A writer whose passing drafts get a second opinion. */
export interface ReviewingWriter extends Writer {
  review(req: WriteRequest, draft: WrittenDraft, verdict: Verdict): Promise<Verdict>;
}

/** True when `writer` reviews its drafts. */
export function canReview(writer: Writer): writer is ReviewingWriter {
  return typeof (writer as Partial<ReviewingWriter>).review === 'function';
}

/**
 * Whether a draft is reviewed in `mode`: never when `off`; drafts an LLM wrote when `suspicious` (the
 * template writer's phrasings are built from the facts); every draft when `always`.
 */
export function shouldReview(mode: LlmVerifyMode, draft: WrittenDraft, templateWriterName: string): boolean {
  switch (mode) {
    case 'off':
      return false;
    case 'suspicious':
      return draft.writer !== templateWriterName;
    case 'always':
      return true;
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/**
 * `writer` with a `review` that runs `review` on the drafts `mode` selects (with the request's facts,
 * live moment, account and post), and passes the others' verdicts through.
 */
export function withReview<W extends Writer>(
  writer: W,
  mode: LlmVerifyMode,
  templateWriterName: string,
  review: DraftReviewFn,
): W & ReviewingWriter {
  return {
    ...writer,
    async review(req: WriteRequest, draft: WrittenDraft, verdict: Verdict): Promise<Verdict> {
      if (!shouldReview(mode, draft, templateWriterName)) return verdict;
      const extra = req as LlmWriteRequest;
      return review({
        text: draft.text,
        facts: req.event.game,
        event: req.event,
        verdict,
        target: {
          ...(extra.accountId !== undefined ? { accountId: extra.accountId } : {}),
          ...(extra.postId !== undefined ? { postId: extra.postId } : {}),
        },
      });
    },
  };
}
