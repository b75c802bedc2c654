/**
 * `npm run bench:accuracy`: the verifier on the INLG 2021 accuracy shared
 * task's 60 annotated summaries (fixtures/factuality/accuracy_shared_task_dev),
 * scored as the task scores (src/verify/accuracy/score.ts), with the time per
 * 300-word text. `--details` lists misses and false alarms by type;
 * `--unsupported` also reports unverifiable claims as mistakes; `--half odd`
 * / `--half even` scores only the texts with odd (S001, S003, ...) or even ids,
 * the two halves used to check that a change generalises (develop on one,
 * confirm on the other).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { formatReport } from '../../src/verify/accuracy/report.ts';
import { parseGsml, runAccuracy } from '../../src/verify/accuracy/run.ts';

const root = new URL('../../fixtures/factuality/accuracy_shared_task_dev/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');
const argv = process.argv.slice(2);
const args = new Set(argv);
const half = argv[argv.indexOf('--half') + 1];
if (args.has('--half') && half !== 'odd' && half !== 'even') {
  process.stderr.write('--half: expected odd or even\n');
  process.exit(2);
}
const inHalf = (n: number) => !args.has('--half') || (half === 'odd') === (n % 2 === 1);

const records = read('shared_task.jsonl').trim().split('\n');
const texts = records.flatMap((line, i) => {
  const id = `S${String(i + 1).padStart(3, '0')}`;
  if (!inHalf(i + 1)) return [];
  return [{ id, tokens: read(`texts/${id}.txt`).trim().split(/\s+/), record: JSON.parse(line) as unknown }];
});
const ids = new Set(texts.map((t) => t.id));
const gold = parseGsml(read('gsml.csv')).filter((g) => ids.has(g.textId));

const result = runAccuracy(texts, gold, {
  include: args.has('--unsupported') ? 'unsupported' : 'contradicted',
  now: () => performance.now(),
});
const mode = args.has('--unsupported')
  ? 'mistakes = contradicted and unverifiable claims (the live default: unverifiable blocks a draft)'
  : 'mistakes = contradicted claims only';
process.stdout.write(`${mode}; texts: ${args.has('--half') ? `${half} ids` : 'all'}\n`);
process.stdout.write(formatReport(result, { details: args.has('--details') }));
