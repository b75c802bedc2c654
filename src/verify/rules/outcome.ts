import type { ScoreLine } from '../grounding.ts';
import {
  addClaim,
  formatScore,
  type Grounding,
  isFree,
  type RuleContext,
  scoreOf,
  teamOf,
} from './context.ts';
import { findPeriods } from './game-time.ts';
import { teamActions } from './outcome-words.ts';

const NOT_THE_GAME =
  /\b(?:series|quarter|half|period|inning|frame|season|division|conference|title|championship|tip|toss|battle)\b/i;

/**
 * Winner and loser wording: "Pacers beat the Knicks", "Knicks fall to the
 * Pacers", "Falcons win", "Pacers lead" (live). A win or a loss needs a final
 * game with that result; a lead needs the score now (or at the end of the
 * period the sentence names) to have that team ahead.
 */
export function outcomeClaims(ctx: RuleContext): void {
  for (const sentence of ctx.sentences) {
    for (const clause of sentence.clauses) {
      for (const action of teamActions(ctx, clause)) {
        if (!isFree(ctx, action.span)) continue;
        const after = ctx.text.slice(action.span.end, clause.end);
        // "win the third quarter", "lead the series": not the game's result.
        if (NOT_THE_GAME.test(after.slice(0, 40)) && !/^\s*\d/.test(after)) continue;
        const team = teamOf(ctx, action.subject.id);
        if (!team) continue;
        const periods = findPeriods(
          ctx.text.slice(sentence.start, sentence.end),
          ctx.facts.regulationPeriods,
        );
        let grounding: Grounding;
        if (action.sense === 'win' || action.sense === 'lose') {
          const winner = ctx.facts.winnerId();
          if (!ctx.facts.isFinal) {
            grounding = {
              status: 'contradicted',
              expected: `the game is not over (${formatScore(ctx, ctx.facts.score())})`,
            };
          } else if (winner === undefined) {
            grounding = {
              status: 'contradicted',
              expected: `the game ended tied (${formatScore(ctx, ctx.facts.score())})`,
            };
          } else {
            const won = winner === team.id;
            const right = action.sense === 'win' ? won : !won;
            const winnerName = teamOf(ctx, winner)?.displayName ?? winner;
            grounding = right
              ? {
                  status: 'supported',
                  groundedIn: `winner = ${winnerName} (${formatScore(ctx, ctx.facts.score())})`,
                }
              : {
                  status: 'contradicted',
                  expected: `${winnerName} won, ${formatScore(ctx, ctx.facts.score())}`,
                };
          }
        } else {
          // "lead ... in the 3rd quarter" while the 3rd is being played is about now.
          const current = (p: { period: number }) => p.period === ctx.facts.period && !ctx.facts.isFinal;
          const period = periods.find((p) => p.form === 'end') ?? periods.find((p) => !current(p));
          let score: ScoreLine | undefined;
          if (period) score = ctx.facts.scoreAfter(period.period);
          else if (!action.past || periods.length > 0) score = ctx.facts.score();
          if (!score) {
            grounding = { status: 'unverifiable', expected: 'no score at that moment in the facts' };
          } else {
            const own = scoreOf(ctx, score, team.id);
            const other = team.homeAway === 'home' ? score.away : score.home;
            const right = action.sense === 'lead' ? own > other : own < other;
            grounding = right
              ? { status: 'supported', groundedIn: formatScore(ctx, score) }
              : { status: 'contradicted', expected: formatScore(ctx, score) };
          }
        }
        addClaim(ctx, 'word', action.span, grounding);
      }
    }
  }
}

/**
 * "The Hawks defeated the Hawks", "the Hawks outscored the Hawks": a team set
 * against itself. Either name may be the wrong one, so the claim spans both; a
 * NAME mistake.
 */
export function sameTeamClaims(ctx: RuleContext): void {
  const teams = ctx.mentions.filter((m) => m.kind === 'team' && m.id !== undefined);
  for (let i = 1; i < teams.length; i++) {
    const a = teams[i - 1];
    const b = teams[i];
    if (!a || !b || a.id !== b.id) continue;
    const between = ctx.text.slice(a.end, b.start);
    if (
      !/^\s+(?:\p{L}+\s+){0,2}?(?:beat|beats|defeated|defeats|topped|outscored|outscores|outrebounded|edged|downed|routed|over|past|against|vs\.?|versus|and)\s+(?:the\s+)?$/iu.test(
        between,
      )
    )
      continue;
    const other = ctx.facts.teams.find((t) => t.id !== a.id);
    addClaim(
      ctx,
      'team',
      { start: a.start, end: b.end },
      {
        status: 'contradicted',
        expected: `a team does not play itself; the other team is the ${other?.displayName}`,
      },
      'NAME',
    );
  }
}
