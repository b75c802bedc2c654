import { NUMBER_WORD_SOURCE, parseNumber, type Span } from '../text.ts';
import {
  addClaim,
  type Grounding,
  isFree,
  playerName,
  type RuleContext,
  sentenceAt,
  subjectOf,
  teamOf,
} from './context.ts';

/** Stat keys named after a leader phrase ("led the team with 12 assists"). */
const STAT_AFTER: readonly [RegExp, string][] = [
  [/^(?:rebounds?|boards?)/i, 'rebounds'],
  [/^(?:assists?|dimes?)/i, 'assists'],
  [/^steals?/i, 'steals'],
  [/^(?:blocks?|blocked shots)/i, 'blocks'],
  [/^(?:points?|pts)/i, 'points'],
];

/** The stat a leader phrase ranks by: the first stat word of the clause after it, else points. */
function rankedStat(ctx: RuleContext, span: Span): string {
  const sentence = sentenceAt(ctx, span.start);
  // "Beal's 41 points led the Wizards": the stat is the one just before.
  const before = /(?:points?|rebounds?|boards?|assists?|steals?|blocks?)\s+$/i.exec(
    ctx.text.slice(Math.max(sentence?.start ?? 0, span.start - 20), span.start),
  );
  if (before) return STAT_AFTER.find(([re]) => re.test(before[0].trim()))?.[1] ?? 'points';
  const after = ctx.text.slice(span.end, sentence?.end ?? ctx.text.length);
  const m =
    /\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)[- ]?(?:high\s+)?([a-z]+(?: shots)?)/i.exec(
      after.slice(0, 60),
    );
  const word = m?.[1] ?? /^[\s-]*(?:high\s+)?(?:in\s+)?([a-z]+)/i.exec(after)?.[1] ?? '';
  return STAT_AFTER.find(([re]) => re.test(word))?.[1] ?? 'points';
}

interface Who {
  id: string;
  teamId: string;
}

function playerAt(ctx: RuleContext, span: Span): Who | undefined {
  const subject = subjectOf(ctx, span, ['player']);
  if (!subject?.id) return undefined;
  const p = ctx.facts.players.find((x) => x.id === subject.id);
  return p && !p.didNotPlay ? { id: p.id, teamId: p.teamId } : undefined;
}

function value(ctx: RuleContext, id: string, stat: string): number {
  return ctx.facts.playerStat(id, stat) ?? 0;
}

/** Players who played, of `teamId` when given, starters or bench when asked. */
function pool(ctx: RuleContext, teamId: string | undefined, role?: 'bench' | 'starters'): string[] {
  return ctx.facts.players
    .filter((p) => !p.didNotPlay && (teamId === undefined || p.teamId === teamId))
    .filter((p) => {
      if (!role) return true;
      const starter = ctx.facts.starter(p.id);
      return role === 'bench' ? starter === false : starter === true;
    })
    .map((p) => p.id);
}

const LEAD_PHRASE =
  /\b(?:led (?:all|every) (?:scorers|players|participants)|led the (?:game|contest|night)|game[- ]high|led (?:the|his) (?:team|squad|club|way|charge|offense|attack|bench|second unit|reserves|starters)|led (?:the )?(?:\p{Lu}[\p{L}]+ )?(?:bench|reserves|second unit)|team[- ]high|led (?:the )?\p{Lu}[\p{L}]+(?: \p{Lu}[\p{L}]+)?(?= with| in| by|,)|was the (?:top|leading|high) scorer|(?:top|leading) scorer|high[- ]point man|(?:bench|team)[- ]leading|paced (?:the|his) team|paced (?:the )?(?:bench|reserves|second unit)|led all)\b/giu;

/**
 * Leader and rank words about a player: "led the team with 23 points",
 * "team-high", "game-high", "led all scorers", "led the bench", "was second on
 * the team", "the only other starter in double figures",
 * "in double figures". Ranks are by the stat named after the phrase (points by
 * default); ties count as leading.
 */
