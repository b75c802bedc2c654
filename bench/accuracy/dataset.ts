import { readFileSync } from 'node:fs';
import { type AccuracyText, parseGsml } from '../../src/verify/accuracy/run.ts';
import type { TokenMistake } from '../../src/verify/accuracy/score.ts';

const ROOT = new URL('../../fixtures/factuality/accuracy_shared_task_dev/', import.meta.url);

/** The shared task's texts (S001 ... S060) with their records, and the gold mistakes of those texts. */
export interface AccuracyDataset {
  texts: AccuracyText[];
  gold: TokenMistake[];
}

/**
 * Reads the 60 annotated summaries (`fixtures/factuality/accuracy_shared_task_dev`): all of them, or
 * the half with odd (S001, S003, ...) or even ids.
 */
export function loadAccuracyDataset(half?: 'odd' | 'even'): AccuracyDataset {
  const read = (name: string) => readFileSync(new URL(name, ROOT), 'utf8');
  const inHalf = (n: number) => half === undefined || (half === 'odd') === (n % 2 === 1);
  const records = read('shared_task.jsonl').trim().split('\n');
  const texts = records.flatMap((line, i) => {
    const id = `S${String(i + 1).padStart(3, '0')}`;
    if (!inHalf(i + 1)) return [];
    return [{ id, tokens: read(`texts/${id}.txt`).trim().split(/\s+/), record: JSON.parse(line) as unknown }];
  });
  const ids = new Set(texts.map((t) => t.id));
  return { texts, gold: parseGsml(read('gsml.csv')).filter((g) => ids.has(g.textId)) };
}
