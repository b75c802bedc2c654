/**
 * `npm run bench:accuracy`: the verifier on the INLG 2021 accuracy shared
 * task's 60 annotated summaries (fixtures/factuality/accuracy_shared_task_dev),
 * scored as the task scores (src/verify/accuracy/score.ts), with the time per
 * 300-word text. `--details` lists misses and false alarms by type;
 * `--unsupported` also reports unverifiable claims as mistakes; `--half odd`
 * / `--half even` scores only the texts with odd (S001, S003, ...) or even ids,
 * the two halves used to check that a change generalises (develop on one,
 * confirm on the other).
 *
 * `--llm` adds the LLM pass (src/verify/llm/) with the model configured by
 * WIREREPORT_VERIFY_MODEL, _API_KEY, _BASE_URL (an OpenAI-compatible server),
 * _PROVIDER (openai|anthropic), _PRICE ("IN/OUT" dollars per million tokens)
 * and prints cost and latency too; `--withdraw` lets the model withdraw
 * deterministic findings; `--concurrency N` texts at once (default 4).
 */
import { performance } from 'node:perf_hooks';
import { formatReport } from '../../src/verify/accuracy/report.ts';
import { runAccuracy } from '../../src/verify/accuracy/run.ts';
import { formatLlmStats, runAccuracyWithLlm } from '../../src/verify/accuracy/run-llm.ts';
import { createMemoryLedger } from '../../src/write/llm/ledger.ts';
import { callerSpecFromEnv, createStandaloneCaller } from '../../src/write/llm/standalone.ts';
import { loadAccuracyDataset } from './dataset.ts';

const argv = process.argv.slice(2);
const args = new Set(argv);
const half = argv[argv.indexOf('--half') + 1];
if (args.has('--half') && half !== 'odd' && half !== 'even') {
  process.stderr.write('--half: expected odd or even\n');
  process.exit(2);
}
const concurrency = args.has('--concurrency') ? Number(argv[argv.indexOf('--concurrency') + 1]) : 4;
if (!Number.isInteger(concurrency) || concurrency < 1) {
  process.stderr.write('--concurrency: expected a positive integer\n');
  process.exit(2);
}

let spec: ReturnType<typeof callerSpecFromEnv>;
if (args.has('--llm')) {
  try {
    spec = callerSpecFromEnv(process.env);
  } catch (error) {
    process.stderr.write(`--llm: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (!spec) {
    process.stderr.write(
      [
        '--llm: cannot run: no model is configured for LLM-assisted verification.',
        'Set WIREREPORT_VERIFY_MODEL and WIREREPORT_VERIFY_API_KEY, and for an OpenAI-compatible server',
        'WIREREPORT_VERIFY_BASE_URL (e.g. http://127.0.0.1:8000/v1) and WIREREPORT_VERIFY_PRICE ("0/0" for',
        'a local model); WIREREPORT_VERIFY_PROVIDER=anthropic for Anthropic.',
        '',
      ].join('\n'),
    );
    process.exit(2);
  }
}

const { texts, gold } = loadAccuracyDataset(args.has('--half') ? (half as 'odd' | 'even') : undefined);
const include = args.has('--unsupported') ? 'unsupported' : 'contradicted';
const mode = args.has('--unsupported')
  ? 'mistakes = contradicted and unverifiable claims (the live default: unverifiable blocks a draft)'
  : 'mistakes = contradicted claims only';
const now = () => performance.now();

if (spec) {
  const ledger = createMemoryLedger();
  const run = await runAccuracyWithLlm(texts, gold, {
    include,
    now,
    caller: createStandaloneCaller(spec, { ledger }),
    allowWithdraw: args.has('--withdraw'),
    concurrency,
    onText: (done, total) => {
      if (done % 10 === 0 || done === total) process.stderr.write(`llm pass: ${done}/${total} texts\n`);
    },
  });
  process.stdout.write(
    `${mode}; deterministic verifier + LLM pass${args.has('--withdraw') ? ' (withdrawals allowed)' : ''}; texts: ${args.has('--half') ? `${half} ids` : 'all'}\n`,
  );
  process.stdout.write(formatReport(run, { details: args.has('--details') }));
  process.stdout.write(formatLlmStats(run.llm));
} else {
  const result = runAccuracy(texts, gold, { include, now });
  process.stdout.write(`${mode}; texts: ${args.has('--half') ? `${half} ids` : 'all'}\n`);
  process.stdout.write(formatReport(result, { details: args.has('--details') }));
}
