import type { Mention } from '../mentions.ts';
import { ORDINAL_SOURCE, parseOrdinal, type Span } from '../text.ts';
import { addClaim, isFree, type RuleContext, sentenceAt, subjectOf, teamOf } from './context.ts';
import { findPeriods, type PeriodMention } from './game-time.ts';

/** Points of `teamId` over the periods a mention covers; undefined when the line scores do not reach. */
function pointsIn(ctx: RuleContext, teamId: string, p: PeriodMention): number | undefined {
  const from = p.form === 'half' ? (p.from ?? 1) : p.period;
  const to = p.period;
  const home = teamOf(ctx, teamId)?.homeAway === 'home';
  let total = 0;
  for (let n = from; n <= to; n++) {
    const s = ctx.facts.scoreIn(n);
    if (!s) return undefined;
    total += home ? s.home : s.away;
  }
  return total;
}

const OUTSCORE = /\bout[- ]?scor(?:e|es|ed|ing)\b/gi;

/**
 * Scoring by period, from the line scores:
 *
 * - "the Celtics outscored the Lakers 33-21 in the second quarter": the team
 *   before the verb must have scored more than the one after it in the
 *   period(s) the sentence names; otherwise the verb is a WORD mistake (the
 *   numbers are the pair rule's). When the pair written is that period's
 *   score with the teams swapped, the team after the verb is the mistake (NAME).
 *   A tied period is left alone.
 * - "a 38-point first quarter": the team's points in that quarter (NUMBER).
 * - "were able to pull away (in the second half)": the team won, and
 *   outscored the other in the part of the game named (WORD).
 */
export function periodScoringClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(OUTSCORE)) {
    const span: Span = { start: m.index, end: m.index + m[0].length };
    const sentence = sentenceAt(ctx, span.start);
    if (!sentence || !isFree(ctx, span)) continue;
    const periods = findPeriods(sentence.text, ctx.facts.regulationPeriods).filter(
      (p) => p.form === 'single' || p.form === 'half',
    );
    if (periods.length !== 1) continue;
    const period = periods[0] as PeriodMention;
    const object = ctx.mentions.find(
      (x) =>
        x.kind === 'team' &&
        x.id !== undefined &&
        x.start >= span.end &&
        /^\s*(?:the\s+)?$/i.test(ctx.text.slice(span.end, x.start)),
    );
    const subject = subjectOf(ctx, span, ['team']);
    const doer: Mention | undefined =
      subject && subject.end <= span.start && subject.id !== object?.id ? subject : undefined;
    const own = doer?.id ?? ctx.facts.teams.find((t) => t.id !== object?.id && object)?.id;
    const other = object?.id ?? ctx.facts.teams.find((t) => t.id !== doer?.id && doer)?.id;
    if (own === undefined || other === undefined || own === other) continue;
    const a = pointsIn(ctx, own, period);
    const b = pointsIn(ctx, other, period);
    if (a === undefined || b === undefined) continue;
    const name = (id: string) => teamOf(ctx, id)?.displayName ?? id;
    if (a === b) continue;
    // The pair written matches the period with the teams the other way round: a team name is wrong.
    const pair =
      /^\s*(?:\(\s*\d+\s*-\s*\d+\s*\)\s*)?,?\s*(?:by\s+(?:a\s+)?)?(\d{1,3})\s*-\s*(\d{1,3})\b/.exec(
        ctx.text.slice(object?.end ?? span.end, sentence.end),
      );
    const high = Math.max(Number(pair?.[1]), Number(pair?.[2]));
    const low = Math.min(Number(pair?.[1]), Number(pair?.[2]));
    if (a < b && object && pair && high === b && low === a) {
      const claim = ctx.claims.find(
        (c) => c.kind === 'team' && c.start === object.start && c.end === object.end,
      );
      if (claim && claim.status === 'supported') {
        claim.status = 'contradicted';
        delete claim.groundedIn;
        claim.expected = `${name(other)} outscored ${name(own)} ${b}-${a} there`;
        ctx.types.set(claim, 'NAME');
      }
      continue;
    }
    addClaim(
      ctx,
      'word',
      span,
      a > b
        ? {
            status: 'supported',
            groundedIn: `${name(own)} ${a}, ${name(other)} ${b} in that part of the game`,
          }
        : {
            status: 'contradicted',
            expected: `${name(own)} scored ${a}, ${name(other)} ${b} in that part of the game`,
          },
      'WORD',
    );
  }

  // "were able to pull away in the second half": the team won, and outscored the other team in that part.
  for (const m of ctx.text.matchAll(/\bpull(?:s|ed|ing)? away\b/gi)) {
    const span: Span = { start: m.index, end: m.index + m[0].length };
    const sentence = sentenceAt(ctx, span.start);
    if (!sentence || !isFree(ctx, span)) continue;
    const team = subjectOf(ctx, span, ['team']);
    if (team?.id === undefined || team.end > span.start) continue;
    const other = ctx.facts.teams.find((t) => t.id !== team.id);
    const winner = ctx.facts.winnerId();
    if (!other || winner === undefined) continue;
    const after = ctx.text.slice(span.end, sentence.end);
    const periods = findPeriods(after, ctx.facts.regulationPeriods).filter(
      (p) => (p.form === 'single' || p.form === 'half') && p.start < 20,
    );
    const name = (id: string) => teamOf(ctx, id)?.displayName ?? id;
    let expected: string | undefined;
    if (winner !== team.id) expected = `${name(winner)} won`;
    else if (periods[0]) {
      const a = pointsIn(ctx, team.id, periods[0]);
      const b = pointsIn(ctx, other.id, periods[0]);
      if (a !== undefined && b !== undefined && a < b)
        expected = `${name(team.id)} scored ${a}, ${name(other.id)} ${b} in that part of the game`;
    }
    addClaim(
      ctx,
      'word',
      span,
      expected
        ? { status: 'contradicted', expected }
        : { status: 'supported', groundedIn: `${name(team.id)} won and outscored ${name(other.id)} there` },
      'WORD',
    );
  }

  const quarter = new RegExp(
    `(?<![\\d.])(\\d{1,3})[- ]point (${ORDINAL_SOURCE})[- ](?:quarter|period)\\b`,
    'gi',
  );
  for (const m of ctx.text.matchAll(quarter)) {
    const digits = m[1] ?? '';
    const span = { start: m.index, end: m.index + digits.length };
    if (!isFree(ctx, span)) continue;
    const n = parseOrdinal(m[2] ?? '');
    const team = subjectOf(ctx, span, ['team']);
    if (n === undefined || team?.id === undefined) continue;
    const s = ctx.facts.scoreIn(n);
    if (!s) continue;
    const home = teamOf(ctx, team.id)?.homeAway === 'home';
    const actual = home ? s.home : s.away;
    const said = Number(digits);
    addClaim(
      ctx,
      'number',
      span,
      actual === said
        ? {
            status: 'supported',
            groundedIn: `${teamOf(ctx, team.id)?.displayName} scored ${actual} in period ${n}`,
          }
        : {
            status: 'contradicted',
            expected: `${teamOf(ctx, team.id)?.displayName} scored ${actual} in period ${n}`,
          },
    );
  }
}
