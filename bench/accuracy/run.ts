/**
 * `npm run bench:accuracy`: the verifier on the INLG 2021 accuracy shared
 * task's 60 annotated summaries (fixtures/factuality/accuracy_shared_task_dev),
 * scored as the task scores (src/verify/accuracy/score.ts), with the time per
 * 300-word text. `--details` lists misses and false alarms by type;
 * `--unsupported` also reports unverifiable claims as mistakes.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { formatReport } from '../../src/verify/accuracy/report.ts';
import { parseGsml, runAccuracy } from '../../src/verify/accuracy/run.ts';

const root = new URL('../../fixtures/factuality/accuracy_shared_task_dev/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');
const args = new Set(process.argv.slice(2));

const records = read('shared_task.jsonl').trim().split('\n');
const gold = parseGsml(read('gsml.csv'));
const texts = records.map((line, i) => {
  const id = `S${String(i + 1).padStart(3, '0')}`;
  return { id, tokens: read(`texts/${id}.txt`).trim().split(/\s+/), record: JSON.parse(line) as unknown };
});

const result = runAccuracy(texts, gold, {
  include: args.has('--unsupported') ? 'unsupported' : 'contradicted',
  now: () => performance.now(),
});
process.stdout.write(formatReport(result, { details: args.has('--details') }));
