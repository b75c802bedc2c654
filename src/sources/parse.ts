import type { z } from 'zod';
import { describeValue, formatJsonPath, SourceFormatError } from './errors.ts';

/**
 * Schema option giving the words used in a {@link SourceFormatError} when the value
 * is missing or of the wrong type: `z.array(item, expecting('an array of plays'))`.
 */
export function expecting(phrase: string): { error: string } {
  return { error: `expected ${phrase}` };
}

/**
 * Parses `value` with `schema`, or throws a {@link SourceFormatError} naming the
 * file, the JSON path of the first problem (prefixed by `basePath` when the value
 * sits inside a larger payload), what was expected and what was found.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: { file?: string; basePath?: readonly PropertyKey[] } = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const issuePath = (issue?.path ?? []) as PropertyKey[];
  const path = formatJsonPath([...(where.basePath ?? []), ...issuePath]);
  const details = {
    path,
    expected: expectedPhrase(issue),
    got: describeValue(valueAt(value, issuePath)),
    ...(where.file !== undefined ? { file: where.file } : {}),
  };
  throw new SourceFormatError(details, { cause: result.error });
}

function expectedPhrase(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'a valid value';
  if (issue.message.startsWith('expected ')) return issue.message.slice('expected '.length);
  if (issue.code === 'invalid_type')
    return `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  return `a valid value (${issue.message})`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
