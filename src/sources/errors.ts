/**
 * Raised when a source payload does not have the shape we rely on. It names the
 * file (when known), the JSON path of the offending value and what was expected,
 * so an operator can open the recording and see the problem at once.
 *
 * A format error is permanent for that payload: retrying the same bytes will not
 * help, so callers should not retry it blindly (a later fetch may still succeed).
 */
export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError';
  readonly file?: string;
  /** JSON path of the offending value, e.g. `boxscore.players[0].statistics`. */
  readonly path: string;
  /** What the parser expected there, in words ("an array of team box scores"). */
  readonly expected: string;

  constructor(
    details: { file?: string; path: string; expected: string; got: string },
    options?: { cause?: unknown },
  ) {
    const where = details.file ? `${details.file}: ` : '';
    super(`${where}${details.path || '(root)'}: expected ${details.expected}, got ${details.got}`, options);
    if (details.file !== undefined) this.file = details.file;
    this.path = details.path;
    this.expected = details.expected;
  }
}

/** Formats a path of keys and indices as `a.b[0].c`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Describes a value for an error message: `undefined`, `null`, `a string ("abc")`, `an object`... */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return `an ${typeof value}`;
}
