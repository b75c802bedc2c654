import { clockExpired, clockWords, periodPhrase, scoreLine, whenPhrase, withWhen } from '../context.ts';
import { cap, mainPlayer, nowHas, scoreAction, splitsSentence, teamOf } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

/** clutch: a late, close moment: the score and the clock first, the player who made it when known. */
export const clutch: KindTemplates = {
  favoured: (c) => teamOf(c, mainPlayer(c)),
  phrasings(c) {
    const line = scoreLine(c);
    const when = whenPhrase(c);
    // Only a play that scored is phrased as a score by its player.
    const p = c.event.scoreValue > 0 ? mainPlayer(c) : undefined;
    const extras: string[] = [];
    const analytic: string[] = [];
    if (p) {
      extras.push(`${p.name} ${scoreAction(c)}.`);
      const has = nowHas(c, p);
      if (has) extras.push(has);
      analytic.push(...splitsSentence(c, p));
    }
    const clock = c.event.clock.trim();
    const toGo =
      c.sport !== 'baseball' && !clockExpired(clock)
        ? `with ${clockWords(clock)} to go in ${periodPhrase(c)}`
        : when;
    const list: Phrase[] = [
      { id: 'clutch.time', main: `Clutch time. ${line}, ${when}.`, extras, analytic },
      { id: 'clutch.and-its', main: `${cap(when)}, and it's ${line}.`, extras, analytic },
      { id: 'clutch.crunch', main: `Crunch time: ${line}, ${toGo}.`, extras, analytic },
    ];
    if (p) {
      list.push({
        id: 'clutch.player-first',
        main: `${p.name} ${scoreAction(c)} ${withWhen(c)}. ${line}.`,
        extras: extras.slice(1),
        analytic,
      });
    }
    return list;
  },
};
