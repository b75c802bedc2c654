import { detailNumber, lastName, scoreLine, whenPhrase } from '../context.ts';
import { cap, mainPlayer } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

/**
 * score_correction: the feed changed the points of a past play. The post says
 * which team's score changed and gives the score now, with the game clock now;
 * the old score stays in the event's detail and is not repeated, since every
 * number posted must hold in the game as it stands.
 */
export const scoreCorrection: KindTemplates = {
  favoured: (c) => {
    const away = detailNumber(c, 'awayShift') ?? 0;
    const home = detailNumber(c, 'homeShift') ?? 0;
    if (home > 0 && away <= 0) return c.home;
    if (away > 0 && home <= 0) return c.away;
    return undefined;
  },
  phrasings(c) {
    const line = scoreLine(c);
    const when = whenPhrase(c);
    const away = detailNumber(c, 'awayShift') ?? 0;
    const home = detailNumber(c, 'homeShift') ?? 0;
    const changed = home !== 0 && away === 0 ? c.home : away !== 0 && home === 0 ? c.away : undefined;
    const player = mainPlayer(c);
    const whose = player
      ? `a ${lastName(player.name)} play`
      : changed
        ? `a ${changed.name} play`
        : 'an earlier play';
    const list: Phrase[] = [
      {
        id: 'score_correction.now',
        main: `Score correction: ${line}, ${when}.`,
        extras: [`The scorers changed the points of ${whose}.`],
      },
      {
        id: 'score_correction.line',
        main: `${cap(line)} after a scoring change, ${when}.`,
        extras: [`The scorers changed the points of ${whose}.`],
      },
      {
        id: 'score_correction.changed',
        main: `Scoring change on ${whose}. ${cap(line)}, ${when}.`,
        extras: [],
      },
    ];
    if (changed)
      list.push({
        id: 'score_correction.team',
        main: `The ${changed.name} score has been corrected. ${cap(line)}, ${when}.`,
        extras: [],
      });
    return list;
  },
};
