import { type Context, scoreDash, scoreLine, whenPhrase, withWhen } from '../context.ts';
import { bucketWord, cap, mainPlayer, nowHas, splitsSentence } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

function scorerExtras(c: Context, what: string): { extras: string[]; analytic: string[] } {
  const p = mainPlayer(c);
  if (!p) return { extras: [], analytic: [] };
  const has = nowHas(c, p);
  const extras = [`${p.name} with the ${what}.`];
  if (has) extras.push(has);
  return { extras, analytic: splitsSentence(c, p) };
}

function goAheadWord(c: Context): string {
  return c.sport === 'basketball' ? `go-ahead ${bucketWord(c)}` : 'go-ahead score';
}

/** lead_change: the team now in front (by the event's score, not the feed's team), the score, the clock. */
export const leadChange: KindTemplates = {
  favoured: (c) => c.leader,
  phrasings(c) {
    const leader = c.leader;
    if (!leader) return tie.phrasings(c);
    const when = whenPhrase(c);
    const dash = scoreDash(c);
    // The scorer made the go-ahead play only when the scorer's team is the team now leading.
    const p = mainPlayer(c);
    const { extras, analytic } =
      p && p.teamId === leader.id ? scorerExtras(c, goAheadWord(c)) : { extras: [], analytic: [] };
    const list: Phrase[] = [
      {
        id: 'lead_change.take-lead',
        main: `${leader.name} take the lead, ${dash}, ${when}.`,
        extras,
        analytic,
      },
      { id: 'lead_change.label', main: `Lead change: ${scoreLine(c)}, ${when}.`, extras, analytic },
      {
        id: 'lead_change.in-front',
        main: `${leader.name} go in front ${withWhen(c)}. ${scoreLine(c)}.`,
        extras,
        analytic,
      },
    ];
    return list;
  },
};

/** tie: the level score, the clock, who tied it when the feed says. */
export const tie: KindTemplates = {
  favoured: (c) => c.actor,
  phrasings(c) {
    const when = whenPhrase(c);
    const p = mainPlayer(c);
    const what = c.sport === 'basketball' ? `tying ${bucketWord(c)}` : 'equalizer';
    const { extras, analytic } =
      p && c.actor && p.teamId === c.actor.id ? scorerExtras(c, what) : { extras: [], analytic: [] };
    if (c.homeScore !== c.awayScore) {
      // Not level after all (a feed correction): say the score and nothing about a tie.
      return [
        { id: 'tie.not-level', main: `${scoreLine(c)}, ${when}.`, extras: [], analytic: [] },
        { id: 'tie.not-level-when', main: `${cap(when)}: ${scoreLine(c)}.`, extras: [], analytic: [] },
        { id: 'tie.not-level-is', main: `It's ${scoreLine(c)}, ${when}.`, extras: [], analytic: [] },
      ];
    }
    const list: Phrase[] = [
      { id: 'tie.tied-at', main: `Tied ${c.homeScore}-${c.awayScore}, ${when}.`, extras, analytic },
      { id: 'tie.all-square', main: `All square: ${scoreLine(c)}, ${when}.`, extras, analytic },
    ];
    if (c.actor) {
      list.push({
        id: 'tie.team-ties',
        main: `${c.actor.name} tie it at ${scoreDash(c)} ${withWhen(c)}.`,
        extras,
        analytic,
      });
    } else {
      list.push({ id: 'tie.level', main: `Level at ${scoreDash(c)} ${withWhen(c)}.`, extras, analytic });
    }
    return list;
  },
};
