import { addClaim, type Grounding, isFree, type RuleContext, sentenceAt } from './context.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Words that put a sentence after this game: the next game, a plan, a trip. */
const FUTURE =
  /\b(?:will|next|on deck|upcoming|look(?:s|ing)? to|await\w*|travel\w*|head(?:s|ing)?\s+(?:back|home|to|out|on)|return\w*|tomorrow|going to|set to|scheduled|visit(?:s|ing)?|then|again|both teams play|hosts? the|(?:'re|are) (?:home|back)|face)\b/i;

/**
 * Weekdays of this game: "on Wednesday", "Friday's contest". A weekday in a
 * sentence about the game (not one about the next game or a plan) must be the
 * day of the facts' local date; elsewhere it is unverifiable. A weekday is a
 * NAME in the accuracy task's types.
 */
export function weekdayClaims(ctx: RuleContext): void {
  const date = ctx.facts.localDate;
  const day = date ? DAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] : undefined;
  for (const m of ctx.text.matchAll(
    /\b(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)(?:['’]s)?\b/g,
  )) {
    const span = { start: m.index, end: m.index + (m[1]?.length ?? 0) };
    if (!isFree(ctx, span)) continue;
    const sentence = sentenceAt(ctx, m.index);
    const text = sentence?.text ?? '';
    let grounding: Grounding;
    if (!day) grounding = { status: 'unverifiable', expected: 'no game date in the facts' };
    else if (FUTURE.test(text))
      grounding = { status: 'unverifiable', expected: `about another game; this one was on ${day}` };
    else
      grounding =
        m[1] === day
          ? { status: 'supported', groundedIn: `date = ${date} (${day})` }
          : { status: 'contradicted', expected: `the game was on ${day} (${date})` };
    addClaim(ctx, 'date', span, grounding, 'NAME');
  }
}
