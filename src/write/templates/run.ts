import type { TeamFacts } from '../../domain/facts.ts';
import { type Context, detailNumber, scoreLine, whenPhrase, withWhen } from '../context.ts';
import { article, cap } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

/**
 * run: a scoring run. Its size comes from `detail.runPoints`/`runAgainst` (as `signals` emits them and
 * the verifier reads them): "a 12-0 run", "a 14-2 run"; "a 12-point run" without `runAgainst`; just "a
 * run" without either. The team is `detail.runFor` (a team id), else the event's team, else the leader.
 */
export const run: KindTemplates = {
  favoured: (c) => runTeam(c),
  phrasings(c) {
    const team = runTeam(c);
    const runPoints = detailNumber(c, 'runPoints');
    const runAgainst = detailNumber(c, 'runAgainst');
    let size: string;
    if (runPoints !== undefined && runAgainst !== undefined) size = `${runPoints}-${runAgainst} run`;
    else if (runPoints !== undefined) size = `${runPoints}-point run`;
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

function runTeam(c: Context): TeamFacts | undefined {
  const raw = c.event.detail.runFor;
  const id = raw === undefined ? undefined : String(raw);
  if (id === c.home.id) return c.home;
  if (id === c.away.id) return c.away;
  return c.actor ?? c.leader;
}
