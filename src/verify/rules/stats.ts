import type { Mention } from '../mentions.ts';
import { hintOf, type Reading, STAT_WORDS, senseOf } from '../stat-vocabulary.ts';
import { NUMBER_WORD_SOURCE, parseNumber, type Span } from '../text.ts';
import {
  addClaim,
  attribute,
  type Grounding,
  isFree,
  playerName,
  type RuleContext,
  scoreOf,
  sentenceAt,
  subjectOf,
  teamOf,
} from './context.ts';

const QUALIFIER =
  '(?:(over|more than|at least|north of|upwards of|nearly|almost|close to|about|around|under|fewer than|less than)\\s+)?';
/** Modifiers that make the number a part of the total we cannot check ("first-half points"). */
const PARTIAL =
  '(?:(?:first|second|1st|2nd)[- ]half|(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|bench|straight|consecutive|fast[- ]break|second[- ]chance|paint|unanswered|playoff|career|season)';
const NEUTRAL = '(?:total|combined|big|huge|key|more|clutch|efficient|hard-earned|crucial)';

/** "a steal", "an assist", "a pair of blocks": counts written as articles. */
const ARTICLE_COUNTS: Record<string, number> = {
  a: 1,
  an: 1,
  'a pair of': 2,
  'a couple of': 2,
  'a trio of': 3,
};
/** After "three-point", "12-point": a kind of shot or a margin, not a count of points. */
const NOT_A_COUNT =
  '(?![- ](?:range|line|shot|shots|shooting|attempts?|field|play|plays|percentage|arc|territory|land|try|tries|baskets?|jumpers?|lead|game|deficit|margin|win|loss|victory|defeat|cushion|edge|advantage|hole|run|spurt|(?:first|second|third|fourth|1st|2nd|3rd|4th)\\s+(?:quarter|half|period)))';

const STAT_RE = new RegExp(
  `(?<![\\p{L}\\p{N}.:/-])${QUALIFIER}(a pair of|a couple of|a trio of|an?|${NUMBER_WORD_SOURCE})(\\+)?(?:\\s*-\\s*|\\s+)?(?:(${PARTIAL})[- ]|${NEUTRAL}\\s+)?(${STAT_WORDS.map(([p]) => `(?:${p})`).join('|')})(?![\\p{L}\\p{N}])${NOT_A_COUNT}`,
  'giu',
);

/** Each stat word pattern compiled whole, to tell the sense of the word matched. */
const STAT_WORD_SENSES: readonly (readonly [RegExp, string])[] = STAT_WORDS.map(
  ([p, sense]) => [new RegExp(`^(?:${p})$`, 'iu'), sense] as const,
);

/** Words around a number that make it another game's or a season's ("averaging", "per game", "career"). */
const NOT_THIS_GAME =
  /\b(?:averag\w*|per game|on the (?:season|year)|this season|(?:his|their|its) last \w+ (?:games|outings|contests)|over (?:his|their) last|in (?:his|their) last|career(?![- ]high)|franchise|all[- ]time|previous|last (?:game|time|season|meeting)|prior)\b/i;

/** A verb right before "a/an <stat>" that describes one play ("hits a three", "commits a turnover"). */
const PLAY_VERB_BEFORE =
  /\b(?:makes?|made|hits?|sinks?|sank|drains?|drained|buries|buried|nails?|nailed|knocks? down|knocked down|converts?|converted|misses|missed|commits?|committed|forces?|forced|picks? up|picked up|draws?|drew|grabs?|grabbed|pulls? down|pulled down|swats?|swatted|blocks?|blocked|throws?|threw|tosses|tossed|catches|caught|kicks?|kicked)\s+$/i;

type Compare = (actual: number, said: number) => boolean;

function comparator(qualifier: string | undefined, plus: boolean): { test: Compare; words: string } {
  const q = (qualifier ?? '').toLowerCase();
  if (plus || q === 'at least' || q === 'upwards of') return { test: (x, n) => x >= n, words: 'at least' };
  if (q === 'over' || q === 'more than' || q === 'north of')
    return { test: (x, n) => x > n, words: 'more than' };
  if (q === 'under' || q === 'fewer than' || q === 'less than')
    return { test: (x, n) => x < n, words: 'fewer than' };
  if (q === 'nearly' || q === 'almost' || q === 'close to')
    return { test: (x, n) => x < n && x >= n * 0.85, words: 'nearly' };
  if (q === 'about' || q === 'around')
    return { test: (x, n) => Math.abs(x - n) <= Math.max(1, n * 0.1), words: 'about' };
  return { test: (x, n) => Math.abs(x - n) < 0.05, words: '' };
}

/**
 * Numbers with a stat word: "31 points", "13 dimes", "a 31-point night",
 * "151 passing yards", "three touchdowns", "30+ points", "over 100 rushing
 * yards". The number belongs to the nearest player or team ({@link subjectOf});
 * football yards and touchdowns read the verb around them ("threw for", "ran for").
 */
