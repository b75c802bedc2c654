import type { Claim, ClaimKind } from '../../domain/index.ts';
import type { FactLookup, ScoreLine, TeamRef } from '../grounding.ts';
import type { Mention } from '../mentions.ts';
import { overlaps, type Sentence, type Span, spanAt } from '../text.ts';

/**
 * What every claim rule sees: the draft, its sentences and mentions, the facts,
 * and the claims found so far. Rules run in a fixed order; a span a rule claims
 * is `taken`, so a later rule does not read the same digits again.
 */
export interface RuleContext {
  text: string;
  facts: FactLookup;
  sentences: Sentence[];
  mentions: Mention[];
  /** Spans that hold no claim (URLs, handles, times of day). */
  ignored: Span[];
  claims: Claim[];
  taken: Span[];
  /** The mistake type of a claim when its kind alone does not tell (a weekday is a NAME). */
  types: Map<Claim, MistakeType>;
  /** Stat claims with the player or team they were grounded against (see {@link attribute}). */
  attributions: Map<Claim, Attribution>;
  /**
   * Claims a mistake elsewhere explains: the numbers of a player who is the
   * wrong one. They stay contradicted, but are not reported as mistakes of their own.
   */
  subsumed: Set<Claim>;
}

/**
 * Who a stat claim was grounded against, and whether another player or team's
 * line would fit the same words: `fits(id)` is true when it does, false when
 * it does not, undefined when the facts do not know.
 */
export interface Attribution {
  subject: Mention;
  fits: (id: string) => boolean | undefined;
}

/** Records that `claim` was grounded against `subject` (for name-swap detection). */
export function attribute(
  ctx: RuleContext,
  claim: Claim,
  subject: Mention | undefined,
  fits: (id: string) => boolean | undefined,
): void {
  if (subject && (subject.id !== undefined || subject.unknown))
    ctx.attributions.set(claim, { subject, fits });
}

/** The accuracy shared task's types of mistakes the verifier reports. */
export type MistakeType = 'NUMBER' | 'NAME' | 'WORD' | 'CONTEXT';

/** Outcome of grounding one claim. */
export type Grounding =
  | { status: 'supported'; groundedIn: string }
  | { status: 'contradicted'; expected: string }
  | { status: 'unverifiable'; expected?: string };

export function isFree(ctx: RuleContext, span: Span): boolean {
  return !ctx.taken.some((t) => overlaps(t, span)) && !ctx.ignored.some((t) => overlaps(t, span));
}

/** Records a claim over `span` and marks the span taken. */
export function addClaim(
  ctx: RuleContext,
  kind: ClaimKind,
  span: Span,
  grounding: Grounding,
  type?: MistakeType,
): Claim {
  const claim: Claim = {
    kind,
    text: ctx.text.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    status: grounding.status,
  };
  if (grounding.status === 'supported') claim.groundedIn = grounding.groundedIn;
  else if (grounding.expected !== undefined) claim.expected = grounding.expected;
  ctx.claims.push(claim);
  ctx.taken.push(span);
  if (type) ctx.types.set(claim, type);
  return claim;
}

export function sentenceAt(ctx: RuleContext, at: number): Sentence | undefined {
  return spanAt(ctx.sentences, at);
}

const PRONOUN_PLAYER = /^(?:he|she|his|her|him)$/i;
const PRONOUN_TEAM = /^(?:they|their|them)$/i;

/**
 * The player or team a number at `span` is about: the nearest mention in the
 * same clause (players before teams, a preceding one before a following one,
 * "31 points from Siakam" reads the following one), then in the sentence, then
 * a pronoun's antecedent in the previous sentences ("He added 13 assists").
 */
