import type { ScoreLine } from '../grounding.ts';
import {
  addClaim,
  formatScore,
  type Grounding,
  isFree,
  playerName,
  type RuleContext,
  scoreOf,
  sentenceAt,
  subjectOf,
} from './context.ts';
import { findPeriods } from './game-time.ts';

const RESULT_WORDS = /^(?:win|victory|loss|defeat|blowout|rout|triumph)$/i;

function periodScores(ctx: RuleContext, at: number): ScoreLine[] {
  const sentence = sentenceAt(ctx, at);
  const out: ScoreLine[] = [];
  for (const p of findPeriods(sentence?.text ?? '', ctx.facts.regulationPeriods)) {
    const s = ctx.facts.scoreAfter(p.period);
    if (s) out.push(s);
  }
  return out;
}

/**
 * Margins: "a 17-point win", "won by 17", "lead by 4", "up 6". A result margin
 * must be the final margin. A lead margin must be the margin now (or after the
 * period the sentence names) or the team's largest lead; otherwise, since a lead
 * may have been held at another moment, it is unverifiable.
 */
export function marginClaims(ctx: RuleContext): void {
  const re =
    /(?<![\d.])(\d{1,2})[- ]point (win|victory|loss|defeat|blowout|rout|triumph|lead|deficit|hole|cushion|edge|advantage|margin|comeback)\b|\b(won|wins?|beat|beats|lost|loses?|lead|leads|leading|led|trail|trails|trailing|trailed|up|down|ahead)\s+(?:by\s+)?(\d{1,2})(?![\d-]|\s*[-–—]\s*\d)(?:\s+points?)?|\bby\s+(\d{1,2})(?![\d-]|\s*[-–—]\s*\d)(?:\s+points?)?/gi;
  for (const m of ctx.text.matchAll(re)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const digits = m[1] ?? m[4] ?? m[5] ?? '';
    const numberAt = m.index + m[0].indexOf(digits, m[3]?.length ?? 0);
    if (!isFree(ctx, { start: numberAt, end: numberAt + digits.length })) continue;
    if (m[3] && !/\bby\b/i.test(m[0]) && /^(?:won|wins?|beat|beats|lost|loses?)$/i.test(m[3])) continue;
    const margin = Number(digits);
    const word = (m[2] ?? m[3] ?? '').toLowerCase();
    const sentenceText = sentenceAt(ctx, span.start)?.text ?? '';
    const isResult =
      RESULT_WORDS.test(word) ||
      /^(?:won|wins?|beat|beats|lost|loses?)$/.test(word) ||
      (m[5] !== undefined &&
        /\b(?:won|wins?|beat|beats|defeat\w*|victory|lost|loses?|fell|falls?|top\w*|edge[sd]?|rout\w*)\b/i.test(
          sentenceText,
        ));
    const claimSpan = m[1] ? span : { start: numberAt, end: span.end };
    const now = ctx.facts.score();
    const diff = (s: ScoreLine) => Math.abs(s.home - s.away);
    let grounding: Grounding;
    if (isResult) {
      grounding = !ctx.facts.isFinal
        ? { status: 'contradicted', expected: `the game is not over (${formatScore(ctx, now)})` }
        : diff(now) === margin
          ? { status: 'supported', groundedIn: `final margin = ${diff(now)} (${formatScore(ctx, now)})` }
          : {
              status: 'contradicted',
              expected: `the final margin was ${diff(now)} (${formatScore(ctx, now)})`,
            };
    } else {
      const team = subjectOf(ctx, span, ['team']);
      const candidates = [...periodScores(ctx, span.start), now];
      const match = candidates.find((s) => diff(s) === margin);
      const largest = team?.id ? ctx.facts.largestLead(team.id) : undefined;
      if (match)
        grounding = { status: 'supported', groundedIn: `margin = ${margin} (${formatScore(ctx, match)})` };
      else if (largest === margin)
        grounding = { status: 'supported', groundedIn: `largest lead = ${largest}` };
      else
        grounding = {
          status: 'unverifiable',
          expected: `margin now is ${diff(now)} (${formatScore(ctx, now)})`,
        };
    }
    addClaim(ctx, 'number', claimSpan, grounding);
  }
}

/** "Pacers 125, Knicks 108": a number right after a team of the game is its score. */
export function teamScoreClaims(ctx: RuleContext): void {
  for (const mention of ctx.mentions) {
    if (mention.kind !== 'team' || mention.id === undefined) continue;
    const m = /^\s+(\d{1,3})(?![\d%:/-]|\.\d|\s*[-–—]\s*\d|\s*(?:\p{L}|\+))/u.exec(
      ctx.text.slice(mention.end),
    );
    if (!m) continue;
    const start = mention.end + m[0].length - (m[1]?.length ?? 0);
    const span = { start, end: mention.end + m[0].length };
    if (!isFree(ctx, span)) continue;
    const said = Number(m[1]);
    const candidates = [...periodScores(ctx, start), ctx.facts.score()];
    const match = candidates.find((s) => scoreOf(ctx, s, mention.id as string) === said);
    addClaim(
      ctx,
      'score',
      span,
      match
        ? { status: 'supported', groundedIn: formatScore(ctx, match) }
        : { status: 'contradicted', expected: formatScore(ctx, candidates[0] ?? ctx.facts.score()) },
    );
  }
}

/**
 * "a 35-yard touchdown", "39-yard field goal": the yards of one play. Matching
 * the event's play, or the player's longest of that kind, supports it; a
 * different length for the event's own player contradicts it; otherwise (another
 * play of the game) it is unverifiable from a box score.
 */
export function playYardClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(/(?<![\d.])(\d{1,3})[- ]yard(?:er)?\b(?!s)/gi)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const yards = Number(m[1]);
    const subject = subjectOf(ctx, span, ['player']);
    const play = ctx.facts.playYards();
    let grounding: Grounding = { status: 'unverifiable', expected: 'plays are not in the box score' };
    if (play && play.yards === yards)
      grounding = { status: 'supported', groundedIn: `play yards = ${yards}` };
    else if (subject?.id) {
      const longs = [
        'kicking.longFieldGoalMade',
        'rushing.longRushing',
        'receiving.longReception',
        'kickReturns.longKickReturn',
        'puntReturns.longPuntReturn',
        'punting.longPunt',
      ];
      const hit = longs.find((k) => ctx.facts.playerStat(subject.id as string, k) === yards);
      if (hit)
        grounding = { status: 'supported', groundedIn: `${playerName(ctx, subject.id)} ${hit} = ${yards}` };
      else if (play?.playerIds.includes(subject.id))
        grounding = { status: 'contradicted', expected: `the play went ${play?.yards} yards` };
    } else if (play) grounding = { status: 'contradicted', expected: `the play went ${play.yards} yards` };
    addClaim(ctx, 'number', span, grounding);
  }
}
