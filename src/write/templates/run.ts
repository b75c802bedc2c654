import { detailNumber, scoreLine, whenPhrase, withWhen } from '../context.ts';
import { article, cap } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

/**
 * run: a scoring run. Its size comes from `detail` (runPoints/runAgainst as the verifier reads them, else
 * runFor/runAgainst, else runPoints alone): "a 12-0 run",
 * "a 14-2 run", "a 12-point run"; with none of them it is just "a run".
 */
export const run: KindTemplates = {
  favoured: (c) => c.actor ?? c.leader,
  phrasings(c) {
    const team = c.actor ?? c.leader;
    const runFor = detailNumber(c, 'runFor');
    const runAgainst = detailNumber(c, 'runAgainst');
    const runPoints = detailNumber(c, 'runPoints');
    let size: string;
    if (runPoints !== undefined && runAgainst !== undefined) size = `${runPoints}-${runAgainst} run`;
    else if (runFor !== undefined && runAgainst !== undefined) size = `${runFor}-${runAgainst} run`;
    else if (runPoints !== undefined || runFor !== undefined) size = `${runPoints ?? runFor}-point run`;
    else size = 'run';
    const aRun = size === 'run' ? 'a run' : article(size);
    const line = scoreLine(c);
    const when = whenPhrase(c);
    if (!team) {
      return [
        { id: 'run.no-team', main: `${cap(aRun)} ${withWhen(c)}. ${line}.`, extras: [] },
        { id: 'run.no-team-line', main: `${line}, ${when}, after ${aRun}.`, extras: [] },
        { id: 'run.no-team-when', main: `${cap(when)}: ${line}, after ${aRun}.`, extras: [] },
      ];
    }
    const list: Phrase[] = [
      { id: 'run.on-a', main: `${team.name} on ${aRun}. ${line}, ${when}.`, extras: [] },
      { id: 'run.for-the', main: `${cap(aRun)} for the ${team.name}: ${line}, ${when}.`, extras: [] },
      { id: 'run.go-on', main: `${team.name} go on ${aRun} ${withWhen(c)}. ${line}.`, extras: [] },
    ];
    return list;
  },
};
