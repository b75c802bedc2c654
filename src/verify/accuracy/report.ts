import type { AccuracyRun } from './run.ts';

const f3 = (x: number) => x.toFixed(3);

/**
 * The benchmark's printout: overall and per-type recall and precision (both
 * the task's type-blind matching and same-type matching), counts, and time per
 * 300-word text; with `details`, every missed gold mistake and false alarm.
 */
export function formatReport(run: AccuracyRun, options: { details: boolean }): string {
  const { score } = run;
  const lines: string[] = [];
  lines.push(
    `accuracy shared task (dev): ${run.texts} texts, ${run.words} words, ${score.overall.gold} gold mistakes`,
  );
  lines.push('');
  lines.push(
    'type           gold  detected  recalled  recall  precision | same-type: recalled  recall  precision',
  );
  const row = (
    name: string,
    gold: number,
    detected: number,
    recalled: number,
    recall: number,
    precision: number,
    same?: { recalled: number; recall: number; precision: number },
  ) =>
    `${name.padEnd(13)} ${String(gold).padStart(5)} ${String(detected).padStart(9)} ${String(recalled).padStart(9)} ${f3(recall).padStart(7)} ${f3(precision).padStart(10)}${
      same
        ? ` | ${String(same.recalled).padStart(19)} ${f3(same.recall).padStart(7)} ${f3(same.precision).padStart(10)}`
        : ''
    }`;
  const o = score.overall;
  lines.push(row('OVERALL', o.gold, o.detected, o.recalled, o.recall, o.precision));
  for (const t of score.byType) {
    lines.push(row(t.type, t.gold, t.detected, t.any.recalled, t.any.recall, t.any.precision, t.sameType));
  }
  lines.push('');
  lines.push('(recall = recalled gold / gold; precision = recalled / detected; counts are mistakes)');
  lines.push(
    `time: ${run.milliseconds.toFixed(1)} ms for ${run.texts} texts = ${run.msPer300Words.toFixed(2)} ms per 300-word text`,
  );
  lines.push('reference (task test set): best automatic metric recall 0.691, precision 0.756');
  if (options.details) {
    const tokensOf = (id: string, a: number, b: number) =>
      (run.tokens.get(id) ?? []).slice(a - 1, b).join(' ');
    const context = (id: string, a: number, b: number) =>
      `${tokensOf(id, Math.max(1, a - 6), a - 1)} [${tokensOf(id, a, b)}] ${tokensOf(id, b + 1, b + 6)}`;
    lines.push('', 'MISSED gold mistakes:');
    run.gold.forEach((g, i) => {
      if ((run.matched[i] ?? -1) < 0)
        lines.push(`  ${g.type.padEnd(13)} ${g.textId} ${context(g.textId, g.first, g.last)}`);
    });
    const used = new Set(run.matched.filter((j) => j >= 0));
    lines.push('', 'FALSE ALARMS:');
    run.detected.forEach((d, j) => {
      if (!used.has(j))
        lines.push(
          `  ${d.type.padEnd(8)} ${d.textId} ${context(d.textId, d.first, d.last)} :: ${d.problem.kind} ${d.problem.expected ?? ''}`,
        );
    });
  }
  return `${lines.join('\n')}\n`;
}
