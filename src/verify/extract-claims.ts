import type { Claim, ClaimKind } from '../domain/index.ts';
import { type FactLookup, factLookup, type GroundingContext } from './grounding.ts';
import { findMentions } from './mentions.ts';
import { attributionClaims } from './rules/attribution.ts';
import type { MistakeType, RuleContext } from './rules/context.ts';
import { dateClaims, leftoverNumbers } from './rules/dates.ts';
import { gameTimeClaims } from './rules/game-time.ts';
import { homeAwayClaims } from './rules/home-away.ts';
import { marginClaims, playYardClaims, teamScoreClaims } from './rules/margins.ts';
import { nameClaims } from './rules/names.ts';
import { nextGameClaims } from './rules/next-game.ts';
import { outcomeClaims, sameTeamClaims } from './rules/outcome.ts';
import { pairClaims } from './rules/pairs.ts';
import { percentClaims } from './rules/percent.ts';
import { periodLengthClaims } from './rules/period-length.ts';
import { periodScoringClaims } from './rules/period-scoring.ts';
import { roleClaims } from './rules/roles.ts';
import { sequenceClaims } from './rules/sequence.ts';
import { doubleClaims, slashLineClaims, statClaims } from './rules/stats.ts';
import { streakClaims } from './rules/streaks.ts';
import { weekdayClaims } from './rules/weekdays.ts';
import { nonClaimSpans, splitSentences } from './text.ts';

/**
 * The rules, in the order they read the draft. Earlier rules take their spans
 * so later ones do not read the same digits: clocks before scores ("4:31"),
 * pairs before single numbers ("125-108"), margins before stats ("17-point
 * win" is no player's points), and every number left over last.
 */
const RULES: readonly ((ctx: RuleContext) => void)[] = [
  nameClaims,
  sameTeamClaims,
  gameTimeClaims,
  periodLengthClaims,
  dateClaims,
  weekdayClaims,
  nextGameClaims,
  slashLineClaims,
  pairClaims,
  periodScoringClaims,
  marginClaims,
  playYardClaims,
  percentClaims,
  streakClaims,
  doubleClaims,
  roleClaims,
  sequenceClaims,
  statClaims,
  teamScoreClaims,
  outcomeClaims,
  homeAwayClaims,
  attributionClaims,
  leftoverNumbers,
];

/**
 * Finds every claim of `text` and grounds it in the context's facts (the
 * event's box score so far when there is an event). Returns the claims in the
 * order of the text, each with its span, status, and `groundedIn` (supported)
 * or `expected` (what the facts say instead, when known).
 *
 * Numbers inside URLs, handles, hashtags and times of day are not claims.
 * A number no rule can read is an `unverifiable` claim: the verifier never
 * assumes a number it cannot ground is right.
 */
export function extractClaims(text: string, ctx: GroundingContext): Claim[] {
  return extractClaimsWith(text, factLookup(ctx));
}

/** {@link extractClaims} over any {@link FactLookup}: the seam for other fact formats. */
export function extractClaimsWith(text: string, facts: FactLookup): Claim[] {
  return runRules(text, facts).claims;
}

/** A claim the facts do not support, with the type of mistake it is. */
export interface Problem extends Claim {
  status: 'contradicted' | 'unverifiable';
  type: MistakeType;
}

/**
 * The claims of `text` the facts do not support, each typed as the accuracy
 * shared task types mistakes: wrong numbers NUMBER; wrong player, team, venue
 * names and weekdays NAME; wrong words ("won", "led", "double-double", "off
 * the bench") WORD; a player put in the wrong team CONTEXT. `include` picks
 * contradicted claims only (the default: what is known to be wrong) or
 * unverifiable ones too.
 */
export function findProblems(
  text: string,
  facts: FactLookup,
  include: 'contradicted' | 'unsupported' = 'contradicted',
): Problem[] {
  const ctx = runRules(text, facts);
  return ctx.claims.flatMap((claim): Problem[] => {
    if (claim.status === 'supported') return [];
    if (claim.status === 'unverifiable' && include === 'contradicted') return [];
    if (ctx.subsumed.has(claim)) return [];
    return [{ ...claim, status: claim.status, type: ctx.types.get(claim) ?? typeOfKind(claim.kind) }];
  });
}

/** The mistake type a claim of this kind is, unless its rule said otherwise. */
export function typeOfKind(kind: ClaimKind): MistakeType {
  switch (kind) {
    case 'number':
    case 'score':
    case 'record':
    case 'date':
      return 'NUMBER';
    case 'player':
    case 'team':
    case 'venue':
      return 'NAME';
    case 'period':
    case 'superlative':
    case 'word':
      return 'WORD';
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function runRules(text: string, facts: FactLookup): RuleContext {
  const ignored = nonClaimSpans(text);
  const mentions = findMentions(text, facts).filter(
    (m) => !ignored.some((s) => s.start <= m.start && m.end <= s.end),
  );
  const ctx: RuleContext = {
    text,
    facts,
    sentences: splitSentences(text),
    mentions,
    ignored,
    claims: [],
    taken: [],
    types: new Map(),
    attributions: new Map(),
    subsumed: new Set(),
  };
  for (const rule of RULES) rule(ctx);
  ctx.claims.sort((a, b) => a.start - b.start || b.end - a.end);
  return ctx;
}
