import type { GameEvent } from '../../domain/event.ts';
import type { GameFacts } from '../../domain/facts.ts';
import type { Claim, Verdict } from '../../domain/verdict.ts';
import type { CallTarget, StructuredCaller } from '../../write/llm/structured-call.ts';
import { checkFacts, type UnverifiablePolicy } from '../checks/facts.ts';
import { type Problem, typeOfKind } from '../extract-claims.ts';
import { factsData } from './facts-data.ts';
import { type LlmReview, reviewWithLlm } from './review.ts';

/** The deterministic verdict's unsupported claims as findings, typed by their kind. */
export function findingsOf(verdict: Verdict): Problem[] {
  return verdict.claims.flatMap((c): Problem[] =>
    c.status === 'supported' ? [] : [{ ...c, status: c.status, type: typeOfKind(c.kind) }],
  );
}

/**
 * A verdict with an LLM review applied: the model's findings join the claims (contradicted, or
 * unverifiable for NOT_CHECKABLE; `expected` is "LLM: <reason>"), withdrawn findings become supported
 * ("withdrawn by LLM: <reason>"), and the facts check and reasons are computed again. The other checks
 * (length, duplicate, banned terms ...) stand as they were.
 */
export function applyReview(
  verdict: Verdict,
  review: LlmReview,
  unverifiable: UnverifiablePolicy = 'reject',
): Verdict {
  if (review.added.length === 0 && review.withdrawn.length === 0) return verdict;
  const withdrawn = new Map(
    review.withdrawn.map((w) => [`${w.problem.start}:${w.problem.end}:${w.problem.kind}`, w]),
  );
  const claims: Claim[] = verdict.claims.map((c) => {
    const w = withdrawn.get(`${c.start}:${c.end}:${c.kind}`);
    if (!w || c.status === 'supported') return c;
    const { expected: _, ...rest } = c;
    return { ...rest, status: 'supported', groundedIn: `withdrawn by LLM: ${w.reason}` };
  });
  for (const a of review.added) {
    claims.push({
      kind: a.kind,
      text: a.text,
      start: a.start,
      end: a.end,
      status: a.status,
      expected: `LLM: ${a.reason || a.type}`,
    });
  }
  claims.sort((a, b) => a.start - b.start || b.end - a.end);
  const facts = checkFacts(claims, unverifiable);
  const checks = verdict.checks.map((c) => (c.check === 'facts' ? facts.result : c));
  const others = checks.filter((c) => !c.ok && c.check !== 'facts').map((c) => c.check);
  return {
    ok: checks.every((c) => c.ok),
    claims,
    checks,
    reasons: [...facts.reasons, ...others, ...(review.added.length > 0 ? ['llm_verify'] : [])],
  };
}

/** One draft to check with the model, after the deterministic verifier gave `verdict`. */
export interface DraftReview {
  text: string;
  facts: GameFacts;
  /** The live moment the draft is about, when there is one. */
  event?: GameEvent;
  verdict: Verdict;
  target?: CallTarget;
}

/** Reviews a draft's verdict with a model; resolves with the verdict to use. */
export type VerdictReviewer = (draft: DraftReview) => Promise<Verdict>;

/**
 * A reviewer for the pipeline: runs {@link reviewWithLlm} on the draft (its findings are the verdict's
 * unsupported claims) and applies the result. When the model cannot answer, the deterministic verdict
 * stands. `onReview` sees every review (logs, metrics).
 */
export function createVerdictReviewer(
  caller: StructuredCaller,
  options: { allowWithdraw: boolean; onReview?: (review: LlmReview, draft: DraftReview) => void },
): VerdictReviewer {
  return async (draft) => {
    const review = await reviewWithLlm(
      {
        text: draft.text,
        facts: factsData(draft.facts, draft.event ? { event: draft.event } : {}),
        findings: findingsOf(draft.verdict),
        ...(draft.target ? { target: draft.target } : {}),
      },
      caller,
      { allowWithdraw: options.allowWithdraw },
    );
    options.onReview?.(review, draft);
    return review.outcome.ok ? applyReview(draft.verdict, review) : draft.verdict;
  };
}
