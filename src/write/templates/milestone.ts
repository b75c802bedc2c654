import type { EventPlayer } from '../../domain/event.ts';
import {
  type Context,
  detailNumber,
  detailString,
  eventPlayer,
  scoreLine,
  whenPhrase,
  withWhen,
} from '../context.ts';
import { count, joinList, statLine, statWords } from '../statline.ts';
import { cap, splitsSentence } from './common.ts';
import type { KindTemplates } from './types.ts';

const DOUBLE_STATS: [string, string][] = [
  ['points', 'point'],
  ['rebounds', 'rebound'],
  ['assists', 'assist'],
  ['steals', 'steal'],
  ['blocks', 'block'],
];

function player(c: Context): EventPlayer | undefined {
  return eventPlayer(c, detailString(c, 'playerId')) ?? c.event.players[0];
}

/**
 * milestone: reads `detail` defensively (the shape `signals/GameTracker` emits, and looser ones).
 * `{ stat, threshold, playerId }` gives "is up to 31 points" /
 * "gets to 31 points" / "reaches 30 points"; `{ milestone: 'doubleDouble' | 'triple_double' | ... }` lists the stats in double
 * figures (only when the stat line really has enough of them); anything else falls back to the
 * player's stat line.
 */
export const milestone: KindTemplates = {
  favoured: (c) => {
    const p = player(c);
    if (!p) return c.actor;
    return p.teamId === c.home.id ? c.home : p.teamId === c.away.id ? c.away : c.actor;
  },
  phrasings(c) {
    const p = player(c);
    const when = whenPhrase(c);
    const line = scoreLine(c);
    if (!p) {
      return [
        { id: 'milestone.no-player', main: `${line}, ${when}.`, extras: [] },
        { id: 'milestone.no-player-when', main: `${cap(when)}: ${line}.`, extras: [] },
        { id: 'milestone.no-player-is', main: `It's ${line}, ${when}.`, extras: [] },
      ];
    }
    const analytic = splitsSentence(c, p);
    // "double_double", "doubleDouble", "double-double" all name the same milestone.
    const raw = (detailString(c, 'milestone') ?? '').toLowerCase().replace(/[^a-z]/g, '');
    const kind =
      raw === 'doubledouble' ? 'double_double' : raw === 'tripledouble' ? 'triple_double' : undefined;
    if (kind) {
      const need = kind === 'double_double' ? 2 : 3;
      const label = kind === 'double_double' ? 'double-double' : 'triple-double';
      const tens = DOUBLE_STATS.filter(([key]) => (p.stats[key] ?? 0) >= 10).map(([key, one]) =>
        count(p.stats[key] ?? 0, one),
      );
      if (tens.length >= need) {
        const list = joinList(tens);
        return [
          {
            id: `milestone.${kind}.has`,
            main: `${p.name} has a ${label}: ${list}.`,
            extras: [`${line}, ${when}.`],
            analytic,
          },
          {
            id: `milestone.${kind}.for`,
            main: `${cap(label)} for ${p.name}, ${list}, ${when}.`,
            extras: [`${line}.`],
            analytic,
          },
          {
            id: `milestone.${kind}.records`,
            main: `${p.name} records a ${label} with ${list}. ${line}.`,
            extras: [`${cap(when)}.`],
            analytic,
          },
        ];
      }
    }
    const stat = detailString(c, 'stat');
    const threshold = detailNumber(c, 'threshold');
    if (stat) {
      const value = p.stats[stat];
      const now = typeof value === 'number' ? statWords(stat, value) : undefined;
      const mark = threshold !== undefined ? statWords(stat, threshold) : undefined;
      if (now && mark && typeof value === 'number' && threshold !== undefined && value >= threshold) {
        const passes = value === threshold ? `reaches ${mark}` : `gets to ${now}`;
        return [
          {
            id: 'milestone.stat.up-to',
            main: `${p.name} is up to ${now}, ${when}.`,
            extras: [`${line}.`],
            analytic,
          },
          {
            id: 'milestone.stat.passes',
            main: `${p.name} ${passes}. ${line}.`,
            extras: [`${cap(when)}.`],
            analytic,
          },
          {
            id: 'milestone.stat.counting',
            main: `${cap(now)} and counting for ${p.name}. ${line}, ${when}.`,
            extras: [],
            analytic,
          },
        ];
      }
      if (now) {
        return [
          {
            id: 'milestone.stat-only.up-to',
            main: `${p.name} is up to ${now}, ${when}.`,
            extras: [`${line}.`],
            analytic,
          },
          {
            id: 'milestone.stat-only.has',
            main: `${p.name} has ${now}. ${line}.`,
            extras: [`${cap(when)}.`],
            analytic,
          },
          {
            id: 'milestone.stat-only.counting',
            main: `${cap(now)} and counting for ${p.name}. ${line}, ${when}.`,
            extras: [],
            analytic,
          },
        ];
      }
    }
    const full = statLine(c.sport, p.stats, { minor: 1 });
    if (full) {
      return [
        { id: 'milestone.line.has', main: `${p.name} has ${full}, ${when}.`, extras: [`${line}.`], analytic },
        {
          id: 'milestone.line.night',
          main: `Big night for ${p.name}: ${full}. ${line}.`,
          extras: [`${cap(when)}.`],
          analytic,
        },
        {
          id: 'milestone.line.so-far',
          main: `${p.name} so far: ${full}. ${line}, ${when}.`,
          extras: [],
          analytic,
        },
      ];
    }
    return [
      {
        id: 'milestone.name',
        main: `A milestone for ${p.name} ${withWhen(c)}. ${line}.`,
        extras: [],
        analytic,
      },
      { id: 'milestone.name-line', main: `${line}, ${when}. All eyes on ${p.name}.`, extras: [], analytic },
      {
        id: 'milestone.name-when',
        main: `${cap(when)}: ${line}. ${p.name} in the spotlight.`,
        extras: [],
        analytic,
      },
    ];
  },
};
