import type { TeamFacts } from '../../domain/facts.ts';
import { type Context, detailString, scoreLine, whenPhrase, withWhen } from '../context.ts';
import { cap, quotableText } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

/** The turnover word the detail or the feed's text names, when it names one. */
function turnoverWord(c: Context): string | undefined {
  const hint = `${detailString(c, 'turnoverType', 'type') ?? ''} ${c.event.text}`.toLowerCase();
  if (hint.includes('intercept')) return 'Interception';
  if (hint.includes('fumble')) return 'Fumble';
  if (hint.includes('steal')) return 'Steal';
  return undefined;
}

/**
 * turnover: `event.teamId` is the team that gave the ball away (the team the feed credits with the
 * play); good news for the other team. Names no player: the feed's participants mix the one who lost
 * it and the one who took it.
 */
export const turnover: KindTemplates = {
  favoured: (c) => c.other,
  phrasings(c) {
    const line = scoreLine(c);
    const when = whenPhrase(c);
    const lost: TeamFacts | undefined = c.actor;
    const word = turnoverWord(c);
    const quoted = quotableText(c);
    const extras = quoted ? [`${quoted}.`] : [];
    if (!lost || !c.other) {
      return [
        { id: 'turnover.generic', main: `${word ?? 'Turnover'} ${withWhen(c)}. ${line}.`, extras },
        { id: 'turnover.generic-line', main: `${line}, after a turnover ${withWhen(c)}.`, extras },
        { id: 'turnover.generic-when', main: `${cap(when)}: ${word ?? 'turnover'}. ${line}.`, extras },
      ];
    }
    const list: Phrase[] = [
      {
        id: 'turnover.label',
        main: `${word ?? 'Turnover'}, ${c.other.name} ball. ${line}, ${when}.`,
        extras,
      },
      { id: 'turnover.give-away', main: `${lost.name} give it away ${withWhen(c)}. ${line}.`, extras },
      {
        id: 'turnover.ball-back',
        main: `${c.other.name} get the ball back on a ${lost.name} turnover. ${line}, ${when}.`,
        extras,
      },
    ];
    return list;
  },
};
