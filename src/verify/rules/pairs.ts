import type { ScoreLine } from '../grounding.ts';
import type { Span } from '../text.ts';
import {
  addClaim,
  addPairClaims,
  formatScore,
  type Grounding,
  isFree,
  type RuleContext,
  scoreOf,
  sentenceAt,
  subjectOf,
  teamOf,
} from './context.ts';
import { findPeriods } from './game-time.ts';
import { teamActions } from './outcome-words.ts';
import { shootingClaim } from './shooting.ts';

const PAIR = /(?<![\d.:/-])(\d{1,3})\s*([-–—]|to)\s*(\d{1,3})(?![\d%]|\s*[-–—/]\s*\d|:\d)/g;
const SPLIT = /(?<![\d.:/-])(\d{1,3})(?:[- ](?:of|for)[- ]|\/)(\d{1,3})(?![\d%/]|-\d)/g;
const RUN_AFTER = /^\s*(?:scoring\s+|unanswered\s+)?(?:run|spurt|burst|surge|streak|blitz|flurry)\b/i;
const SHOOTING_AFTER =
  /^\s*(?:shooting|from\s+(?:the\s+)?(?:field|floor|three|3|deep|downtown|beyond the arc|(?:free[- ]throw\s+)?line|(?:charity\s+)?stripe)|FG|3PT|3-?pt|FT|on\s+(?:threes|3s|3-pointers|free throws|field goals)|passing|through the air|on field goals)/i;
const RECORD_BEFORE =
  /\b(?:improv\w*|mov\w*|fall\w*|fell|drop\w*|climb\w*|slip\w*|even\w*)\s+to\s*$|\brecord\s+(?:of\s+|to\s+|at\s+|is\s+|now\s+)?$|\(\s*$/i;
const RECORD_AFTER =
  /^\s*(?:\)|record|on the (?:season|year)|overall|this season|in the (?:regular season|playoffs)|at home|on the road|in road games|in home games)/i;

/**
 * Pairs of numbers: scores ("125-108", "leads 54-50"), runs ("10-0 run"),
 * records ("improve to 50-32", "(2-0)"), series ("lead the series 3-2") and
 * shooting splits ("10-of-18", "14/25 passing", delegated to {@link shootingClaim}).
 */
export function pairClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(SPLIT)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (isFree(ctx, span)) shootingClaim(ctx, span, Number(m[1]), Number(m[2]));
  }
  for (const m of ctx.text.matchAll(PAIR)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const a = Number(m[1]);
    const b = Number(m[3]);
    const sentence = sentenceAt(ctx, span.start);
    const before = ctx.text.slice(sentence?.start ?? 0, span.start);
    const after = ctx.text.slice(span.end, sentence?.end ?? ctx.text.length);
    if (RUN_AFTER.test(after)) runClaim(ctx, span, a, b);
    else if (TEAM_STAT_BATTLE.test(sentence?.text ?? '')) teamStatPairClaim(ctx, span, a, b);
    else if (SHOOTING_AFTER.test(after)) shootingClaim(ctx, span, a, b);
    else if (/\bseries\b/i.test(sentence?.text ?? '')) seriesClaim(ctx, span, a, b);
    else if (RECORD_BEFORE.test(before) || RECORD_AFTER.test(after)) recordClaim(ctx, span, a, b);
    else if (m[2] === 'to' && !/\b(?:win|won|beat|lead|led|loss|lost|fell|falls?)\w*\s*$/i.test(before))
      continue;
    else scoreClaim(ctx, span, a, b);
  }
}

/** "Rebounding was key, as they won that battle, 46-34": a pair of team totals, not the score. */
const TEAM_STAT_BATTLE =
  /\b(?:rebound\w*|boards|assists|turnovers)\b.*\b(?:battle|edge|advantage|margin)\b|\bout[- ]?rebound\w*/i;
const BATTLE_STATS: readonly [RegExp, string][] = [
  [/\b(?:rebound\w*|boards)\b/i, 'rebounds'],
  [/\bassists\b/i, 'assists'],
  [/\bturnovers\b/i, 'turnovers'],
];

