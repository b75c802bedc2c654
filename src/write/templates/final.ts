import type { TeamFacts } from '../../domain/facts.ts';
import { type Context, isOvertime, scoreOf } from '../context.ts';
import { performerSentence, performerSplits } from './performers.ts';
import type { KindTemplates, Phrase } from './types.ts';

/** Winner and loser from the final score; undefined when level (a tie). */
export function winnerOf(c: Context): { winner: TeamFacts; loser: TeamFacts } | undefined {
  if (c.homeScore > c.awayScore) return { winner: c.home, loser: c.away };
  if (c.awayScore > c.homeScore) return { winner: c.away, loser: c.home };
  return undefined;
}

function extrasFor(
  c: Context,
  first: TeamFacts,
  second: TeamFacts,
): { extras: string[]; analytic: string[] } {
  const extras: string[] = [];
  for (const team of [first, second]) {
    const s = performerSentence(c, team, 'past');
    if (s) extras.push(s);
  }
  const note = c.event.game.note?.replace(/[.\s]+$/, '');
  if (note) extras.push(`${note}.`);
  const split = performerSplits(c, first);
  return { extras, analytic: split ? [split] : [] };
}

/**
 * final: the winner (derived from the final score, never from the feed's flag alone), the score, "in
 * overtime" when the last period is past regulation, then each team's top performer and the series
 * note. Team accounts lead with their team, win or lose.
 */
export const final: KindTemplates = {
  favoured: (c) => winnerOf(c)?.winner,
  phrasings(c) {
    const result = winnerOf(c);
    const ot = c.sport !== 'baseball' && isOvertime(c);
    const inOt = ot ? ' in overtime' : '';
    const finalLabel = ot ? 'Final/OT' : 'Final';
    if (!result) {
      const first = c.own ?? c.home;
      const second = first.id === c.home.id ? c.away : c.home;
      const { extras, analytic } = extrasFor(c, first, second);
      const s = c.homeScore;
      return [
        {
          id: 'final.tie',
          main: `${finalLabel}: ${first.name} ${s}, ${second.name} ${s}. It ends in a tie.`,
          extras,
          analytic,
        },
        {
          id: 'final.tie-draw',
          main: `${first.name} and ${second.name} finish level at ${s}${inOt}.`,
          extras,
          analytic,
        },
        {
          id: 'final.tie-short',
          main: `It ends ${s}-${s}: ${first.name} and ${second.name} tie${inOt}.`,
          extras,
          analytic,
        },
      ];
    }
    const { winner, loser } = result;
    const w = scoreOf(c, winner);
    const l = scoreOf(c, loser);
    const dash = `${w}-${l}`;
    if (c.own && c.opp) {
      const own = c.own;
      const opp = c.opp;
      const { extras, analytic } = extrasFor(c, own, opp);
      if (own.id === winner.id) {
        return [
          {
            id: 'final.team-win-beat',
            main: `${finalLabel}: ${own.name} beat the ${opp.name}, ${dash}${inOt}.`,
            extras,
            analytic,
          },
          {
            id: 'final.team-win-line',
            main: `${own.name} win${inOt}! ${finalLabel}: ${own.name} ${w}, ${opp.name} ${l}.`,
            extras,
            analytic,
          },
          {
            id: 'final.team-win-take',
            main: `${own.displayName} take it${inOt}, ${dash} over the ${opp.name}.`,
            extras,
            analytic,
          },
        ];
      }
      return [
        {
          id: 'final.team-loss-fall',
          main: `${finalLabel}: ${own.name} fall to the ${opp.name}, ${dash}${inOt}.`,
          extras,
          analytic,
        },
        {
          id: 'final.team-loss-line',
          main: `${own.name} ${l}, ${opp.name} ${w}. ${finalLabel}.`,
          extras,
          analytic,
        },
        {
          id: 'final.team-loss-short',
          main: `${own.name} come up short against the ${opp.name}, ${dash}${inOt}.`,
          extras,
          analytic,
        },
      ];
    }
    const { extras, analytic } = extrasFor(c, winner, loser);
    const list: Phrase[] = [
      {
        id: 'final.beat',
        main: `${finalLabel}: ${winner.name} beat the ${loser.name}, ${dash}${inOt}.`,
        extras,
        analytic,
      },
      {
        id: 'final.top',
        main: `${winner.displayName} top the ${loser.displayName}, ${dash}${inOt}.`,
        extras,
        analytic,
      },
      { id: 'final.line', main: `${finalLabel}: ${winner.name} ${w}, ${loser.name} ${l}.`, extras, analytic },
      {
        id: 'final.win-over',
        main: `${winner.name} win${inOt}, ${dash} over the ${loser.name}.`,
        extras,
        analytic,
      },
    ];
    return list;
  },
};