export function roleClaims(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(LEAD_PHRASE)) {
    const phrase = m[0].toLowerCase();
    const wordSpan = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, wordSpan)) continue;
    const who = playerAt(ctx, wordSpan);
    if (!who) continue;
    // "led the way for Orlando", "led the Cavs": a team the player is not on is the wrong name.
    const tail = /^\s+for\s+(?:the\s+)?/i.exec(ctx.text.slice(wordSpan.end))?.[0].length ?? 0;
    const team = ctx.mentions.find(
      (x) =>
        x.kind === 'team' &&
        x.id !== undefined &&
        x.start >= wordSpan.start &&
        x.start <= wordSpan.end + tail &&
        (x.start < wordSpan.end || tail > 0),
    );
    if (team && team.id !== who.teamId) {
      const claim = ctx.claims.find((c) => c.kind === 'team' && c.start === team.start && c.end === team.end);
      if (claim && claim.status === 'supported') {
        claim.status = 'contradicted';
        delete claim.groundedIn;
        claim.expected = `${playerName(ctx, who.id)} plays for the ${teamOf(ctx, who.teamId)?.displayName}`;
        ctx.types.set(claim, 'NAME');
      }
      continue;
    }
    const stat = rankedStat(ctx, wordSpan);
    const game = /all|game|contest|night/.test(phrase);
    const bench = /bench|reserves|second unit/.test(phrase);
    const ids = pool(ctx, game ? undefined : who.teamId, bench ? 'bench' : undefined);
    const best = Math.max(...ids.map((id) => value(ctx, id, stat)));
    const mine = value(ctx, who.id, stat);
    const grounding: Grounding =
      mine >= best
        ? { status: 'supported', groundedIn: `${playerName(ctx, who.id)} ${stat} = ${mine}, the most` }
        : {
            status: 'contradicted',
            expected: `${playerName(ctx, who.id)} had ${mine} ${stat}; the most was ${best}`,
          };
    const led = /^led\b/i.exec(m[0]);
    const span = led ? { start: m.index, end: m.index + 3 } : wordSpan;
    addClaim(ctx, 'superlative', span, grounding, 'WORD');
    if (bench && ctx.facts.starter(who.id) === true) {
      addClaim(
        ctx,
        'word',
        { start: span.end, end: wordSpan.end },
        { status: 'contradicted', expected: `${playerName(ctx, who.id)} started` },
        'WORD',
      );
    }
  }

  ledByClaims(ctx);
  rankClaims(ctx);
  roleWords(ctx);
}

/**
 * "The Raptors were led by Kyle Lowry", "were led by the duo of A and B": the
 * players named are the team's top scorers (one, or the top two for a duo).
 * When they play for the other team, the team named is the mistake (NAME).
 */
function ledByClaims(ctx: RuleContext): void {
  const re = /\b(?:was|were|is|are)\s+led\s+by\b/gi;
  for (const m of ctx.text.matchAll(re)) {
    const sentence = sentenceAt(ctx, m.index);
    if (!sentence) continue;
    const ledAt = m.index + m[0].search(/led/i);
    const span = { start: ledAt, end: ledAt + 3 };
    if (!isFree(ctx, span)) continue;
    const team = ctx.mentions
      .filter((x) => x.kind === 'team' && x.id !== undefined && x.start >= sentence.start && x.end <= m.index)
      .at(-1);
    const after = ctx.mentions.filter(
      (x) => x.kind === 'player' && x.start >= m.index + m[0].length && x.end <= sentence.end,
    );
    const first = after[0];
    if (!first?.id) continue;
    // "by A and B", "by the duo of A and B": the second name right after "and".
    const second = after[1];
    const duo =
      second?.id !== undefined && /^\s+and\s+$/i.test(ctx.text.slice(first.end, second.start))
        ? second
        : undefined;
    // Only names that follow "by" closely ("by a strong performance from X", not a later clause).
    if (
      !/^\s+(?:(?:the|a|an)\s+)?(?:[\p{L}\d-]+\s+){0,4}?(?:of|from)?\s*$/iu.test(
        ctx.text.slice(m.index + m[0].length, first.start),
      )
    )
      continue;
    const named = [first, ...(duo ? [duo] : [])];
    const players = named.map((x) => ctx.facts.players.find((p) => p.id === x.id));
    if (players.some((p) => !p || p.didNotPlay)) continue;
    const wrongTeam = team ? named.filter((_, i) => players[i]?.teamId !== team.id) : [];
    if (team && wrongTeam.length > 0) {
      // The players carry the sentence: the team named is the wrong one.
      const claim = ctx.claims.find((c) => c.kind === 'team' && c.start === team.start && c.end === team.end);
      if (claim && claim.status === 'supported') {
        claim.status = 'contradicted';
        delete claim.groundedIn;
        claim.expected = `${wrongTeam.map((x) => playerName(ctx, x.id)).join(' and ')} do not play for the ${teamOf(ctx, team.id)?.displayName}`;
        ctx.types.set(claim, 'NAME');
      }
      continue;
    }
    const teamId = players[0]?.teamId;
    if (players.some((p) => p?.teamId !== teamId)) continue;
    const scores = pool(ctx, teamId)
      .map((id) => value(ctx, id, 'points'))
      .sort((a, b) => b - a);
    const cut = scores[named.length - 1] ?? 0;
    const low = players.filter((p) => p && value(ctx, p.id, 'points') < cut);
    addClaim(
      ctx,
      'superlative',
      span,
      low.length === 0
        ? {
            status: 'supported',
            groundedIn: `${named.map((x) => x.text).join(' and ')}: the team's top scoring`,
          }
        : {
            status: 'contradicted',
            expected: `${low.map((p) => `${p?.name} scored ${value(ctx, p?.id ?? '', 'points')}`).join('; ')}; the team's top scores were ${scores.slice(0, 2).join(', ')}`,
          },
      'WORD',
    );
  }
}

