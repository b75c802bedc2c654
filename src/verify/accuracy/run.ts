import { findProblems, type Problem } from '../extract-claims.ts';
import type { LlmFinding } from '../llm/review.ts';
import { parseRotoWireRecord, rotowireLookup } from '../rotowire.ts';
import type { Span } from '../text.ts';
import { type AccuracyScore, matchMistakes, scoreMistakes, type TokenMistake } from './score.ts';
import { detokenize, tokensOverlapping } from './tokens.ts';

/** One annotated text: its tokens and the RotoWire record it was written from. */
export interface AccuracyText {
  id: string;
  tokens: string[];
  record: unknown;
}

/** A detected mistake with what the verifier said about it (for the details listing). */
export interface Detection extends TokenMistake {
  problem: Problem | LlmFinding;
}

export interface AccuracyRun {
  score: AccuracyScore;
  gold: TokenMistake[];
  detected: Detection[];
  /** Per gold mistake, the index of the detection that recalled it, or -1. */
  matched: number[];
  texts: number;
  words: number;
  /** Verifier time over all texts (record parsing and fact lookup included). */
  milliseconds: number;
  /** Milliseconds per 300 words of text. */
  msPer300Words: number;
  /** Gold tokens by text, for the details listing. */
  tokens: Map<string, string[]>;
}

/**
 * Runs the verifier over each text (rebuilt from its tokens with
 * {@link detokenize}) against its record, turns every problem into a token
 * span, and scores the spans against `gold`. `now` is the clock for timing
 * (milliseconds).
 */
export function runAccuracy(
  texts: readonly AccuracyText[],
  gold: readonly TokenMistake[],
  options: { include: 'contradicted' | 'unsupported'; now: () => number },
): AccuracyRun {
  const detected: Detection[] = [];
  let milliseconds = 0;
  for (const t of texts) {
    const { text, spans } = detokenize(t.tokens);
    const started = options.now();
    const problems = findProblems(text, rotowireLookup(parseRotoWireRecord(t.record, t.id)), options.include);
    milliseconds += options.now() - started;
    detected.push(...detectionsOf(t.id, spans, problems));
  }
  return scoreRun(texts, gold, detected, milliseconds);
}

/** Problems found in a detokenized text as token spans (1-based, inclusive) of text `textId`. */
export function detectionsOf(
  textId: string,
  spans: readonly Span[],
  problems: readonly (Problem | LlmFinding)[],
): Detection[] {
  return problems.flatMap((problem): Detection[] => {
    const covered = tokensOverlapping(spans, problem);
    const first = covered[0];
    const last = covered.at(-1);
    if (first === undefined || last === undefined) return [];
    return [{ textId, first: first + 1, last: last + 1, type: problem.type, problem }];
  });
}

/** Scores `detected` against `gold` over `texts`; `milliseconds` is the verifier time spent. */
export function scoreRun(
  texts: readonly AccuracyText[],
  gold: readonly TokenMistake[],
  detected: Detection[],
  milliseconds: number,
): AccuracyRun {
  let words = 0;
  const tokens = new Map<string, string[]>();
  for (const t of texts) {
    tokens.set(t.id, t.tokens);
    words += t.tokens.filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  }
  return {
    score: scoreMistakes(gold, detected),
    gold: [...gold],
    detected,
    matched: matchMistakes(gold, detected),
    texts: texts.length,
    words,
    milliseconds,
    msPer300Words: words === 0 ? 0 : (milliseconds / words) * 300,
    tokens,
  };
}

/**
 * Reads the task's gold mistake list (`gsml.csv`): TEXT_ID ("S001.txt"),
 * DOC_TOKEN_START, DOC_TOKEN_END (1-based, inclusive) and TYPE columns.
 *
 * @throws Error naming the row and column when a row is malformed.
 */
export function parseGsml(csv: string): TokenMistake[] {
  const rows = parseCsv(csv);
  const header = rows[0] ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`gsml.csv: no ${name} column`);
    return i;
  };
  const [id, start, end, type] = [col('TEXT_ID'), col('DOC_TOKEN_START'), col('DOC_TOKEN_END'), col('TYPE')];
  return rows.slice(1).map((row, n) => {
    const first = Number(row[start]);
    const last = Number(row[end]);
    if (!Number.isInteger(first) || !Number.isInteger(last))
      throw new Error(`gsml.csv: row ${n + 2}: DOC_TOKEN_START/DOC_TOKEN_END are not integers`);
    return {
      textId: String(row[id]).replace(/\.txt$/, ''),
      first,
      last,
      type: String(row[type]),
    };
  });
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes); empty lines dropped. */
export function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && csv[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}
