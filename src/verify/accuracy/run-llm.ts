import type { StructuredCaller } from '../../write/llm/structured-call.ts';
import { findProblems } from '../extract-claims.ts';
import { factsData } from '../llm/facts-data.ts';
import { type LlmReview, reviewWithLlm } from '../llm/review.ts';
import { parseRotoWireRecord, rotowireLookup } from '../rotowire.ts';
import { type AccuracyRun, type AccuracyText, type Detection, detectionsOf, scoreRun } from './run.ts';
import type { TokenMistake } from './score.ts';
import { detokenize } from './tokens.ts';

/** What the LLM pass did over a run. Money in integer micro-dollars. */
export interface LlmRunStats {
  provider: string;
  model: string;
  texts: number;
  /** Texts the model answered for. */
  answered: number;
  /** Texts whose call failed (the deterministic result stood), by reason. */
  failed: Record<string, number>;
  /** HTTP calls answered (malformed answers asked again count twice). */
  calls: number;
  usdMicros: number;
  /** Wall time per text of the LLM pass (retries included), sorted ascending. */
  latenciesMs: number[];
  added: number;
  withdrawn: number;
  dropped: { not_found: number; repeated: number; same_as_finding: number };
}

export interface LlmAccuracyRun extends AccuracyRun {
  llm: LlmRunStats;
}

export interface LlmAccuracyOptions {
  include: 'contradicted' | 'unsupported';
  /** Milliseconds clock for the deterministic verifier's time. */
  now: () => number;
  caller: StructuredCaller;
  /** Let the model withdraw deterministic findings. Default: false. */
  allowWithdraw?: boolean;
  /** Texts checked at once. Default: 4. */
  concurrency?: number;
  /** Called after each text (progress). */
  onText?: (done: number, total: number) => void;
}

/**
 * {@link runAccuracy} with the LLM pass: each text's deterministic findings go to the model with the
 * facts of its RotoWire record, and the merged findings (kept, plus the model's placed quotes) are
 * scored. A text whose call fails keeps its deterministic findings. `milliseconds` is still the
 * deterministic verifier's time; the LLM's is in `llm.latenciesMs`.
 */
export async function runAccuracyWithLlm(
  texts: readonly AccuracyText[],
  gold: readonly TokenMistake[],
  options: LlmAccuracyOptions,
): Promise<LlmAccuracyRun> {
  const stats: LlmRunStats = {
    provider: options.caller.provider,
    model: options.caller.model,
    texts: texts.length,
    answered: 0,
    failed: {},
    calls: 0,
    usdMicros: 0,
    latenciesMs: [],
    added: 0,
    withdrawn: 0,
    dropped: { not_found: 0, repeated: 0, same_as_finding: 0 },
  };
  const perText: Detection[][] = texts.map(() => []);
  let milliseconds = 0;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < texts.length) {
      const i = next++;
      const t = texts[i] as AccuracyText;
      const { text, spans } = detokenize(t.tokens);
      const started = options.now();
      const game = parseRotoWireRecord(t.record, t.id);
      const problems = findProblems(text, rotowireLookup(game), options.include);
      milliseconds += options.now() - started;
      const review: LlmReview = await reviewWithLlm(
        { text, facts: factsData(game.facts, { localDate: game.localDate }), findings: problems },
        options.caller,
        { allowWithdraw: options.allowWithdraw ?? false },
      );
      tally(stats, review);
      // Like the deterministic findings, the model's NOT_CHECKABLE ones count only with `unsupported`.
      const added = review.added.filter(
        (a) => options.include === 'unsupported' || a.status === 'contradicted',
      );
      perText[i] = detectionsOf(t.id, spans, [...review.kept, ...added]);
      options.onText?.(++done, texts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  stats.latenciesMs.sort((a, b) => a - b);
  return { ...scoreRun(texts, gold, perText.flat(), milliseconds), llm: stats };
}

function tally(stats: LlmRunStats, review: LlmReview): void {
  const o = review.outcome;
  stats.calls += o.calls;
  stats.usdMicros += o.usdMicros;
  stats.latenciesMs.push(o.latencyMs);
  if (o.ok) stats.answered++;
  else stats.failed[o.reason] = (stats.failed[o.reason] ?? 0) + 1;
  stats.added += review.added.length;
  stats.withdrawn += review.withdrawn.length;
  for (const d of review.dropped) stats.dropped[d.why]++;
}

/** The `p`-quantile (0..1) of ascending `sorted`, nearest rank; 0 for none. */
function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** The LLM lines of the bench's printout: model, calls, failures, cost, latency, what was merged. */
export function formatLlmStats(s: LlmRunStats): string {
  const failed = Object.entries(s.failed)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const usd = s.usdMicros / 1e6;
  return `${[
    `llm: ${s.provider}:${s.model}; ${s.answered}/${s.texts} texts answered${failed ? ` (deterministic result stood: ${failed})` : ''}; ${s.calls} calls`,
    `llm cost: $${usd.toFixed(4)} (${s.texts === 0 ? 0 : Math.round(s.usdMicros / s.texts)} micro-dollars per text, from the price table)`,
    `llm latency per text: p50 ${quantile(s.latenciesMs, 0.5)} ms, p95 ${quantile(s.latenciesMs, 0.95)} ms, max ${s.latenciesMs.at(-1) ?? 0} ms`,
    `llm findings: ${s.added} added, ${s.withdrawn} deterministic findings withdrawn; quotes dropped: ${s.dropped.not_found} not in the text, ${s.dropped.repeated} repeated, ${s.dropped.same_as_finding} same as a finding`,
  ].join('\n')}\n`;
}