export function statClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(STAT_RE)) {
    const numberAt = m.index + m[0].indexOf(m[2] ?? '', (m[1] ?? '').length);
    const span = { start: m[1] ? m.index : numberAt, end: m.index + m[0].length };
    if (!isFree(ctx, { start: numberAt, end: numberAt + (m[2]?.length ?? 0) })) continue;
    const article = ARTICLE_COUNTS[(m[2] ?? '').toLowerCase()];
    const said = article ?? parseNumber(m[2] ?? '');
    const word = m[5] ?? '';
    // An article counts one only before a singular stat word ("a steal", not "a 12 points").
    if (article === 1 && (/s$/i.test(word) || m[1] || m[4])) continue;
    if (article !== undefined && /^(?:points?|pts|minutes|mins?)$/i.test(word)) continue;
    // "makes a free throw", "grabs a rebound": an action on one play, not a total for the game.
    if (article !== undefined && PLAY_VERB_BEFORE.test(ctx.text.slice(Math.max(0, m.index - 24), m.index)))
      continue;
    const sense = STAT_WORD_SENSES.find(([re]) => re.test(word))?.[1];
    if (said === undefined || sense === undefined) continue;
    const subject = subjectOf(ctx, span, ['player', 'team']);
    const sentence = sentenceAt(ctx, span.start);
    const from = subject && subject.end <= span.start ? subject.end : (sentence?.start ?? 0);
    const around = ctx.text.slice(from, Math.min(span.end + 25, sentence?.end ?? ctx.text.length));
    const stat = senseOf(sense, ctx.facts.sport, hintOf(around));
    const clause = sentence
      ? (sentence.clauses.find((c) => c.start <= span.start && span.start < c.end) ?? sentence)
      : span;
    if (m[4])
      addClaim(ctx, 'number', span, { status: 'unverifiable', expected: `the facts have no ${m[4]} split` });
    else if (
      NOT_THIS_GAME.test(ctx.text.slice(clause.start, clause.end)) ||
      NOT_THIS_GAME.test(sentence?.text ?? '')
    )
      addClaim(ctx, 'number', span, {
        status: 'unverifiable',
        expected: 'about other games or the season, not in the facts',
      });
    else if (!stat)
      addClaim(ctx, 'number', span, {
        status: 'unverifiable',
        expected: `no ${word} in ${ctx.facts.sport} facts`,
      });
    else
      addStatClaim(
        ctx,
        span,
        subject,
        stat.label,
        subject?.kind === 'team' ? stat.team : stat.player,
        said,
        comparator(m[1], m[3] === '+'),
      );
  }
}

function subjectProblem(
  ctx: RuleContext,
  subject: Mention | undefined,
  label: string,
): Grounding | undefined {
  if (!subject) return { status: 'unverifiable', expected: `whose ${label} these are is unclear` };
  if (subject.unknown) {
    const expected = `${subject.text} is not in this game`;
    return subject.unknown.contradicted
      ? { status: 'contradicted', expected }
      : { status: 'unverifiable', expected };
  }
  if (subject.id === undefined) {
    const names = (subject.candidates ?? []).map((id) => playerName(ctx, id)).join(' or ');
    return { status: 'unverifiable', expected: `"${subject.text}" could be ${names}` };
  }
  if (subject.kind === 'player' && ctx.facts.players.find((p) => p.id === subject.id)?.didNotPlay)
    return { status: 'contradicted', expected: `${playerName(ctx, subject.id)} did not play` };
  return undefined;
}

/** The values of `readings` for a player or team (`$score` is the team's score); readings the facts lack are left out. */
function readingValues(
  ctx: RuleContext,
  isPlayer: boolean,
  id: string,
  readings: readonly Reading[],
): { reading: Reading; value: number }[] {
  const values: { reading: Reading; value: number }[] = [];
  for (const reading of readings) {
    let total: number | undefined;
    for (const key of reading.keys) {
      const v =
        key === '$score'
          ? scoreOf(ctx, ctx.facts.score(), id)
          : isPlayer
            ? ctx.facts.playerStat(id, key)
            : ctx.facts.teamStat(id, key);
      if (v !== undefined) total = (total ?? 0) + v;
    }
    if (total !== undefined) values.push({ reading, value: total });
  }
  return values;
}

/**
 * Whether "`said` `readings`" fits another player's (or team's) line, of the
 * same kind as the claim's subject: the test behind name-swap detection.
 */
export function statFits(
  ctx: RuleContext,
  isPlayer: boolean,
  readings: readonly Reading[],
  said: number,
  compare: { test: Compare },
): (id: string) => boolean | undefined {
  return (id) => {
    if (isPlayer && ctx.facts.players.find((p) => p.id === id)?.didNotPlay) return false;
    const values = readingValues(ctx, isPlayer, id, readings);
    return values.length === 0 ? undefined : values.some((v) => compare.test(v.value, said));
  };
}

