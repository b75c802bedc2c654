import type { Span } from '../text.ts';
import {
  addPairClaims,
  attribute,
  type Grounding,
  playerName,
  type RuleContext,
  sentenceAt,
  subjectOf,
  teamOf,
} from './context.ts';

interface Split {
  label: string;
  made: string;
  attempted: string;
  /** Team totals may use other names than the players' lines. */
  teamMade?: string;
  teamAttempted?: string;
}

const FIELD: Split = { label: 'field goals', made: 'fieldGoalsMade', attempted: 'fieldGoalsAttempted' };
const THREE: Split = {
  label: '3-pointers',
  made: 'threePointFieldGoalsMade',
  attempted: 'threePointFieldGoalsAttempted',
};
const FREE: Split = { label: 'free throws', made: 'freeThrowsMade', attempted: 'freeThrowsAttempted' };
const PASSING: Split = {
  label: 'completions',
  made: 'passing.completions',
  attempted: 'passing.passingAttempts',
  teamMade: 'completions',
  teamAttempted: 'passingAttempts',
};
const KICKING: Split = {
  label: 'field goals',
  made: 'kicking.fieldGoalsMade',
  attempted: 'kicking.fieldGoalAttempts',
};
const THIRD_DOWN: Split = {
  label: 'third-down conversions',
  made: 'thirdDownConversions',
  attempted: 'thirdDownAttempts',
};

/** Which split a "made of attempted" pair describes, from the words around it. */
function splitOf(ctx: RuleContext, span: Span): Split | undefined {
  const sentence = sentenceAt(ctx, span.start);
  const after = ctx.text.slice(span.end, Math.min(span.end + 40, sentence?.end ?? ctx.text.length));
  const before = ctx.text.slice(Math.max(sentence?.start ?? 0, span.start - 30), span.start);
  const around = `${before} ${after}`;
  if (ctx.facts.sport === 'football') {
    if (/third[- ]down/i.test(after)) return THIRD_DOWN;
    if (/field goals?|FGs?\b|kick/i.test(around)) return KICKING;
    return PASSING;
  }
  if (
    /^\s*(?:from\s+)?(?:the\s+)?(?:three|3|deep|downtown|long range|beyond the arc|distance|behind the arc|on threes|on 3s|on 3-pointers|3PT|3-?pt)/i.test(
      after,
    )
  )
    return THREE;
  if (
    /^\s*(?:from\s+)?(?:the\s+)?(?:(?:free[- ]throw\s+)?line|(?:charity\s+)?stripe|FT|on free throws)/i.test(
      after,
    )
  )
    return FREE;
  if (/^\s*(?:shooting|from the (?:field|floor)|FG|on field goals)/i.test(after)) return FIELD;
  if (/\bfrom (?:the )?(?:three|deep|3|long range)\b|\bthrees\b/i.test(after)) return THREE;
  if (/\bfree throws?\b|\bfrom the line\b/i.test(around)) return FREE;
  if (/\bshooting\b|\bshot\b|\bfield\b/i.test(around)) return FIELD;
  return undefined;
}

/**
 * "10-of-18 shooting", "went 3-for-5 from three", "8-11 from the line",
 * "14/25 passing": made and attempted must both match the player's (or the
 * team's) line.
 */
export function shootingClaim(ctx: RuleContext, span: Span, made: number, attempted: number): void {
  const split = splitOf(ctx, span);
  const subject = subjectOf(ctx, span, ['player', 'team']);
  let grounding: Grounding;
  let fits: ((id: string) => boolean | undefined) | undefined;
  let wrong: [boolean, boolean] | undefined;
  if (!split) grounding = { status: 'unverifiable', expected: 'which stat this pair counts is unclear' };
  else if (!subject || (subject.id === undefined && !subject.unknown))
    grounding = { status: 'unverifiable', expected: `whose ${split.label} these are is unclear` };
  else if (subject.unknown || subject.id === undefined)
    grounding = { status: 'unverifiable', expected: `${subject.text} is not in this game` };
  else {
    const isPlayer = subject.kind === 'player';
    const name = isPlayer
      ? playerName(ctx, subject.id)
      : (teamOf(ctx, subject.id)?.displayName ?? subject.text);
    const read = (key: string | undefined, fallback: string) =>
      isPlayer
        ? ctx.facts.playerStat(subject.id as string, fallback)
        : (ctx.facts.teamStat(subject.id as string, fallback) ??
          (key ? ctx.facts.teamStat(subject.id as string, key) : undefined));
    const readOf = (id: string, key: string | undefined, fallback: string) =>
      isPlayer
        ? ctx.facts.playerStat(id, fallback)
        : (ctx.facts.teamStat(id, fallback) ?? (key ? ctx.facts.teamStat(id, key) : undefined));
    const chosen = split;
    fits = (id) => {
      const mm = readOf(id, chosen.teamMade, chosen.made);
      const aa = readOf(id, chosen.teamAttempted, chosen.attempted);
      return mm === undefined || aa === undefined ? undefined : mm === made && aa === attempted;
    };
    const m = read(split.teamMade, split.made);
    const a = read(split.teamAttempted, split.attempted);
    if (m === undefined || a === undefined)
      grounding = { status: 'unverifiable', expected: `no ${split.label} for ${name}` };
    else if (m === made && a === attempted)
      grounding = {
        status: 'supported',
        groundedIn: `${name} ${split.label} = ${m}/${a} (${ctx.facts.source})`,
      };
    else {
      grounding = { status: 'contradicted', expected: `${name} made ${m} of ${a} ${split.label}` };
      wrong = [m !== made, a !== attempted];
    }
  }
  for (const claim of addPairClaims(ctx, 'number', span, grounding, wrong))
    if (fits) attribute(ctx, claim, subject, fits);
}