function teamStatPairClaim(ctx: RuleContext, span: Span, a: number, b: number): void {
  const sentence = sentenceAt(ctx, span.start);
  const key = BATTLE_STATS.find(([re]) => re.test(sentence?.text ?? ''))?.[1] ?? 'rebounds';
  const [first, second] = ctx.facts.teams;
  const x = first ? ctx.facts.teamStat(first.id, key) : undefined;
  const y = second ? ctx.facts.teamStat(second.id, key) : undefined;
  let grounding: Grounding;
  if (!first || !second || x === undefined || y === undefined)
    grounding = { status: 'unverifiable', expected: `no team ${key} in the facts` };
  else if ((x === a && y === b) || (x === b && y === a)) {
    grounding = {
      status: 'supported',
      groundedIn: `${key}: ${first.displayName} ${x}, ${second.displayName} ${y}`,
    };
    // "the Pacers winning that battle": the team said to win it must have more (fewer turnovers are no battle won).
    const subject = subjectOf(ctx, span, ['team']);
    const winner = x > y ? first : y > x ? second : undefined;
    const claim = subject
      ? ctx.claims.find((c) => c.kind === 'team' && c.start === subject.start && c.end === subject.end)
      : undefined;
    if (
      key !== 'turnovers' &&
      winner &&
      subject?.id &&
      subject.id !== winner.id &&
      claim?.status === 'supported'
    ) {
      claim.status = 'contradicted';
      delete claim.groundedIn;
      claim.expected = `${winner.displayName} had more ${key}, ${Math.max(x, y)}-${Math.min(x, y)}`;
      ctx.types.set(claim, 'NAME');
    }
  } else
    grounding = {
      status: 'contradicted',
      expected: `${key}: ${first.displayName} ${x}, ${second.displayName} ${y}`,
    };
  addClaim(ctx, 'number', span, grounding);
}

function runClaim(ctx: RuleContext, span: Span, a: number, b: number): void {
  const run = ctx.facts.run();
  let grounding: Grounding;
  if (!run) grounding = { status: 'unverifiable', expected: 'no run in the facts' };
  else if (run.points === Math.max(a, b) && run.against === Math.min(a, b))
    grounding = { status: 'supported', groundedIn: `run = ${run.points}-${run.against}` };
  else grounding = { status: 'contradicted', expected: `a ${run.points}-${run.against} run` };
  const subject = subjectOf(ctx, span, ['team']);
  if (grounding.status === 'supported' && run && subject?.id && run.teamId && subject.id !== run.teamId) {
    const team = teamOf(ctx, run.teamId);
    grounding = {
      status: 'contradicted',
      expected: `the ${run.points}-${run.against} run was by ${team?.displayName}`,
    };
  }
  addClaim(
    ctx,
    'number',
    {
      start: span.start,
      end: span.end + (/^\s*\S*\s*run\b/i.exec(ctx.text.slice(span.end))?.[0].length ?? 0),
    },
    grounding,
  );
}

function seriesClaim(ctx: RuleContext, span: Span, a: number, b: number): void {
  const note = ctx.facts.note;
  const said = new RegExp(`\\b(?:${a}-${b}|${b}-${a})\\b`);
  const grounding: Grounding = !note
    ? { status: 'unverifiable', expected: 'no series in the facts' }
    : said.test(note)
      ? { status: 'supported', groundedIn: `note: ${note}` }
      : { status: 'contradicted', expected: note };
  addClaim(ctx, 'record', span, grounding);
}

