import type { Verdict } from '../../domain/verdict.ts';
import type { WriteRequest, Writer } from '../writer.ts';
import type { LlmWriteRequest } from './llm-writer.ts';
import type { LlmMetrics } from './metrics.ts';
import { type VerifiedDraft, writeVerified } from './repair.ts';

/**
 * Writes `count` variants of one request for an A/B experiment (variants 0 .. count-1), each verified
 * and repaired like a single draft. LLM writers are told the variant number and sample a little warmer
 * for variants above 0; the template writer picks a different phrasing per variant. `postIdOf` gives
 * each variant its own content-derived post id (ledger rows and batch items carry it). `adapt`, when
 * given, turns each variant's request (variant number and post id set) into the one written: an
 * experiment arm's voice, phrasing and instruction (src/feedback/experiments.ts). Default: as is.
 */
export async function writeVariants(
  writer: Writer,
  req: WriteRequest,
  count: number,
  verify: (text: string) => Verdict,
  postIdOf?: (variant: number) => string,
  metrics?: LlmMetrics,
  adapt?: (req: LlmWriteRequest) => LlmWriteRequest,
): Promise<VerifiedDraft[]> {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`writeVariants: count must be a positive integer, got ${count}`);
  const out: VerifiedDraft[] = [];
  for (let variant = 0; variant < count; variant++) {
    const r: LlmWriteRequest = { ...req, variant, ...(postIdOf ? { postId: postIdOf(variant) } : {}) };
    out.push(await writeVerified(writer, adapt ? adapt(r) : r, verify, metrics));
  }
  return out;
}