const ORDINAL_RANK: Record<string, number> = { second: 2, third: 3, fourth: 4, fifth: 5 };

/** "was second on the team", "finished third in scoring", "second-highest scorer". */
function rankClaims(ctx: RuleContext): void {
  const re =
    /\b(second|third|fourth|fifth)(?:[- ]highest| leading)?(?= on the team| on the \p{Lu}| in scoring| among| for the| scorer| with| in the scoring|[- ]highest)/giu;
  for (const m of ctx.text.matchAll(re)) {
    const span = { start: m.index, end: m.index + (m[1]?.length ?? 0) };
    if (!isFree(ctx, span)) continue;
    const sentence = sentenceAt(ctx, m.index);
    const before = ctx.text.slice(sentence?.start ?? 0, m.index);
    if (!/\b(?:was|were|is|finished|came in|ranked|the)\s+(?:a\s+)?$/i.test(before)) continue;
    const who = playerAt(ctx, span);
    if (!who) continue;
    const stat = rankedStat(ctx, { start: span.end, end: span.end });
    const rank = ORDINAL_RANK[(m[1] ?? '').toLowerCase()] ?? 2;
    const after = ctx.text.slice(span.end, span.end + 30);
    const scope = /^\s*(?:among all|in the game|overall)/i.test(after) ? undefined : who.teamId;
    const mine = value(ctx, who.id, stat);
    const values = pool(ctx, scope).map((id) => value(ctx, id, stat));
    const above = values.filter((v) => v > mine).length;
    const tied = values.filter((v) => v === mine).length;
    // Rank `rank` fits when it lies between the player's best and worst place among ties.
    const ok = above + 1 <= rank && rank <= above + tied;
    addClaim(
      ctx,
      'superlative',
      span,
      ok
        ? { status: 'supported', groundedIn: `${playerName(ctx, who.id)} ranked ${above + 1} in ${stat}` }
        : {
            status: 'contradicted',
            expected: `${playerName(ctx, who.id)} ranked ${above + 1}${tied > 1 ? ` (tied)` : ''} in ${stat} with ${mine}`,
          },
      'NUMBER',
    );
  }
}

