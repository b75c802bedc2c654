import {
  type Context,
  isHalf,
  isOvertime,
  periodPhrase,
  periodShort,
  scoreDash,
  scoreLine,
} from '../context.ts';
import { cap } from './common.ts';
import { performerSentence, performerSplits } from './performers.ts';
import type { KindTemplates, Phrase } from './types.ts';

function performers(c: Context): { extras: string[]; analytic: string[] } {
  const first = c.own ?? c.leader ?? c.home;
  const second = first.id === c.home.id ? c.away : c.home;
  const extras: string[] = [];
  const analytic: string[] = [];
  for (const team of [first, second]) {
    const s = performerSentence(c, team, 'present');
    if (s) extras.push(s);
  }
  const split = performerSplits(c, first);
  if (split) analytic.push(split);
  return { extras, analytic };
}

/**
 * period_end: "Halftime" after the 2nd of 4 quarters, "End of regulation" when level after the last
 * regulation period (overtime follows in basketball, football and hockey), else "End of the 3rd"; then
 * the score and each team's top performer so far.
 */
export const periodEnd: KindTemplates = {
  favoured: (c) => c.leader,
  phrasings(c) {
    const half = isHalf(c);
    const level = c.homeScore === c.awayScore;
    const endOfRegulation = c.event.period === c.regulation && c.sport !== 'baseball';
    const label = half
      ? 'Halftime'
      : endOfRegulation && level
        ? 'End of regulation'
        : c.sport === 'hockey' && !isOvertime(c)
          ? `End of ${periodPhrase(c)}`
          : `End of ${periodShort(c)}`;
    const at = half ? 'at the half' : `end of ${periodShort(c)}`;
    const line = scoreLine(c);
    const { extras, analytic } = performers(c);
    if (endOfRegulation && level) {
      return [
        {
          id: 'period_end.to-ot',
          main: `${label}: tied at ${c.homeScore}. Overtime is next.`,
          extras,
          analytic,
        },
        { id: 'period_end.to-ot-line', main: `${line}, ${at}. On to overtime.`, extras, analytic },
        {
          id: 'period_end.to-ot-level',
          main: `Level at ${c.homeScore} after regulation. On to overtime.`,
          extras,
          analytic,
        },
      ];
    }
    const state = c.leader ? `${c.leader.name} lead ${scoreDash(c)}` : `Tied at ${c.homeScore}`;
    const list: Phrase[] = [
      { id: 'period_end.label', main: `${label}: ${line}.`, extras, analytic },
      { id: 'period_end.at', main: `${line}, ${at}.`, extras, analytic },
      { id: 'period_end.state', main: `${label}. ${cap(state)}.`, extras, analytic },
    ];
    return list;
  },
};
