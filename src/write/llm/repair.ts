import type { Verdict } from '../../domain/verdict.ts';
import type { WriteRequest, Writer, WrittenDraft } from '../writer.ts';
import { canRepair } from './llm-writer.ts';
import type { LlmMetrics } from './metrics.ts';
import { canReview } from './review-hook.ts';

export interface VerifiedDraft {
  draft: WrittenDraft;
  verdict: Verdict;
  /** What it took: `first` (the first draft stands), `repaired`, or `template` (after a failed repair). */
  path: 'first' | 'repaired' | 'template';
}

/**
 * Writes a draft and verifies it; when the verdict has a contradicted claim and the writer can repair,
 * asks it once more with the contradictions named and verifies again. When the repaired draft still
 * fails, the writer's template fallback is tried (its phrasings are built from the facts); when that
 * fails too, the repaired draft and its verdict are returned (the caller rejects it). The template
 * writer itself never repairs, so with it this is one write and one verification, as before.
 * When the writer can review (`llm.verify`), each draft that `verify` passes is reviewed by a model
 * too, and its findings count like the verifier's (a contradiction found by the model is repaired).
 */
export async function writeVerified(
  writer: Writer,
  req: WriteRequest,
  verify: (text: string) => Verdict,
  metrics?: LlmMetrics,
): Promise<VerifiedDraft> {
  const check = async (d: WrittenDraft): Promise<Verdict> => {
    const v = verify(d.text);
    return v.ok && canReview(writer) ? writer.review(req, d, v) : v;
  };
  const draft = await writer.write(req);
  const verdict = await check(draft);
  const contradicted = verdict.claims.filter((c) => c.status === 'contradicted');
  if (verdict.ok || contradicted.length === 0 || !canRepair(writer)) return { draft, verdict, path: 'first' };
  const repaired = await writer.repair(req, draft, contradicted);
  if (!repaired) return { draft, verdict, path: 'first' };
  const second = await check(repaired);
  metrics?.repairs.inc({ outcome: second.ok ? 'fixed' : 'still_wrong' });
  if (second.ok)
    return {
      draft: repaired,
      verdict: second,
      path: repaired.writer === writer.fallback.name ? 'template' : 'repaired',
    };
  if (repaired.writer !== writer.fallback.name) {
    const template = await writer.fallback.write(req);
    const third = await check(template);
    if (third.ok) return { draft: template, verdict: third, path: 'template' };
  }
  return { draft: repaired, verdict: second, path: 'repaired' };
}
