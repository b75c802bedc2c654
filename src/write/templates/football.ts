import type { EventPlayer } from '../../domain/event.ts';
import type { TeamFacts } from '../../domain/facts.ts';
import {
  type Context,
  detailNumber,
  detailString,
  eventPlayer,
  lastName,
  scoreLine,
  teamOfPlayer,
  whenPhrase,
} from '../context.ts';
import { statLine } from '../statline.ts';
import { cap } from './common.ts';
import type { KindTemplates, Phrase } from './types.ts';

const has = (p: EventPlayer, key: string) => typeof p.stats[key] === 'number';

/**
 * The player who scored a touchdown. The feed lists participants in no reliable order (the passer
 * often first), so: an explicit `detail.scorerId`/`playerId`, else a player credited with a receiving
 * or rushing touchdown who is not the team's passer, else the only player, else none (no guess).
 */
function tdScorer(c: Context): EventPlayer | undefined {
  const explicit = eventPlayer(c, detailString(c, 'scorerId', 'playerId'));
  if (explicit) return explicit;
  // The extra-point kicker rides along on touchdown plays; he did not score the touchdown.
  const ps = c.event.players.filter((p) => !Object.keys(p.stats).every((k) => k.startsWith('kicking.')));
  if (ps.length === 1) return ps[0];
  const receiver = ps.find((p) => (p.stats['receiving.receivingTouchdowns'] ?? 0) > 0);
  if (receiver) return receiver;
  const returner = ps.find(
    (p) =>
      (p.stats['interceptions.interceptionTouchdowns'] ?? 0) > 0 ||
      (p.stats['defensive.defensiveTouchdowns'] ?? 0) > 0,
  );
  if (returner) return returner;
  return ps.find((p) => (p.stats['rushing.rushingTouchdowns'] ?? 0) > 0 && !has(p, 'passing.passingYards'));
}

/** The passer on a receiving touchdown: a player with passing stats on the scorer's team. */
function tdPasser(c: Context, scorer: EventPlayer): EventPlayer | undefined {
  if (!has(scorer, 'receiving.receivingYards')) return undefined;
  return c.event.players.find(
    (p) => p !== scorer && p.teamId === scorer.teamId && (p.stats['passing.passingTouchdowns'] ?? 0) > 0,
  );
}

function scoringTeam(c: Context, p: EventPlayer | undefined): TeamFacts | undefined {
  return c.actor ?? (p ? teamOfPlayer(c, p) : undefined);
}

/** " on a 9-yard play": yards as an adjective, which reads as the play's length, not a stat total. */
function onAPlay(yards: number | undefined): string {
  return yards === undefined ? '' : ` on a ${yards}-yard play`;
}

function driveSentence(c: Context): string | undefined {
  const plays = detailNumber(c, 'drivePlays');
  const yards = detailNumber(c, 'driveYards');
  if (plays === undefined || yards === undefined) return undefined;
  return `The drive: ${plays} ${plays === 1 ? 'play' : 'plays'}, ${yards} ${yards === 1 ? 'yard' : 'yards'}.`;
}

/** touchdown: the team, the scorer with yards when `detail.yards` exists, the passer, the score. */
export const touchdown: KindTemplates = {
  favoured: (c) => scoringTeam(c, tdScorer(c)),
  phrasings(c) {
    const p = tdScorer(c);
    const team = scoringTeam(c, p);
    const yards = detailNumber(c, 'yards');
    const line = scoreLine(c);
    const when = whenPhrase(c);
    const extras: string[] = [];
    const passer = p ? tdPasser(c, p) : undefined;
    if (passer) extras.push(`${passer.name} threw it.`);
    const drive = driveSentence(c);
    if (drive) extras.push(drive);
    if (p) {
      const s = statLine(c.sport, p.stats);
      if (s) extras.push(`${lastName(p.name)}: ${s}.`);
    }
    const teamName = team?.name;
    const list: Phrase[] = [];
    if (p) {
      list.push({
        id: 'touchdown.scores-from',
        main: `Touchdown${teamName ? `, ${teamName}` : ''}. ${p.name} scores${onAPlay(yards)}. ${line}.`,
        extras,
      });
      list.push({
        id: 'touchdown.end-zone',
        main: `${p.name} finds the end zone${teamName ? ` for the ${teamName}` : ''}. ${line}, ${when}.`,
        extras: yards !== undefined ? [`${yards}-yard score.`, ...extras] : extras,
      });
      list.push({
        id: 'touchdown.team-td',
        main: `${teamName ? `${teamName} touchdown` : 'Touchdown'}: ${yards !== undefined ? `${yards}-yard score by ` : ''}${p.name}. ${line}, ${when}.`,
        extras,
      });
    } else {
      list.push({
        id: 'touchdown.team',
        main: `Touchdown${teamName ? `, ${teamName}` : ''}. ${line}, ${when}.`,
        extras,
      });
      list.push({
        id: 'touchdown.team-line',
        main: `${line}, ${when}, after a ${teamName ? `${teamName} ` : ''}touchdown.`,
        extras,
      });
      list.push({
        id: 'touchdown.team-six',
        main: `${teamName ? `${teamName} find` : 'Into'} the end zone${onAPlay(yards)}. ${line}.`,
        extras,
      });
    }
    return list;
  },
};

/** field_goal: the kicker (a player with kicking stats, else the only player), yards, score, clock. */
export const fieldGoal: KindTemplates = {
  favoured: (c) => c.actor,
  phrasings(c) {
    const ps = c.event.players;
    const kicker =
      eventPlayer(c, detailString(c, 'playerId')) ??
      ps.find((p) => Object.keys(p.stats).some((k) => k.startsWith('kicking.'))) ??
      (ps.length === 1 ? ps[0] : undefined);
    const team = c.actor ?? (kicker ? teamOfPlayer(c, kicker) : undefined);
    const yards = detailNumber(c, 'yards');
    const line = scoreLine(c);
    const when = whenPhrase(c);
    const kick = yards !== undefined ? `${yards}-yard field goal` : 'field goal';
    const who = kicker?.name;
    const drive = driveSentence(c);
    const extras = drive ? [drive] : [];
    const list: Phrase[] = [
      {
        id: 'field_goal.hits',
        main: `${who ? `${who} hits a ${kick}` : `${team ? `The ${team.name} hit` : 'It is'} a ${kick}`}. ${line}, ${when}.`,
        extras,
      },
      {
        id: 'field_goal.label',
        main: `Field goal${team ? `, ${team.name}` : ''}: ${who ? `${who}, ` : ''}${yards !== undefined ? `${yards}-yard kick` : 'good'}. ${line}.`,
        extras: [`${cap(when)}.`, ...extras],
      },
      {
        id: 'field_goal.yard-kick',
        main: `${yards !== undefined ? `A ${yards}-yard field goal` : 'A field goal'}${who ? ` from ${who}` : ''}${team ? ` for the ${team.name}` : ''}. ${line}, ${when}.`,
        extras,
      },
    ];
    return list;
  },
};