function recordClaim(ctx: RuleContext, span: Span, a: number, b: number): void {
  // The team the record belongs to: one named in the sentence (the nearest first), else either.
  const subject = subjectOf(ctx, span, ['team']);
  const sentence = sentenceAt(ctx, span.start);
  const named = ctx.mentions
    .filter(
      (m) =>
        m.kind === 'team' &&
        m.id !== undefined &&
        sentence &&
        m.start >= sentence.start &&
        m.end <= sentence.end,
    )
    .map((m) => m.id);
  // "the Cavaliers (33-34)": a record in parentheses right after a team is that team's alone.
  const owner = ctx.mentions.find(
    (m) => m.kind === 'team' && m.id !== undefined && /^\s*\(\s*$/.test(ctx.text.slice(m.end, span.start)),
  );
  const ids = owner ? [owner.id] : [...new Set([subject?.id, ...named].filter((id) => id !== undefined))];
  const said = `${a}-${b}`;
  let wrong: [boolean, boolean] | undefined;
  const teams = ids.length > 0 ? ctx.facts.teams.filter((t) => ids.includes(t.id)) : [...ctx.facts.teams];
  teams.sort((x, y) => (x.id === subject?.id ? -1 : y.id === subject?.id ? 1 : 0));
  const after = ctx.text.slice(span.end, span.end + 30);
  const split = /^\s*\)?\s*(?:at home|on the road|in road games|in home games|in the playoffs)/i.test(after);
  let grounding: Grounding = { status: 'unverifiable', expected: 'no record in the facts' };
  for (const team of teams) {
    const record = ctx.facts.record(team.id);
    if (record === undefined) continue;
    if (record.replace(/\s/g, '') === said) {
      grounding = { status: 'supported', groundedIn: `${team.displayName} record = ${record}` };
      break;
    }
    if (grounding.status !== 'unverifiable' || grounding.expected !== 'no record in the facts') continue;
    grounding = split
      ? {
          status: 'unverifiable',
          expected: `only the overall record is known (${team.displayName} ${record})`,
        }
      : { status: 'contradicted', expected: `${team.displayName} record is ${record}` };
    const [wins, losses] = record.split('-').map((x) => Number(x.trim()));
    wrong = [wins !== a, losses !== b];
  }
  addPairClaims(ctx, 'record', span, grounding, wrong);
}

/**
 * A score must be the score now (or final), or, when the sentence names a
 * period, the score after it or within it. Who is ahead must fit the words:
 * "Knicks lead 54-50" is contradicted when the Knicks have 50.
 */
function scoreClaim(ctx: RuleContext, span: Span, a: number, b: number): void {
  const sentence = sentenceAt(ctx, span.start);
  const candidates: ScoreLine[] = [];
  if (sentence) {
    for (const p of findPeriods(sentence.text, ctx.facts.regulationPeriods)) {
      const after = ctx.facts.scoreAfter(p.period);
      if (after) candidates.push(after);
      const within = p.form === 'single' ? ctx.facts.scoreIn(p.period) : undefined;
      if (within) candidates.push(within);
    }
  }
  const now = ctx.facts.score();
  candidates.push(now);
  const match = candidates.find((c) => (c.away === a && c.home === b) || (c.away === b && c.home === a));
  let grounding: Grounding;
  let wrong: [boolean, boolean] | undefined;
  if (!match) {
    // Against the candidate sharing most numbers with the pair ("30-16 in the third quarter" when the
    // third was 30-20: the 16 is the wrong number), the first named on a tie.
    const shared = (c: ScoreLine) =>
      (c.away === a || c.away === b ? 1 : 0) + (c.home === a || c.home === b ? 1 : 0);
    const expected = candidates.reduce(
      (best, c) => (shared(c) > shared(best) ? c : best),
      candidates[0] ?? now,
    );
    grounding = { status: 'contradicted', expected: formatScore(ctx, expected) };
    // "122-122" for 122-114: only the number that is no team's is wrong (both when neither is).
    const right = [expected.away, expected.home];
    wrong = [!right.includes(a), !right.includes(b)];
  } else {
    grounding = { status: 'supported', groundedIn: formatScore(ctx, match) };
    const clause = sentence
      ? (sentence.clauses.find((c) => c.start <= span.start && span.start < c.end) ?? sentence)
      : span;
    const action = teamActions(ctx, { start: clause.start, end: span.start }).at(-1);
    const team = teamOf(ctx, action?.subject.id);
    if (team && action && match.away !== match.home) {
      const own = scoreOf(ctx, match, team.id);
      const ahead = own === Math.max(a, b);
      const wantsAhead = action.sense === 'win' || action.sense === 'lead';
      if (ahead !== wantsAhead) grounding = { status: 'contradicted', expected: formatScore(ctx, match) };
    }
  }
  addPairClaims(ctx, 'score', span, grounding, wrong);
}