export function subjectOf(
  ctx: RuleContext,
  span: Span,
  kinds: readonly ('player' | 'team')[],
): Mention | undefined {
  const sentence = sentenceAt(ctx, span.start);
  if (!sentence) return undefined;
  const clause = spanAt(sentence.clauses, span.start) ?? sentence;
  const after = ctx.text.slice(span.end, clause.end);
  const within = (s: Span) =>
    ctx.mentions.filter((m) => m.start >= s.start && m.end <= s.end && m.kind !== 'venue');
  const pick = (scope: Span): Mention | undefined => {
    const inScope = within(scope);
    for (const kind of kinds) {
      const ofKind = inScope.filter((m) => m.kind === kind);
      const fromBy = /^\s*(?:\S+\s+){0,2}?(?:from|by|for)\s+(?:the\s+)?$/i;
      const following = ofKind.filter((m) => m.start >= span.end);
      const next = following[0];
      if (next && fromBy.test(ctx.text.slice(span.end, next.start)) && after.length > 0) return next;
      const preceding = ofKind.filter((m) => m.end <= span.start);
      const last = preceding[preceding.length - 1];
      if (last) return last;
      if (next) return next;
    }
    return undefined;
  };
  // "Thomas' 23-point, 10-assist double-double paced the Celtics": a mention after the number in
  // its clause yields to a player named before it in the sentence, unless "from"/"by" points ahead.
  let found = pick(clause);
  if (found && found.start >= span.end && !fromByAhead(ctx, span, found)) {
    const before = within({ start: sentence.start, end: span.start }).filter(
      (m) => kinds.includes(m.kind as 'player' | 'team') && m.kind === 'player',
    );
    const last = before[before.length - 1];
    if (last && kinds.includes('player')) found = last;
  }
  found = found ?? pick(sentence);
  if (found) return found;
  // Pronouns: look back for the latest mention of the matching kind.
  const words = ctx.text.slice(sentence.start, span.start).match(/\p{L}+/gu) ?? [];
  const wantsPlayer = words.some((w) => PRONOUN_PLAYER.test(w)) && kinds.includes('player');
  const wantsTeam = words.some((w) => PRONOUN_TEAM.test(w)) && kinds.includes('team');
  if (!wantsPlayer && !wantsTeam) return undefined;
  const earlier = ctx.mentions.filter((m) => m.end <= sentence.start);
  for (let i = earlier.length - 1; i >= 0; i--) {
    const m = earlier[i];
    if (m && ((wantsPlayer && m.kind === 'player') || (wantsTeam && m.kind === 'team'))) return m;
  }
  return undefined;
}

function fromByAhead(ctx: RuleContext, span: Span, next: Mention): boolean {
  return /^\s*(?:\S+\s+){0,2}?(?:from|by|for)\s+(?:the\s+)?$/i.test(ctx.text.slice(span.end, next.start));
}

export function teamOf(ctx: RuleContext, id: string | undefined): TeamRef | undefined {
  return ctx.facts.teams.find((t) => t.id === id);
}

export function playerName(ctx: RuleContext, id: string | undefined): string {
  return ctx.facts.players.find((p) => p.id === id)?.name ?? '?';
}

/** "Indiana Pacers 125, New York Knicks 108" (away team first, as feeds write it). */
export function formatScore(ctx: RuleContext, score: ScoreLine): string {
  const away = ctx.facts.teams.find((t) => t.homeAway === 'away');
  const home = ctx.facts.teams.find((t) => t.homeAway === 'home');
  return `${away?.displayName ?? 'away'} ${score.away}, ${home?.displayName ?? 'home'} ${score.home} (${score.label})`;
}

export function scoreOf(ctx: RuleContext, score: ScoreLine, teamId: string): number {
  return teamOf(ctx, teamId)?.homeAway === 'home' ? score.home : score.away;
}

/**
 * Records a pair claim ("10-of-18", "33-34", "122-114") and takes its span.
 * When it is contradicted and `wrong` tells which of its two numbers the facts
 * disagree with, the claim covers only the wrong number, or there are two
 * claims when both are wrong (a mistake per number, as annotators count them).
 * Returns the claims made.
 */
export function addPairClaims(
  ctx: RuleContext,
  kind: ClaimKind,
  span: Span,
  grounding: Grounding,
  wrong?: readonly [boolean, boolean],
): Claim[] {
  const text = ctx.text.slice(span.start, span.end);
  const first = /^\d+/.exec(text);
  const last = /\d+$/.exec(text);
  if (grounding.status !== 'contradicted' || !wrong || !first || !last || (!wrong[0] && !wrong[1]))
    return [addClaim(ctx, kind, span, grounding)];
  const parts: Span[] = [];
  if (wrong[0]) parts.push({ start: span.start, end: span.start + first[0].length });
  if (wrong[1]) parts.push({ start: span.end - last[0].length, end: span.end });
  const claims = parts.map((part) => addClaim(ctx, kind, part, grounding));
  ctx.taken.push(span);
  return claims;
}
