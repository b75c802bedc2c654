import { z } from 'zod';
import type { Platform } from '../../domain/platform.ts';
import { measureLength } from '../measure.ts';
import { MalformedOutputError } from './errors.ts';

/** What the model must answer: one JSON object with the post's text. */
export const ModelOutput = z.object({ text: z.string().trim().min(1, 'text is empty') });
export type ModelOutput = z.infer<typeof ModelOutput>;

/**
 * Parses a model's answer: a JSON object (a ```json fence around it is tolerated) whose `text` fits the
 * platform's limit. Returns the text, whitespace trimmed.
 * @throws MalformedOutputError naming what was wrong (not JSON, wrong shape, too long).
 */
export function parseModelOutput(raw: string, platform: Platform, maxLength: number): string {
  const text = parseJsonAnswer(raw, ModelOutput).text;
  const length = measureLength(text, platform);
  if (length > maxLength) throw new MalformedOutputError(`text is ${length} long, limit ${maxLength}`, raw);
  return text;
}

/**
 * Parses a model's answer as one JSON object (a ```json fence around it is tolerated) checked by
 * `schema`.
 * @throws MalformedOutputError naming what was wrong (not JSON, or the first schema issue and its path).
 */
export function parseJsonAnswer<T>(raw: string, schema: z.ZodType<T>): T {
  const unfenced = raw
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch (error) {
    throw new MalformedOutputError('not JSON', raw, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedOutputError(
      `${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`,
      raw,
    );
  }
  return parsed.data;
}
