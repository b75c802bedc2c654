import type { PlayerFacts, StatLine, TeamFacts } from '../domain/facts.ts';
import { buildContext, type Context, periodPhrase, scoreOf, topPlayers } from './context.ts';
import { measureLength } from './measure.ts';
import { assertClean } from './render.ts';
import { statLine } from './statline.ts';
import { winnerOf } from './templates/final.ts';
import { avoidMatcher } from './voice.ts';
import type { WriteRequest } from './writer.ts';

/** One follow-up post of a thread, as the template writer wrote it. */
export interface ThreadPart {
  /** Which template wrote it ("thread.performers", "thread.numbers"). */
  templateId: string;
  text: string;
}

/** Most players named per team in a performers part. */
const PERFORMERS_PER_TEAM = 3;

/**
 * The follow-up posts of a final's thread, written from the facts only (the
 * lead is the usual final post, by whichever writer): a pure function of the
 * request, like every template.
 *
 * 1. `thread.performers`, once per team (the account's own team first, else
 *    the winner): the team's top performers with their lines ("Pascal Siakam
 *    led the Pacers with 31 points, 5 rebounds and 3 assists. Tyrese Haliburton
 *    added 21 points and 13 assists."); football names the top passer, rusher
 *    and receiver;
 * 2. `thread.numbers`: the period the winner won by the most ("The Pacers
 *    outscored the Knicks 34-23 in the 3rd quarter.") and, in basketball, both
 *    teams' shooting ("The Pacers shot 54.1% from the field and 17-of-33 from
 *    three.").
 *
 * Every part fits `req.maxLength` on its own (trailing sentences are dropped
 * until it does; a part whose first sentence does not fit is left out), names
 * players in full (each part is verified on its own), carries no hashtags or
 * emoji, and no sentence with one of the voice's avoided words. Empty for any
 * event other than a final, or when the facts hold nothing to add.
 */
export function writeThreadParts(req: WriteRequest): ThreadPart[] {
  if (req.event.kind !== 'final') return [];
  const c = buildContext(req);
  const avoided = avoidMatcher(req.voice);
  const result = winnerOf(c);
  const first = c.own ?? result?.winner ?? c.home;
  const second = first.id === c.home.id ? c.away : c.home;
  const candidates: { templateId: string; sentences: string[] }[] = [
    { templateId: 'thread.performers', sentences: performers(c, first) },
    { templateId: 'thread.performers', sentences: performers(c, second) },
    { templateId: 'thread.numbers', sentences: numbers(c, result) },
  ];
  const parts: ThreadPart[] = [];
  for (const { templateId, sentences } of candidates) {
    const clean = sentences.filter((s) => avoided(s) === undefined);
    const text = longestFitting(clean, (t) => measureLength(t, req.platform) <= req.maxLength);
    if (!text) continue;
    assertClean(text, templateId, avoided);
    parts.push({ templateId, text });
  }
  return parts;
}

/** The longest prefix of the sentences that fits, joined; undefined when not even the first does. */
function longestFitting(sentences: string[], fits: (text: string) => boolean): string | undefined {
  for (let n = sentences.length; n > 0; n--) {
    const text = sentences.slice(0, n).join(' ');
    if (fits(text)) return text;
  }
  return undefined;
}

function performers(c: Context, team: TeamFacts): string[] {
  if (c.sport === 'football') return footballPerformers(c, team);
  const ranked = topPlayers(c, team).slice(0, PERFORMERS_PER_TEAM);
  const out: string[] = [];
  for (const [i, p] of ranked.entries()) {
    if (c.sport !== 'basketball') {
      const line = statLine(c.sport, p.stats);
      if (line) out.push(`${p.name}: ${line}.`);
      continue;
    }
    // The leader's whole line; the others' notable secondary stats only.
    const line = statLine(c.sport, p.stats, { minor: i === 0 ? 1 : 5 });
    if (!line) continue;
    if (i > 0) out.push(`${p.name} added ${line}.`);
    else {
      const next = ranked[1]?.stats.points ?? -1;
      out.push(
        (p.stats.points ?? 0) > next
          ? `${p.name} led the ${team.name} with ${line}.`
          : `${p.name} had ${line} for the ${team.name}.`,
      );
    }
  }
  return out;
}

/** The team's top passer, rusher and receiver (each once), with their main line. */
function footballPerformers(c: Context, team: TeamFacts): string[] {
  const players = c.event.game.players.filter((p) => p.teamId === team.id && !p.didNotPlay);
  const best = (key: string): PlayerFacts | undefined =>
    players
      .filter((p) => (p.stats[key] ?? 0) > 0)
      .sort((a, b) => (b.stats[key] ?? 0) - (a.stats[key] ?? 0))[0];
  const chosen: PlayerFacts[] = [];
  for (const key of ['passing.passingYards', 'rushing.rushingYards', 'receiving.receivingYards']) {
    const p = best(key);
    if (p && !chosen.includes(p)) chosen.push(p);
  }
  const out: string[] = [];
  for (const p of chosen) {
    const line = statLine('football', p.stats);
    if (line) out.push(`${p.name}: ${line}.`);
  }
  return out;
}

function numbers(c: Context, result: ReturnType<typeof winnerOf>): string[] {
  const out: string[] = [];
  const decisive = result ? decisivePeriod(c, result.winner, result.loser) : undefined;
  if (decisive && result) {
    out.push(
      `The ${result.winner.name} outscored the ${result.loser.name} ${decisive.won}-${decisive.lost} in ${periodPhrase(c, decisive.period)}.`,
    );
  }
  if (c.sport === 'basketball') {
    const first = result?.winner ?? c.home;
    for (const team of [first, first.id === c.home.id ? c.away : c.home]) {
      const s = shooting(team.stats);
      if (s) out.push(`The ${team.name} shot ${s}.`);
    }
  }
  return out;
}

/** The period the winner won by the most (the earliest on a tie); undefined when it won none. */
function decisivePeriod(
  c: Context,
  winner: TeamFacts,
  loser: TeamFacts,
): { period: number; won: number; lost: number } | undefined {
  // Line scores must add up to the final score, or they are not to be trusted.
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (sum(winner.linescores) !== scoreOf(c, winner) || sum(loser.linescores) !== scoreOf(c, loser))
    return undefined;
  let best: { period: number; won: number; lost: number } | undefined;
  winner.linescores.forEach((won, i) => {
    const lost = loser.linescores[i];
    if (lost === undefined || won <= lost) return;
    if (!best || won - lost > best.won - best.lost) best = { period: i + 1, won, lost };
  });
  return best;
}

/** "54.1% from the field and 17-of-33 from three", from makes and attempts; undefined without them. */
function shooting(stats: StatLine): string | undefined {
  const fgm = stats.fieldGoalsMade;
  const fga = stats.fieldGoalsAttempted;
  if (fgm === undefined || fga === undefined || fga <= 0) return undefined;
  const pct = `${(Math.round((fgm / fga) * 1000) / 10).toFixed(1)}% from the field`;
  const tpm = stats.threePointFieldGoalsMade;
  const tpa = stats.threePointFieldGoalsAttempted;
  return tpm !== undefined && tpa !== undefined && tpa > 0 ? `${pct} and ${tpm}-of-${tpa} from three` : pct;
}
