import type { ClaimKind } from '../../domain/verdict.ts';
import type { FallbackReason } from '../../write/llm/llm-writer.ts';
import type { CallTarget, StructuredCaller } from '../../write/llm/structured-call.ts';
import type { Problem } from '../extract-claims.ts';
import type { MistakeType } from '../rules/context.ts';
import { overlaps, type Span } from '../text.ts';
import { locateQuote } from './locate.ts';
import { buildVerifyPrompt, type LlmMistakeType, LlmVerifyAnswer } from './prompt.ts';

/** A mistake the model found, placed in the text. `type` NOT_CHECKABLE comes as an unverifiable claim. */
export interface LlmFinding extends Omit<Problem, 'type'> {
  type: MistakeType | 'NOT_CHECKABLE';
  source: 'llm';
  reason: string;
}

/** A quote of the answer that did not become a finding, and why. */
export interface DroppedQuote {
  quote: string;
  why: 'not_found' | 'repeated' | 'same_as_finding';
}

/** The answer merged with the deterministic findings. */
export interface MergedReview {
  /** The deterministic findings that stand (all of them unless withdrawals are allowed and made). */
  kept: Problem[];
  /** The model's further mistakes, in text order. */
  added: LlmFinding[];
  withdrawn: { problem: Problem; reason: string }[];
  dropped: DroppedQuote[];
}

/** How the call went: spending and time are counted whether or not it answered. */
export type ReviewOutcome =
  | { ok: true; model: string; usdMicros: number; latencyMs: number; calls: number }
  | {
      ok: false;
      reason: FallbackReason;
      error?: unknown;
      usdMicros: number;
      latencyMs: number;
      calls: number;
    };

export interface LlmReview extends MergedReview {
  outcome: ReviewOutcome;
}

/** The claim kind an LLM finding is recorded as (the verdict's reasons name kinds). */
export function kindOfType(type: LlmMistakeType): ClaimKind {
  switch (type) {
    case 'NUMBER':
      return 'number';
    case 'NAME':
      return 'player';
    case 'WORD':
    case 'CONTEXT':
    case 'NOT_CHECKABLE':
      return 'word';
    default: {
      const never: never = type;
      return never;
    }
  }
}

/**
 * Merges a model's answer into the deterministic findings (pure). Each quote is placed in `text` by
 * {@link locateQuote} (exact substring, the first unclaimed occurrence near its context); a quote not
 * in the text, or whose every occurrence is already taken by an earlier quote, is dropped; a placed
 * quote that overlaps a deterministic finding still standing is the same mistake and is dropped too
 * (the finding keeps its type and reason), one quote per finding: a second quote inside the same
 * finding is a second mistake the checker's one span ran together ("only other starter"). Withdrawals are honoured only when `allowWithdraw`: a
 * finding is withdrawn when its words equal the withdrawn quote, or contain it, or are contained in it.
 */
export function mergeAnswer(
  text: string,
  findings: readonly Problem[],
  answer: LlmVerifyAnswer,
  allowWithdraw: boolean,
): MergedReview {
  const withdrawn: MergedReview['withdrawn'] = [];
  const gone = new Set<Problem>();
  if (allowWithdraw) {
    for (const w of answer.withdraw) {
      const q = w.quote.trim();
      const problem = findings.find(
        (f) => !gone.has(f) && (f.text === q || f.text.includes(q) || (q.includes(f.text) && f.text !== '')),
      );
      if (!problem) continue;
      gone.add(problem);
      withdrawn.push({ problem, reason: w.reason });
    }
  }
  const kept = findings.filter((f) => !gone.has(f));
  const claimed: Span[] = [];
  const added: LlmFinding[] = [];
  const dropped: DroppedQuote[] = [];
  const absorbed = new Set<Problem>();
  for (const m of answer.mistakes) {
    const span = locateQuote(text, m.quote, m.context, claimed);
    if (!span) {
      const anywhere = locateQuote(text, m.quote, m.context, []);
      dropped.push({ quote: m.quote, why: anywhere ? 'repeated' : 'not_found' });
      continue;
    }
    claimed.push(span);
    const same = kept.find((f) => !absorbed.has(f) && overlaps(f, span));
    if (same) {
      absorbed.add(same);
      dropped.push({ quote: m.quote, why: 'same_as_finding' });
      continue;
    }
    added.push({
      kind: kindOfType(m.type),
      text: text.slice(span.start, span.end),
      start: span.start,
      end: span.end,
      status: m.type === 'NOT_CHECKABLE' ? 'unverifiable' : 'contradicted',
      type: m.type,
      ...(m.reason !== '' ? { expected: m.reason } : {}),
      source: 'llm',
      reason: m.reason,
    });
  }
  added.sort((a, b) => a.start - b.start);
  return { kept, added, withdrawn, dropped };
}

export interface ReviewInput {
  text: string;
  /** The facts as prompt data (`factsData`). */
  facts: Record<string, unknown>;
  /** The deterministic verifier's findings on `text`. */
  findings: readonly Problem[];
  /** Whom the call is charged to. Default: no account. */
  target?: CallTarget;
}

/**
 * The LLM pass: asks the model for mistakes beyond `findings` and merges its answer
 * ({@link mergeAnswer}). The call is recorded in the cost ledger with purpose `verify`. When the model
 * cannot answer (budget spent, circuit open, timeouts, 429 and 5xx after the policy's retries,
 * malformed output after its retry), the deterministic findings stand unchanged and `outcome` says why:
 * this never throws for provider trouble, so it never blocks publishing.
 */
export async function reviewWithLlm(
  input: ReviewInput,
  caller: StructuredCaller,
  options: { allowWithdraw: boolean },
): Promise<LlmReview> {
  const prompt = buildVerifyPrompt({
    facts: input.facts,
    text: input.text,
    findings: input.findings,
    mayWithdraw: options.allowWithdraw,
  });
  const result = await caller.call(prompt, LlmVerifyAnswer, input.target ?? {}, 'verify');
  if (!result.ok) {
    const { ok: _, ...rest } = result;
    return {
      kept: [...input.findings],
      added: [],
      withdrawn: [],
      dropped: [],
      outcome: { ok: false, ...rest },
    };
  }
  return {
    ...mergeAnswer(input.text, input.findings, result.value, options.allowWithdraw),
    outcome: {
      ok: true,
      model: result.model,
      usdMicros: result.usdMicros,
      latencyMs: result.latencyMs,
      calls: result.calls,
    },
  };
}
