import { parseArgs } from 'node:util';
import { UserInputError } from '../../app/errors.ts';
import {
  type ArmReport,
  analyseExperimentById,
  analyseExperiments,
  type ExperimentReport,
} from '../../feedback/experiments-analysis.ts';
import type { CliIo } from '../io.ts';
import { BACKEND_OPTIONS, CommandError, closeBackend, openBackend } from './operator-backend.ts';

const ID = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/**
 * `wirereport experiments [ID] [--json] [--config FILE] [--data DIR] [--local]`: every A/B experiment
 * (or one), with per arm the posts assigned, served, fallen back and published, the mean engagement
 * metric, the lift over the control and the test's p-value ("not enough samples" below the minimum).
 * Asks the running engine's API (GET /api/experiments) when one answers, else reads the store.
 * Exit 0; 1 when the experiment does not exist; 2 on bad input.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: BACKEND_OPTIONS, allowPositionals: true });
  if (positionals.length > 1)
    throw new UserInputError(`expected at most one experiment id, got ${positionals.length}`);
  const id = positionals[0];
  if (id !== undefined && !ID.test(id)) throw new UserInputError(`"${id}" is not an experiment id`);
  const backend = await openBackend(values, io);
  try {
    let reports: ExperimentReport[];
    if (backend.kind === 'remote') {
      if (id === undefined)
        reports = ((await backend.call('GET', '/api/experiments')) as { experiments: ExperimentReport[] })
          .experiments;
      else
        reports = [
          ((await backend.call('GET', `/api/experiments/${id}`)) as { experiment: ExperimentReport })
            .experiment,
        ];
    } else if (id === undefined) {
      reports = await analyseExperiments(backend.store.db, Date.now());
    } else {
      const one = await analyseExperimentById(backend.store.db, id, Date.now());
      if (!one) throw new CommandError(`no experiment "${id}"`);
      reports = [one];
    }
    if (values.json)
      io.stdout(
        `${JSON.stringify(id === undefined ? { experiments: reports } : { experiment: reports[0] })}\n`,
      );
    else io.stdout(reports.length === 0 ? 'no experiments\n' : reports.map(formatReport).join('\n'));
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr(`wirereport experiments: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await closeBackend(backend);
  }
}

const num = (v: number | null, digits = 2) => (v === null ? '-' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '-' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);

function verdict(arm: ArmReport): string {
  const c = arm.comparison;
  switch (c.status) {
    case 'control':
      return 'control';
    case 'not enough samples':
      return `not enough samples (${c.measured}/${c.minSamples}, control ${c.controlMeasured}/${c.minSamples})`;
    case 'tested':
      return `p = ${c.pValue < 0.0001 ? c.pValue.toExponential(1) : c.pValue.toFixed(4)}${c.significant ? ' significant' : ''}`;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}

/** An experiment as a table: one line per arm. */
export function formatReport(r: ExperimentReport): string {
  const metric = Object.entries(r.metric)
    .filter(([, w]) => w !== 0)
    .map(([k, w]) => (w === 1 ? k : `${w}×${k}`))
    .join(' + ');
  const head = [
    `${r.id} (${r.state}, since ${r.start}${r.end ? ` until ${r.end}` : ''})${r.description ? `: ${r.description}` : ''}`,
    `  metric ${metric} (latest snapshot per published post); ${r.test} test, alpha ${r.alpha}, at least ${r.minSamples} measured posts per arm`,
    `  ${'arm'.padEnd(16)}${['assigned', 'served', 'fellback', 'published', 'measured', 'mean', 'lift'].map((h) => h.padStart(10)).join('')}  vs control`,
  ];
  const rows = r.arms.map(
    (a) =>
      `  ${`${a.arm}${a.control ? '*' : ''}`.padEnd(16)}${[
        String(a.assigned),
        String(a.served),
        String(a.fellBack),
        String(a.published),
        String(a.measured),
        num(a.mean),
        pct(a.lift),
      ]
        .map((c) => c.padStart(10))
        .join('')}  ${verdict(a)}`,
  );
  return `${[...head, ...rows].join('\n')}\n`;
}