/** Grounds "`said` `label`" for `subject` against each reading; any match supports it. */
export function groundStat(
  ctx: RuleContext,
  subject: Mention | undefined,
  label: string,
  readings: readonly Reading[],
  said: number,
  compare: { test: Compare; words: string },
): Grounding {
  const problem = subjectProblem(ctx, subject, label);
  if (problem || !subject?.id) return problem ?? { status: 'unverifiable' };
  const id = subject.id;
  const isPlayer = subject.kind === 'player';
  const name = isPlayer ? playerName(ctx, id) : (teamOf(ctx, id)?.displayName ?? subject.text);
  const values = readingValues(ctx, isPlayer, id, readings);
  if (values.length === 0)
    return { status: 'unverifiable', expected: `no ${label} for ${name} in the facts` };
  const hit = values.find((v) => compare.test(v.value, said));
  if (hit)
    return {
      status: 'supported',
      groundedIn: `${name} ${hit.reading.label} = ${hit.value} (${ctx.facts.source})`,
    };
  const best = values.find((v) => v.value !== 0) ?? values[0];
  return { status: 'contradicted', expected: `${name} had ${best?.value} ${best?.reading.label}` };
}

/** {@link groundStat}, recorded as a claim over `span` with its attribution. */
function addStatClaim(
  ctx: RuleContext,
  span: Span,
  subject: Mention | undefined,
  label: string,
  readings: readonly Reading[],
  said: number,
  compare: { test: Compare; words: string },
): void {
  const claim = addClaim(ctx, 'number', span, groundStat(ctx, subject, label, readings, said, compare));
  attribute(ctx, claim, subject, statFits(ctx, subject?.kind === 'player', readings, said, compare));
}

/**
 * Slash lines "21/6/13" or "21-6-13" (points, rebounds, assists) in basketball:
 * one claim per number.
 */
export function slashLineClaims(ctx: RuleContext): void {
  if (ctx.facts.sport !== 'basketball') return;
  const re = /(?<![\d.:/-])(\d{1,3})([/-])(\d{1,3})\2(\d{1,3})(?:\2(\d{1,3}))?(?![\d/-])/g;
  const senses = ['points', 'rebounds', 'assists'];
  for (const m of ctx.text.matchAll(re)) {
    const whole = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, whole)) continue;
    const subject = subjectOf(ctx, whole, ['player', 'team']);
    let at = m.index;
    [m[1], m[3], m[4], m[5]].forEach((digits, i) => {
      if (digits === undefined) return;
      const start = ctx.text.indexOf(digits, at);
      const span = { start, end: start + digits.length };
      at = span.end;
      const sense = senses[i];
      const stat = sense ? senseOf(sense, 'basketball', undefined) : undefined;
      if (stat)
        addStatClaim(
          ctx,
          span,
          subject,
          stat.label,
          subject?.kind === 'team' ? stat.team : stat.player,
          Number(digits),
          comparator(undefined, false),
        );
      else
        addClaim(ctx, 'number', span, {
          status: 'unverifiable',
          expected: 'a fourth number in a slash line is ambiguous',
        });
    });
  }
}

/** "double-double", "triple-double" (basketball): counts of ten or more in points, rebounds, assists, steals, blocks. */
export function doubleClaims(ctx: RuleContext): void {
  const re = /\b(near[- ]|nearly a |almost a )?(double|triple|quadruple)[- ]doubles?\b/gi;
  for (const m of ctx.text.matchAll(re)) {
    const span: Span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const need = { double: 2, triple: 3, quadruple: 4 }[(m[2] ?? '').toLowerCase() as 'double'] ?? 2;
    const near = m[1] !== undefined;
    const subject = subjectOf(ctx, span, ['player']);
    const problem =
      ctx.facts.sport !== 'basketball'
        ? { status: 'unverifiable' as const }
        : subjectProblem(ctx, subject, m[0]);
    if (problem || !subject?.id) {
      addClaim(ctx, 'number', span, problem ?? { status: 'unverifiable' });
      continue;
    }
    const id = subject.id;
    const line = ['points', 'rebounds', 'assists', 'steals', 'blocks'].map(
      (k) => [k, ctx.facts.playerStat(id, k) ?? 0] as const,
    );
    const tens = line.filter(([, v]) => v >= 10).length;
    const nines = line.filter(([, v]) => v >= 8).length;
    const ok = near ? tens < need && nines >= need : tens >= need;
    const summary = line.map(([k, v]) => `${v} ${k}`).join(', ');
    addClaim(
      ctx,
      'number',
      span,
      ok
        ? { status: 'supported', groundedIn: `${playerName(ctx, id)}: ${summary}` }
        : { status: 'contradicted', expected: `${playerName(ctx, id)} had ${summary}` },
    );
  }
}
