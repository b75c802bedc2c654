import type { Verdict } from '../domain/verdict.ts';
import type { AssignmentRow, VariantRow } from '../store/experiments.ts';
import type { LlmWriteRequest } from '../write/llm/llm-writer.ts';
import type { LlmMetrics } from '../write/llm/metrics.ts';
import { writeVerified } from '../write/llm/repair.ts';
import { writeVariants } from '../write/llm/variants.ts';
import type { Writer, WrittenDraft } from '../write/writer.ts';
import { armRequest, assignArm, type Experiment, experimentFor, fallbackOrder } from './experiments.ts';

/** What the pipeline stores for a post written under an experiment. */
export interface ExperimentDraft {
  /** The text to post: the served arm's draft, or the assigned arm's rejected draft when none verified. */
  draft: WrittenDraft;
  verdict: Verdict;
  /** The post's variant number: the served arm's index (the assigned arm's when none verified). */
  variant: number;
  experimentId: string;
  assignedArm: string;
  servedArm: string | null;
  fallback: string | null;
  /** Every arm's variant, in arm order. */
  variants: VariantRow[];
}

/**
 * Writes one variant per arm of `experiment` for one (event, account) request, each verified (and
 * repaired) like any draft, through `writeVariants` with the arm's overrides; then picks the post's
 * text:
 * - the assigned arm (`assignArm`: a hash of experiment, event and account) when its draft verified;
 * - else the first verified arm in `fallbackOrder` (the control first), with the reason recorded;
 * - else the assigned arm's draft, which the caller stores rejected like any failed draft.
 *
 * Every arm is written even when the assigned one verifies: the alternatives are kept (never
 * published) and a fallback is at hand without a second round. With LLM writers each arm is a call,
 * billed to the variant's own post id. `postIdOf(i)` is the post id arm i's text would be published
 * under (content-derived: event, account, variant i).
 */
export async function writeExperimentDraft(
  writer: Writer,
  base: LlmWriteRequest,
  experiment: Experiment,
  accountId: string,
  verify: (text: string) => Verdict,
  postIdOf: (variant: number) => string,
  metrics?: LlmMetrics,
): Promise<ExperimentDraft> {
  const { arms } = experiment;
  const assigned = assignArm(experiment, base.event.id, accountId);
  const written = await writeVariants(writer, base, arms.length, verify, postIdOf, metrics, (req) =>
    armRequest(req, arms[req.variant]!),
  );
  let served: number | null = written[assigned]!.verdict.ok ? assigned : null;
  let fallback: string | null = null;
  if (served === null) {
    const reasons = written[assigned]!.verdict.reasons.join(', ') || 'verification failed';
    served = fallbackOrder(experiment, assigned).find((i) => written[i]!.verdict.ok) ?? null;
    fallback =
      served === null
        ? `no arm's draft verified (arm ${arms[assigned]!.id}: ${reasons})`
        : `arm ${arms[assigned]!.id} rejected (${reasons}); served arm ${arms[served]!.id}`;
  }
  const shown = served ?? assigned;
  return {
    draft: written[shown]!.draft,
    verdict: written[shown]!.verdict,
    variant: shown,
    experimentId: experiment.id,
    assignedArm: arms[assigned]!.id,
    servedArm: served === null ? null : arms[served]!.id,
    fallback,
    variants: written.map((w, i) => ({
      arm: arms[i]!.id,
      variant: i,
      text: w.draft.text,
      writer: w.draft.writer,
      templateId: w.draft.templateId,
      verified: w.verdict.ok,
      reasons: w.verdict.reasons,
      served: i === served,
    })),
  };
}

/** A post's draft as the pipeline stores it, with its experiment assignment when it is in one. */
export interface PostDraft {
  draft: WrittenDraft;
  verdict: Verdict;
  /** The post's variant number (0 outside experiments). */
  variant: number;
  /** Set when the post is in an experiment; to be recorded with the post (`recordAssignments`). */
  assignment?: AssignmentRow;
}

/**
 * The pipeline's one call for a post's draft. Outside any experiment: `writeVerified` of the request
 * (variant 0), as before. When an experiment covers the event for the account (at the account's
 * `significance`): `writeExperimentDraft`, and the assignment to record under the post id of the
 * variant served. `postIdOf(variant)` is the pipeline's content-derived post id.
 */
export async function writePostDraft(
  writer: Writer,
  request: LlmWriteRequest,
  verify: (text: string) => Verdict,
  context: {
    experiments?: readonly Experiment[] | undefined;
    accountId: string;
    significance: number;
    postIdOf: (variant: number) => string;
    metrics?: LlmMetrics;
  },
): Promise<PostDraft> {
  const experiment = context.experiments
    ? experimentFor(context.experiments, request.event, context.accountId, context.significance)
    : undefined;
  if (!experiment) {
    const { draft, verdict } = await writeVerified(writer, request, verify, context.metrics);
    return { draft, verdict, variant: 0 };
  }
  const e = await writeExperimentDraft(
    writer,
    request,
    experiment,
    context.accountId,
    verify,
    context.postIdOf,
    context.metrics,
  );
  return {
    draft: e.draft,
    verdict: e.verdict,
    variant: e.variant,
    assignment: {
      postId: context.postIdOf(e.variant),
      experimentId: e.experimentId,
      accountId: context.accountId,
      eventId: request.event.id,
      assignedArm: e.assignedArm,
      servedArm: e.servedArm,
      fallback: e.fallback,
      variants: e.variants,
    },
  };
}
