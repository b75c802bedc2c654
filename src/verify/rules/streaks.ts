import { NUMBER_WORD_SOURCE, ORDINAL_SOURCE, parseNumber } from '../text.ts';
import {
  addClaim,
  type Grounding,
  isFree,
  type RuleContext,
  sentenceAt,
  subjectOf,
  teamOf,
} from './context.ts';

const N = `(${NUMBER_WORD_SOURCE})`;
/** "have now won four of their last five", "has lost three straight", "won five in a row". */
const STREAK = new RegExp(
  `\\b(?:(?:have|has|'ve|'s)\\s+(?:now\\s+)?)?(won|lost)\\s+(?:${N}\\s+(?:of|out of)\\s+(?:their|its|the)\\s+(?:last|past)\\s+${N}|${N}(?:[- ](?:straight|consecutive)(?:\\s+games)?|\\s+(?:games\\s+)?in\\s+a\\s+row))`,
  'giu',
);
/** "a five-game winning streak", "their losing streak to three". */
const STREAK_NOUN = new RegExp(`\\b${N}[- ]game\\s+(winning|losing)\\s+streak`, 'giu');
/** "his second straight game", "their third double-double in a row": a run of games the facts do not hold. */
const IN_A_ROW = new RegExp(
  `\\b(${ORDINAL_SOURCE})\\s+(?:(?:straight|consecutive)\\b|(?:[\\p{L}-]+\\s+){1,3}?in\\s+a\\s+row\\b)`,
  'giu',
);

/** Words that put the streak before this game ("came in riding", "entered on"). */
const BEFORE_GAME = /\b(?:came in|coming in|entered|entering|riding|snapped|snap|ended|end|prior|before)\b/i;

/**
 * Streaks and recent form: "have now won four of their last five", "has lost
 * three straight", "a five-game winning streak". The facts hold this game and
 * the season record only, so such a claim is contradicted when they rule it
 * out (a winning streak "now" after losing this game, more wins than the
 * record has) and unverifiable otherwise. Streaks said to come before the game
 * ("came in riding a three-game losing streak") are only held to the record.
 */
export function streakClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(STREAK)) {
    const won = (m[1] ?? '').toLowerCase() === 'won';
    const countText = m[2] ?? m[4] ?? '';
    const count = parseNumber(countText);
    const of = m[3] !== undefined ? parseNumber(m[3]) : undefined;
    const at = m.index + m[0].toLowerCase().indexOf(countText.toLowerCase(), (m[1] ?? '').length);
    check(ctx, { start: at, end: at + countText.length }, won, count, of);
  }
  for (const m of ctx.text.matchAll(IN_A_ROW)) {
    const span = { start: m.index, end: m.index + (m[1] ?? '').length };
    if (isFree(ctx, span))
      addClaim(ctx, 'number', span, {
        status: 'unverifiable',
        expected: 'earlier games are not in the facts',
      });
  }
  for (const m of ctx.text.matchAll(STREAK_NOUN)) {
    const countText = m[1] ?? '';
    check(
      ctx,
      { start: m.index, end: m.index + countText.length },
      /winning/i.test(m[2] ?? ''),
      parseNumber(countText),
      undefined,
    );
  }
}

function check(
  ctx: RuleContext,
  span: { start: number; end: number },
  won: boolean,
  count: number | undefined,
  of: number | undefined,
): void {
  if (count === undefined || !isFree(ctx, span)) return;
  const sentence = sentenceAt(ctx, span.start);
  const team = subjectOf(ctx, span, ['team']);
  const record = team?.id ? ctx.facts.record(team.id) : undefined;
  const name = teamOf(ctx, team?.id)?.displayName;
  let grounding: Grounding = { status: 'unverifiable', expected: 'earlier games are not in the facts' };
  if (team?.id && record) {
    const [wins = 0, losses = 0] = record.split('-').map((x) => Number(x.trim()));
    const needWins = won ? count : of !== undefined ? of - count : 0;
    const needLosses = won ? (of !== undefined ? of - count : 0) : count;
    const before = BEFORE_GAME.test(ctx.text.slice(sentence?.start ?? 0, span.start));
    const winner = ctx.facts.winnerId();
    // A streak "now" (no "of their last") includes this game: its result must be the streak's.
    const resultBreaks = !before && of === undefined && winner !== undefined && (winner === team.id) !== won;
    if (needWins > wins || needLosses > losses)
      grounding = { status: 'contradicted', expected: `${name} are ${record} on the season` };
    else if (resultBreaks)
      grounding = {
        status: 'contradicted',
        expected: `${name} ${winner === team.id ? 'won' : 'lost'} this game`,
      };
  }
  addClaim(ctx, 'number', span, grounding);
}
