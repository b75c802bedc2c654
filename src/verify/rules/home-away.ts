import type { Mention } from '../mentions.ts';
import type { Span } from '../text.ts';
import { addClaim, isFree, type RuleContext, sentenceAt, subjectOf, teamOf } from './context.ts';

/** Words that move a sentence to another game (the next one, the season). */
const OTHER_GAME =
  /\b(?:will|next|heads?|headed|travels?|on deck|look to|looks to|remain|remains|await|awaits|return|returns|upcoming|season|this year|straight|in a row|of their last)\b/i;

/** "the host Raptors", "the visiting Jazz": the word right before a team. */
const BEFORE_TEAM = /\b(?:(host|hosting|home)|(visiting|road))\s+$/i;

/** Words after which the team they are said of played at home (or away). */
const HOME_WORDS =
  /\b(?:in front of (?:their|its) (?:own )?(home) (?:crowd|fans)|on (?:their|its) (home) (?:court|floor)|(home) (?:win|victory|triumph|loss|defeat))\b/gi;
const ROAD_WORDS =
  /\b(?:(road) (?:win|victory|triumph|loss|defeat)|(?:win|victory|triumph|loss|defeat) (on the road)|(?:win|won|victory|triumph) (away from home))\b/gi;

/**
 * Home and away words about this game, against which team was at home:
 * "defeated the host Raptors", "the visiting Jazz", "a huge road win",
 * "in front of their home crowd". Sentences about other games (the next one,
 * the season's record) are left alone. A WORD mistake on the home/away word;
 * but a win at home (or away) said of the loser when the winner played there
 * is a wrong team name (NAME).
 */
export function homeAwayClaims(ctx: RuleContext): void {
  for (const mention of ctx.mentions) {
    if (mention.kind !== 'team' || mention.id === undefined) continue;
    const sentence = sentenceAt(ctx, mention.start);
    if (!sentence || OTHER_GAME.test(sentence.text)) continue;
    const m = BEFORE_TEAM.exec(ctx.text.slice(Math.max(sentence.start, mention.start - 20), mention.start));
    if (!m) continue;
    const word = m[1] ?? m[2] ?? '';
    const start = mention.start - m[0].length;
    check(ctx, { start, end: start + word.length }, mention.id, m[1] !== undefined ? 'home' : 'away');
  }
  for (const [re, side] of [
    [HOME_WORDS, 'home'],
    [ROAD_WORDS, 'away'],
  ] as const) {
    for (const m of ctx.text.matchAll(re)) {
      const sentence = sentenceAt(ctx, m.index);
      if (!sentence || OTHER_GAME.test(sentence.text)) continue;
      const word = m.slice(1).find((g) => g !== undefined) ?? m[0];
      const start = m.index + m[0].indexOf(word);
      const span = { start, end: start + word.length };
      const team = subjectOf(ctx, { start: m.index, end: m.index + m[0].length }, ['team']);
      if (team?.id === undefined) continue;
      // "..., allowing them to coast to a victory": a pronoun of its own clause decides, not a team before it.
      const clause = sentence.clauses.find((c) => c.start <= m.index && m.index < c.end) ?? sentence;
      if (team.end <= clause.start && /\b(?:they|them)\b/i.test(ctx.text.slice(clause.start, m.index)))
        continue;
      // "the Bucks prevailed with a road win" when the visitors who won were the other team: the name is wrong.
      const winner = ctx.facts.winnerId();
      const victory = /\b(?:win|won|victory|triumph)\b/i.test(m[0]);
      if (victory && winner !== undefined && winner !== team.id && teamOf(ctx, winner)?.homeAway === side) {
        wrongTeam(ctx, team, winner);
        continue;
      }
      check(ctx, span, team.id, side);
    }
  }
}

function wrongTeam(ctx: RuleContext, team: Mention, winner: string): void {
  const claim = ctx.claims.find((c) => c.kind === 'team' && c.start === team.start && c.end === team.end);
  if (claim?.status !== 'supported') return;
  claim.status = 'contradicted';
  delete claim.groundedIn;
  claim.expected = `${teamOf(ctx, winner)?.displayName} won`;
  ctx.types.set(claim, 'NAME');
}

function check(ctx: RuleContext, span: Span, teamId: string, side: 'home' | 'away'): void {
  if (!isFree(ctx, span)) return;
  const team = teamOf(ctx, teamId);
  if (!team) return;
  addClaim(
    ctx,
    'word',
    span,
    team.homeAway === side
      ? {
          status: 'supported',
          groundedIn: `${team.displayName} played ${side === 'home' ? 'at home' : 'away'}`,
        }
      : {
          status: 'contradicted',
          expected: `${team.displayName} played ${team.homeAway === 'home' ? 'at home' : 'away'}`,
        },
    'WORD',
  );
}
