import type { Mention } from '../mentions.ts';
import { addClaim, isFree, playerName, type RuleContext, sentenceAt, teamOf } from './context.ts';

/**
 * "X was next", "X was right behind him": X ranks just below the player before.
 * ("X followed with" only continues the text's list: it ranks nobody.)
 */
const NEXT_CUE =
  /^\s+(?:was|were|is|came in|checked in)\s+(?:(next)|(right behind him|close behind|right behind|not far behind))\b/i;

/**
 * Words that continue a list of one team's players ("X added", "while X
 * chipped in", "X was next"): the player before is a teammate, unless a team
 * is named to switch sides.
 */
const CONTINUATION_CUE =
  /^\s+(?:(?:was|were)\s+(?:next|right behind him|close behind|the only other|also)|followed\b|added\b|chipped in\b|contributed\b|also\b|pitched in\b|rounded out\b|(?:led|paced) the (?:bench|second unit|reserves)\b)/i;

function points(ctx: RuleContext, id: string): number {
  return ctx.facts.playerStat(id, 'points') ?? 0;
}

/** The player mentioned last before `at` (in this sentence or the two before), with a known id. */
function previousPlayer(ctx: RuleContext, at: number): Mention | undefined {
  const sentence = sentenceAt(ctx, at);
  const index = sentence ? ctx.sentences.indexOf(sentence) : -1;
  const from = ctx.sentences[Math.max(0, index - 2)]?.start ?? 0;
  return ctx.mentions
    .filter((m) => m.kind === 'player' && m.id !== undefined && m.end <= at && m.start >= from)
    .at(-1);
}

/**
 * Sequence words about players, read against the box score:
 *
 * - "X was next with ...", "X was right behind him": X
 *   scored no more than the teammate named before, and no other teammate
 *   scored between them (ties allowed). A WORD mistake otherwise.
 * - "X added", "while X chipped in", "X was next" right after a player of the
 *   other team, with no team named in X's sentence: X is put in the wrong team
 *   (a CONTEXT mistake on X's name).
 */
export function sequenceClaims(ctx: RuleContext): void {
  for (const mention of ctx.mentions) {
    if (mention.kind !== 'player' || mention.id === undefined) continue;
    const self = ctx.facts.players.find((p) => p.id === mention.id);
    if (!self || self.didNotPlay) continue;
    const after = ctx.text.slice(mention.end, mention.end + 40);
    const sentence = sentenceAt(ctx, mention.start);
    if (!sentence) continue;
    const prefix = ctx.text.slice(sentence.start, mention.start);
    // X opens its sentence or its clause ("..., while X added").
    if (!/^(?:|.*(?:,\s*|\bwhile\s+|\band\s+))$/is.test(prefix)) continue;
    const previous = previousPlayer(ctx, mention.start);
    const other = previous?.id ? ctx.facts.players.find((p) => p.id === previous.id) : undefined;
    if (!previous || !other || other.id === self.id || other.didNotPlay) continue;

    if (CONTINUATION_CUE.test(after) && other.teamId !== self.teamId) {
      const teamNamed = ctx.mentions.some(
        (m) => m.kind === 'team' && m.start >= sentence.start && m.end <= sentence.end,
      );
      const between = ctx.mentions.some(
        (m) => m.kind === 'team' && m.start >= previous.end && m.end <= mention.start,
      );
      const nameClaim = ctx.claims.find(
        (c) => c.kind === 'player' && c.start === mention.start && c.end === mention.end,
      );
      if (!teamNamed && !between && nameClaim && nameClaim.status === 'supported') {
        nameClaim.status = 'contradicted';
        delete nameClaim.groundedIn;
        nameClaim.expected = `${self.name} plays for the ${teamOf(ctx, self.teamId)?.displayName}, not with ${other.name}`;
        ctx.types.set(nameClaim, 'CONTEXT');
      }
      continue;
    }

    const cue = NEXT_CUE.exec(after);
    if (!cue || other.teamId !== self.teamId) continue;
    const word = cue[1] ?? cue[2] ?? '';
    const start = mention.end + cue[0].lastIndexOf(word);
    const span = { start, end: start + word.length };
    if (!isFree(ctx, span)) continue;
    const mine = points(ctx, self.id);
    const theirs = points(ctx, other.id);
    const between = ctx.facts.players.filter(
      (p) =>
        p.teamId === self.teamId &&
        p.id !== self.id &&
        p.id !== other.id &&
        !p.didNotPlay &&
        points(ctx, p.id) > mine &&
        points(ctx, p.id) < theirs,
    );
    // Scoring more than the player before breaks the order of the text, not necessarily the rank.
    if (mine > theirs) continue;
    const ok = between.length === 0;
    addClaim(
      ctx,
      'superlative',
      span,
      ok
        ? {
            status: 'supported',
            groundedIn: `${playerName(ctx, self.id)} ${mine} points, next after ${other.name}'s ${theirs}`,
          }
        : {
            status: 'contradicted',
            expected: `${between.map((p) => p.name).join(', ')} scored between ${other.name} (${theirs}) and ${self.name} (${mine})`,
          },
      'WORD',
    );
  }
}
