import { loadConfig } from '../../app/config.ts';
import type { GameFacts } from '../../domain/facts.ts';
import type { Problem } from '../../verify/extract-claims.ts';
import { factsData } from '../../verify/llm/facts-data.ts';
import { type LlmReview, reviewWithLlm } from '../../verify/llm/review.ts';
import { createMemoryLedger } from '../../write/llm/ledger.ts';
import {
  type CallerSpec,
  callerSpecFromConfig,
  callerSpecFromEnv,
  createStandaloneCaller,
} from '../../write/llm/standalone.ts';

/** `verify --llm` cannot run as asked: printed as one message, exit code 2. */
export class LlmSetupError extends Error {
  override name = 'LlmSetupError';
}

const HOW =
  'configure llm.verify in --config FILE, or set WIREREPORT_VERIFY_MODEL and WIREREPORT_VERIFY_API_KEY ' +
  '(and WIREREPORT_VERIFY_BASE_URL and WIREREPORT_VERIFY_PRICE for an OpenAI-compatible server)';

/**
 * The model `verify --llm` checks with: the configuration's `llm.verify` when `configFile` is given,
 * else the `WIREREPORT_VERIFY_*` variables of `env`.
 * @throws LlmSetupError when neither names a model, or what is named is incomplete.
 */
export function verifyCallerSpec(
  env: Readonly<Record<string, string | undefined>>,
  configFile: string | undefined,
): CallerSpec {
  let spec: CallerSpec | undefined;
  try {
    if (configFile !== undefined) {
      const config = loadConfig(configFile, { env: { ...env } });
      if (!config.llm) throw new Error(`${configFile}: no llm section; ${HOW}`);
      spec = callerSpecFromConfig(config.llm);
      if (!spec) throw new Error(`${configFile}: llm.verify is absent or off; ${HOW}`);
    } else {
      spec = callerSpecFromEnv(env);
    }
  } catch (error) {
    throw new LlmSetupError(`--llm: ${(error as Error).message}`, { cause: error });
  }
  if (!spec) throw new LlmSetupError(`--llm: no model configured for LLM-assisted verification: ${HOW}`);
  return spec;
}

/** The LLM pass over one text, with what it cost (from a ledger of its own: nothing is stored). */
export async function llmPass(input: {
  spec: CallerSpec;
  text: string;
  game: GameFacts;
  localDate?: string;
  findings: readonly Problem[];
  allowWithdraw: boolean;
}): Promise<LlmReview> {
  const caller = createStandaloneCaller(input.spec, { ledger: createMemoryLedger() });
  return reviewWithLlm(
    {
      text: input.text,
      facts: factsData(input.game, input.localDate !== undefined ? { localDate: input.localDate } : {}),
      findings: input.findings,
    },
    caller,
    { allowWithdraw: input.allowWithdraw },
  );
}

/** The `llm` object of `--json` output. */
export function llmJson(spec: CallerSpec, review: LlmReview): Record<string, unknown> {
  const o = review.outcome;
  return {
    provider: spec.provider,
    model: spec.model,
    ok: o.ok,
    ...(o.ok ? { answeredBy: o.model } : { reason: o.reason }),
    usdMicros: o.usdMicros,
    latencyMs: o.latencyMs,
    withdrawn: review.withdrawn.map((w) => ({
      text: w.problem.text,
      start: w.problem.start,
      end: w.problem.end,
      reason: w.reason,
    })),
    dropped: review.dropped,
  };
}

/** The readable lines about the LLM pass. */
export function llmReadable(spec: CallerSpec, review: LlmReview): string {
  const o = review.outcome;
  const lines = [
    o.ok
      ? `llm ${spec.provider}:${spec.model}: ${review.added.length} further problem(s), $${(o.usdMicros / 1e6).toFixed(5)}, ${o.latencyMs} ms`
      : `llm ${spec.provider}:${spec.model}: no answer (${o.reason}); the deterministic result stands`,
  ];
  for (const a of review.added)
    lines.push(
      `  BAD llm ${a.type.padEnd(13)} [${a.start}-${a.end}] "${a.text}" — ${a.reason || 'no reason given'}`,
    );
  for (const w of review.withdrawn)
    lines.push(`  withdrawn [${w.problem.start}-${w.problem.end}] "${w.problem.text}" — ${w.reason}`);
  if (review.dropped.length > 0)
    lines.push(
      `  ${review.dropped.length} quote(s) not placed: ${review.dropped.map((d) => `"${d.quote}" (${d.why})`).join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}
