import { type Context, lastName, scoreLine, whenPhrase } from '../context.ts';
import {
  bucketWord,
  cap,
  mainPlayer,
  nowHas,
  quotableText,
  scoreAction,
  splitsSentence,
  teamOf,
} from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

/** score: who scored (with their running line), the score and the clock. */
export const score: KindTemplates = {
  favoured: (c) => teamOf(c, mainPlayer(c)),
  phrasings(c) {
    const p = mainPlayer(c);
    const line = scoreLine(c);
    const when = whenPhrase(c);
    const team = teamOf(c, p);
    const list: Phrase[] = [];
    if (p) {
      const has = nowHas(c, p);
      const ex = has ? [has] : [];
      const an = splitsSentence(c, p);
      const pts = c.sport === 'basketball' ? p.stats.points : undefined;
      list.push({
        id: 'score.player-first',
        main: `${p.name} ${scoreAction(c)}. ${line}, ${when}.`,
        extras: ex,
        analytic: an,
      });
      list.push({
        id: 'score.line-first',
        main: `${line}, ${when}. ${p.name} with the ${bucketWord(c)}.`,
        extras: ex,
        analytic: an,
      });
      if (typeof pts === 'number') {
        list.push({
          id: 'score.up-to',
          main: `${p.name} ${scoreAction(c)} and is up to ${pts} ${pts === 1 ? 'point' : 'points'}. ${line}.`,
          extras: [`${cap(when)}.`],
          analytic: an,
        });
      } else {
        list.push({
          id: 'score.for-team',
          main: `${lastName(p.name)} ${scoreAction(c)}${team ? ` for the ${team.name}` : ''}. ${line}.`,
          extras: [`${cap(when)}.`, ...ex],
          analytic: an,
        });
      }
    } else if (team) {
      list.push({ id: 'score.team', main: `${team.name} score. ${line}, ${when}.`, extras: [] });
      list.push({
        id: 'score.team-line-first',
        main: `${line}, ${when}, after a ${team.name} score.`,
        extras: [],
      });
      list.push({ id: 'score.team-on-board', main: `${cap(when)}: ${line}.`, extras: [] });
    } else {
      list.push(...playPhrasings(c, 'score'));
    }
    const quoted = quotableText(c);
    if (quoted) list.push({ id: 'score.feed-text', main: `${quoted}. ${line}.`, extras: [`${cap(when)}.`] });
    return list;
  },
};

function playPhrasings(c: Context, kind: string): Phrase[] {
  const line = scoreLine(c);
  const when = whenPhrase(c);
  return [
    { id: `${kind}.line-when`, main: `${line}, ${when}.`, extras: [] },
    { id: `${kind}.when-line`, main: `${cap(when)}: ${line}.`, extras: [] },
    { id: `${kind}.score-is`, main: `It's ${line}, ${when}.`, extras: [] },
  ];
}

/** play: any other play the feed reports; its own words when quotable, the score and the clock. */
export const play: KindTemplates = {
  favoured: (c) => teamOf(c, mainPlayer(c)),
  phrasings(c) {
    const list = playPhrasings(c, 'play');
    const quoted = quotableText(c);
    if (quoted) {
      list.unshift({
        id: 'play.feed-text',
        main: `${quoted}. ${scoreLine(c)}, ${whenPhrase(c)}.`,
        extras: [],
      });
    }
    const p = mainPlayer(c);
    if (p) {
      const has = nowHas(c, p, true);
      if (has) for (const phrase of list) phrase.extras.push(has);
    }
    return list;
  },
};