/** Starter and bench words, "double figures", "the only other starter in double figures". */
function roleWords(ctx: RuleContext): void {
  const bench =
    /\b(?:off the bench|(?:a |the )?reserve(?: role)?|sixth man|(?:from|led|paced|anchored) (?:the )?(?:bench|second unit)|bench (?:player|scorer|production)|second unit)\b/gi;
  for (const m of ctx.text.matchAll(bench)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const who = playerAt(ctx, span);
    if (!who) continue;
    const starter = ctx.facts.starter(who.id);
    if (starter === undefined) continue;
    addClaim(
      ctx,
      'word',
      span,
      starter
        ? { status: 'contradicted', expected: `${playerName(ctx, who.id)} started` }
        : { status: 'supported', groundedIn: `${playerName(ctx, who.id)} came off the bench` },
      'WORD',
    );
  }
  const starterWords = /\b(?:(?:only other |other )?starters?|started|starting lineup|starting five)\b/gi;
  for (const m of ctx.text.matchAll(starterWords)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const sentence = sentenceAt(ctx, m.index);
    // Only a sentence that makes one player a starter ("X was the only other starter ...", "X started").
    if (
      /\b(?:starters|all|every|each|three|four|five|two)\b/i.test(m[0]) ||
      /\bstarters\b/i.test(sentence?.text ?? '')
    )
      continue;
    const who = playerAt(ctx, span);
    if (!who) continue;
    const starter = ctx.facts.starter(who.id);
    if (starter === false)
      addClaim(
        ctx,
        'word',
        span,
        { status: 'contradicted', expected: `${playerName(ctx, who.id)} came off the bench` },
        'WORD',
      );
  }
  const only =
    /\bthe only other (?:(starter)|(?:\p{Lu}[\p{L}]+ )?(?:player|scorer)|\p{Lu}[\p{L}]+)s? (?:to (?:score|finish|reach) |who (?:scored|finished|reached) )?(?:in )?(double[- ](?:figures|digits))\b/giu;
  for (const m of ctx.text.matchAll(only)) {
    const span = { start: m.index + 4, end: m.index + 'the only other'.length };
    const who = playerAt(ctx, { start: m.index, end: m.index + m[0].length });
    if (!who || !isFree(ctx, span)) continue;
    const mine = value(ctx, who.id, 'points');
    if (mine < 10) {
      // He was not in double figures himself: that is the wrong word, not "only other".
      const words = m[2] ?? '';
      const at = m.index + m[0].length - words.length;
      addClaim(
        ctx,
        'word',
        { start: at, end: at + words.length },
        { status: 'contradicted', expected: `${playerName(ctx, who.id)} scored ${mine}` },
        'WORD',
      );
      continue;
    }
    const ids = pool(ctx, who.teamId, m[1] ? 'starters' : undefined);
    const inDouble = ids.filter((id) => value(ctx, id, 'points') >= 10);
    const ok = inDouble.length === 2 && inDouble.includes(who.id);
    addClaim(
      ctx,
      'word',
      span,
      ok
        ? { status: 'supported', groundedIn: 'two players in double figures' }
        : {
            status: 'contradicted',
            expected: `${inDouble.length} ${m[1] ? 'starters' : 'players'} of the team scored 10 or more`,
          },
      'WORD',
    );
  }
  // "The Jazz had six players score in double figures": a count over the team's line.
  const count = new RegExp(
    `\\b(${NUMBER_WORD_SOURCE})\\s+(?:\\p{Lu}[\\p{L}]+\\s+)?(players|starters|reserves|bench players)\\s+(?:to\\s+)?(?:score[ds]?\\s+|reach(?:ed)?\\s+|finish(?:ed)?\\s+)?(?:in\\s+)?double[- ](?:figures|digits)\\b`,
    'giu',
  );
  for (const m of ctx.text.matchAll(count)) {
    const digits = m[1] ?? '';
    const span = { start: m.index, end: m.index + digits.length };
    const said = parseNumber(digits);
    if (said === undefined || !isFree(ctx, span)) continue;
    const team = subjectOf(ctx, span, ['team']);
    if (team?.id === undefined) continue;
    const kind = (m[2] ?? '').toLowerCase();
    const role = kind === 'starters' ? 'starters' : kind === 'players' ? undefined : 'bench';
    const actual = pool(ctx, team.id, role).filter((id) => value(ctx, id, 'points') >= 10).length;
    addClaim(
      ctx,
      'number',
      span,
      actual === said
        ? { status: 'supported', groundedIn: `${actual} ${kind} of the ${team.text} scored 10 or more` }
        : { status: 'contradicted', expected: `${actual} ${kind} of the ${team.text} scored 10 or more` },
    );
  }
  for (const m of ctx.text.matchAll(/\bdouble[- ](?:figures|digits)\b/gi)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const sentence = sentenceAt(ctx, m.index);
    if (/\b(?:players|starters|four|five|six|seven|three|two|all)\b/i.test(sentence?.text ?? '')) continue;
    const who = playerAt(ctx, span);
    if (!who) continue;
    const points = value(ctx, who.id, 'points');
    addClaim(
      ctx,
      'word',
      span,
      points >= 10
        ? { status: 'supported', groundedIn: `${playerName(ctx, who.id)} scored ${points}` }
        : { status: 'contradicted', expected: `${playerName(ctx, who.id)} scored ${points}` },
      'WORD',
    );
  }
  // "Player of the game" is a judgement of the whole line (and of both teams), not a rank the box score settles.
}
