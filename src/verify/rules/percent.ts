import {
  addClaim,
  attribute,
  type Grounding,
  isFree,
  playerName,
  type RuleContext,
  sentenceAt,
  subjectOf,
  teamOf,
} from './context.ts';

const KINDS = [
  {
    re: /\b(?:three|threes|3PT|3-?pt|3-point|three-point|deep|downtown|beyond the arc|long range|the arc|distance)\b/i,
    made: 'threePointFieldGoalsMade',
    att: 'threePointFieldGoalsAttempted',
    label: '3-point',
  },
  {
    re: /\b(?:free[- ]throws?|FT|the line|the stripe)\b/i,
    made: 'freeThrowsMade',
    att: 'freeThrowsAttempted',
    label: 'free-throw',
  },
  {
    re: /\b(?:field|floor|FG|shooting|shot)\b/i,
    made: 'fieldGoalsMade',
    att: 'fieldGoalsAttempted',
    label: 'field-goal',
  },
  {
    re: /\b(?:completion|completions|completed|passing|passes)\b/i,
    made: 'passing.completions',
    att: 'passing.passingAttempts',
    label: 'completion',
  },
] as const;

/**
 * Percentages of shooting or passing: "shot 54.1% from the field", "51.5
 * percent from three". Computed from made and attempted and compared at the
 * precision written ("54%" matches 54.1). Other percentages are unverifiable.
 */
export function percentClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(/(?<![\d.])(\d{1,3}(?:\.(\d+))?)\s*(?:%|percent\b)/gi)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const said = Number(m[1]);
    const decimals = m[2]?.length ?? 0;
    const sentence = sentenceAt(ctx, span.start);
    const around = ctx.text.slice(
      Math.max(sentence?.start ?? 0, span.start - 25),
      Math.min(sentence?.end ?? ctx.text.length, span.end + 30),
    );
    const after = ctx.text.slice(span.end, Math.min(sentence?.end ?? ctx.text.length, span.end + 30));
    const kind = KINDS.find((k) => k.re.test(after)) ?? KINDS.find((k) => k.re.test(around));
    const subject = subjectOf(ctx, span, ['player', 'team']);
    let grounding: Grounding = { status: 'unverifiable', expected: 'no fact for this percentage' };
    let fits: ((id: string) => boolean | undefined) | undefined;
    if (kind && subject?.id) {
      const isPlayer = subject.kind === 'player';
      const readOf = (id: string, k: string) =>
        isPlayer ? ctx.facts.playerStat(id, k) : ctx.facts.teamStat(id, k);
      const read = (k: string) => readOf(subject.id as string, k);
      fits = (id) => {
        const made = readOf(id, kind.made);
        const att = readOf(id, kind.att);
        if (made === undefined || att === undefined || att === 0) return undefined;
        return Math.abs(Number(((made / att) * 100).toFixed(decimals)) - said) < 1e-9;
      };
      const made = read(kind.made);
      const att = read(kind.att);
      const name = isPlayer
        ? playerName(ctx, subject.id)
        : (teamOf(ctx, subject.id)?.displayName ?? subject.text);
      if (made !== undefined && att !== undefined && att > 0) {
        const pct = (made / att) * 100;
        const shown = pct.toFixed(decimals);
        grounding =
          Math.abs(Number(shown) - said) < 1e-9
            ? { status: 'supported', groundedIn: `${name} ${kind.label} ${made}/${att} = ${pct.toFixed(1)}%` }
            : {
                status: 'contradicted',
                expected: `${name} ${kind.label} ${made}/${att} = ${pct.toFixed(1)}%`,
              };
      }
    }
    const claim = addClaim(ctx, 'number', span, grounding);
    if (fits) attribute(ctx, claim, subject, fits);
  }
}
