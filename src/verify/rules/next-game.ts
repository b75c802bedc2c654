import { addClaim, isFree, type RuleContext, sentenceAt } from './context.ts';

/** "will travel to Charlotte", "They head to Minnesota": the place a team goes next (capitalised). */
const DESTINATION =
  /\b(?:[Tt]ravel(?:s|ed|ing|led|ling)?|[Hh]ead(?:s|ed|ing)?(?: back)?|[Rr]eturn(?:s|ed|ing)?|trip) to ((?:[A-Z][\p{L}.'’-]*)(?: [A-Z][\p{L}.'’-]*)*)/gu;

/**
 * Where a later game is played: "head back home", "a road matchup", "on the road", "play host to";
 * not "home run", "home crowd", "road win" and the like, which are other words.
 */
const VENUE_WORD =
  /\b(on the road|road|home|host|hosts|hosting)\b(?![\s-]+(?:crowd|court|floor|fans|ice|field|turf|wins?|victory|loss(?:es)?|defeat|runs?|plate|stretch|team|side|record|stand)\b)/gi;

/**
 * Words that put a sentence after this game, stricter than the weekday rule's: the sentence must say
 * so itself ("will", "next", "on deck", "head back", "remain", "look to"), not through the venue word
 * ("Falcons host the Packers" is this game).
 */
const LATER =
  /\b(?:will|next|on deck|upcoming|look(?:s|ing)? to|await\w*|travel\w*|head(?:s|ed|ing)?\s+(?:back|home|to|out|on)|return\w*|tomorrow|going to|set to|scheduled|remain\w*|again)\b/i;

/**
 * Claims about a later game (the next one, a trip) that a box score cannot check: where it is played
 * ("head back home", "a road matchup", "will host") in a sentence about a later game, and the place a
 * team travels to ("will travel to Cleveland"). Both are unverifiable: a schedule would be needed. A
 * venue word is a WORD, a destination a NAME, in the accuracy task's types.
 */
export function nextGameClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(DESTINATION)) {
    const place = m[1] ?? '';
    const start = m.index + m[0].length - place.length;
    const span = { start, end: start + place.length };
    if (!isFree(ctx, span)) continue;
    addClaim(
      ctx,
      'venue',
      span,
      { status: 'unverifiable', expected: 'a later game is not in the facts' },
      'NAME',
    );
  }
  for (const sentence of ctx.sentences) {
    for (const m of sentence.text.matchAll(VENUE_WORD)) {
      const rest = `${sentence.text.slice(0, m.index)} _ ${sentence.text.slice(m.index + m[0].length)}`;
      if (!LATER.test(rest)) continue;
      const span = { start: sentence.start + m.index, end: sentence.start + m.index + m[0].length };
      if (!isFree(ctx, span) || sentenceAt(ctx, span.start) !== sentence) continue;
      addClaim(
        ctx,
        'word',
        span,
        { status: 'unverifiable', expected: 'where a later game is played is not in the facts' },
        'WORD',
      );
    }
  }
}
