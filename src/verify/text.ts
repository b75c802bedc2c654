/** A piece of the draft: [start, end) in UTF-16 code units, as `String.prototype.slice` uses. */
export interface Span {
  start: number;
  end: number;
}

export interface Sentence extends Span {
  text: string;
  /** Clauses of the sentence (split at , ; : dashes, parentheses and "while", "but", "as"...). */
  clauses: Span[];
}

/**
 * Folds accents away without changing the length of the text ("Dončić" →
 * "Doncic"), so that matches found in the folded text keep the draft's spans.
 * Characters whose folded form is not one code unit are kept as they are.
 */
export function foldAccents(text: string): string {
  // Plain ASCII (most text) has nothing to fold, nor has text that no character decomposes
  // in (emoji, for instance): the loop below would give it back unchanged.
  if (/^[\x00-\x7f]*$/.test(text) || text.normalize('NFD') === text) return text;
  let out = '';
  for (const ch of text) {
    const folded = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += folded.length === ch.length ? folded : ch;
  }
  return out;
}

/** Tokens that end in a period without ending the sentence ("T. Haliburton", "Jr.", "vs."). */
const NON_FINAL = /(?:^|[\s(])(?:[A-Z]|[A-Z]\.[A-Z]|Jr|Sr|St|Mt|vs|Mr|Mrs|Dr|No|Vol|approx|etc)\.$/;

/**
 * Splits a draft into sentences at . ! ? and line breaks, keeping decimals
 * ("6.5"), initials ("T. Haliburton", "P.J. Tucker") and "Jr." inside a sentence.
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s)
      sentences.push({ start: s, end: e, text: text.slice(s, e), clauses: splitClauses(text, s, e) });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\n') {
      push(i + 1);
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    const next = text[i + 1];
    if (next !== undefined && !/[\s"'”’)]/.test(next)) continue; // "6.5", "P.J.", "wow!!"
    if (ch === '.' && NON_FINAL.test(text.slice(Math.max(start, i - 8), i + 1))) continue;
    let end = i + 1;
    while (end < text.length && /[.!?"'”’)]/.test(text[end] ?? '')) end++;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return sentences;
}

const CLAUSE_BREAK =
  /[,;:()[\]]|\s[—–-]\s|\s(?:while|but|whereas|as|after|before|despite|although|though)\s/giu;

function splitClauses(text: string, start: number, end: number): Span[] {
  const part = text.slice(start, end);
  const clauses: Span[] = [];
  let from = 0;
  for (const m of part.matchAll(CLAUSE_BREAK)) {
    const at = m.index;
    // A comma between digits ("17,274") does not break a clause.
    if (m[0] === ',' && /\d/.test(part[at - 1] ?? '') && /\d/.test(part[at + 1] ?? '')) continue;
    if (at > from) clauses.push({ start: start + from, end: start + at });
    from = at + m[0].length;
  }
  if (from < part.length) clauses.push({ start: start + from, end });
  return clauses.length > 0 ? clauses : [{ start, end }];
}

/** The span among `spans` that contains `at`, if any. */
export function spanAt<T extends Span>(spans: readonly T[], at: number): T | undefined {
  return spans.find((s) => s.start <= at && at < s.end);
}

/** Whether two spans overlap. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

const WORD_NUMBERS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};

/** Regex source matching a number written in digits or as a word up to twenty. */
export const NUMBER_WORD_SOURCE = `(?:\\d+(?:\\.\\d+)?|${Object.keys(WORD_NUMBERS).join('|')})`;

/** "31" → 31, "three" → 3; undefined for anything else. */
export function parseNumber(token: string): number | undefined {
  const lower = token.toLowerCase();
  if (lower in WORD_NUMBERS) return WORD_NUMBERS[lower];
  return /^\d+(?:\.\d+)?$/.test(token) ? Number(token) : undefined;
}

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/** Regex source of an ordinal: "3rd", "third". */
export const ORDINAL_SOURCE = `(?:\\d{1,2}(?:st|nd|rd|th)|${Object.keys(ORDINALS).join('|')})`;

/** "3rd" → 3, "third" → 3. */
export function parseOrdinal(token: string): number | undefined {
  const lower = token.toLowerCase();
  if (lower in ORDINALS) return ORDINALS[lower];
  const m = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(lower);
  return m ? Number(m[1]) : undefined;
}

/**
 * Spans whose digits are not claims: handles, hashtags, URLs, cashtags, times
 * of day ("7:30 PM", "8 ET").
 */
export function nonClaimSpans(text: string): Span[] {
  const spans: Span[] = [];
  const patterns = [
    /\bhttps?:\/\/\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ly|co|me|tv|gg|app|social)(?:\/\S*)?/giu,
    /(?<![\p{L}\p{N}_])[@#$][\p{L}\p{N}_]+(?:@[\w.-]+)?/gu,
    /\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![\p{L}])/giu,
    /\b\d{1,2}(?::\d{2})?\s*(?:ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET|local time)\b/gu,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}
