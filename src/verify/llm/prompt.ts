import { z } from 'zod';
import type { LlmPrompt } from '../../write/llm/types.ts';
import type { Problem } from '../extract-claims.ts';

/** Mistake types a model may report: the accuracy task's four, and claims the facts cannot check. */
export const LLM_MISTAKE_TYPES = ['NUMBER', 'NAME', 'WORD', 'CONTEXT', 'NOT_CHECKABLE'] as const;
export type LlmMistakeType = (typeof LLM_MISTAKE_TYPES)[number];

/**
 * What the model answers: further mistakes as exact quotes of the text (with the words around them,
 * copied exactly, to tell repeated quotes apart), and findings of the deterministic verifier it judges
 * wrong. Extra keys are ignored; a missing list is empty.
 */
export const LlmVerifyAnswer = z.object({
  mistakes: z
    .array(
      z.object({
        quote: z.string().min(1, 'quote is empty'),
        context: z.string().optional(),
        type: z.enum(LLM_MISTAKE_TYPES),
        reason: z.string().default(''),
      }),
    )
    .max(200)
    .default([]),
  withdraw: z
    .array(z.object({ quote: z.string().min(1), reason: z.string().default('') }))
    .max(200)
    .default([]),
});
export type LlmVerifyAnswer = z.infer<typeof LlmVerifyAnswer>;

const SYSTEM = [
  'You are a fact checker for sports writing. The request is JSON: "facts" (the game data: teams with',
  'points per period, result, record after the game, totals; players as rows of "playerColumns";',
  'a row of nulls means the player did not play), "text" (a post or game summary), and "findings" (what',
  'an automatic checker already reported as wrong or unverifiable in the text).',
  'Find every further statement of the text that the facts contradict, or that the facts cannot check.',
  'Report each mistake once, quoting the SHORTEST span that is wrong, copied character for character',
  'from the text: the wrong number ("14"), the wrong name ("Kevin Love"), the wrong word ("won",',
  '"double-double", "led", "bench"). Types: NUMBER (a wrong number), NAME (a wrong player, team, arena',
  'or day), WORD (a wrong word or phrase), CONTEXT (true in itself but misleading: a player put in the',
  'wrong team, a wrong order such as "was next"), NOT_CHECKABLE (the facts cannot say: next games, streaks,',
  'earlier games, injuries). Give "context": about eight words around the quote, copied exactly, so a',
  'quote that occurs more than once can be found. Do not repeat the findings. Report nothing the facts',
  'support; do not guess. Numbers written as words ("six assists") are numbers.',
  'If "mayWithdraw" is true and a finding is plainly right (the facts support it), list it under "withdraw".',
  'Answer with one JSON object and nothing else:',
  '{"mistakes": [{"quote": "...", "context": "...", "type": "NUMBER", "reason": "the facts say ..."}],',
  ' "withdraw": [{"quote": "...", "reason": "..."}]}',
].join('\n');

/** What the model is asked about one text. */
export interface VerifyPromptInput {
  /** The facts as data (`factsData`). */
  facts: Record<string, unknown>;
  text: string;
  /** What the deterministic verifier found (contradicted and unverifiable claims). */
  findings: readonly Problem[];
  /** Whether the model may withdraw findings. */
  mayWithdraw: boolean;
}

/**
 * The verification prompt: fixed instructions (the same for every call, so providers that cache
 * prompt prefixes can) and the request as JSON data. Output room grows with the text (a summary can
 * hold dozens of mistakes), up to 4,096 tokens.
 */
export function buildVerifyPrompt(input: VerifyPromptInput): LlmPrompt {
  const user = {
    facts: input.facts,
    text: input.text,
    findings: input.findings.map((f) => ({
      quote: f.text,
      type: f.type,
      status: f.status,
      ...(f.expected !== undefined ? { factsSay: f.expected } : {}),
    })),
    mayWithdraw: input.mayWithdraw,
  };
  return {
    system: SYSTEM,
    user: JSON.stringify(user),
    // No temperature: some models take only their default, and a checker gains little from 0.
    maxOutputTokens: Math.min(4096, 512 + Math.ceil(input.text.length / 2)),
  };
}
