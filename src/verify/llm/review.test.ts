import { describe, expect, it } from 'vitest';
import { findProblems } from '../extract-claims.ts';
import { factLookup } from '../grounding.ts';
import { loadGame, NBA_FILE, spanOf } from '../test-support.ts';
import { verifyDraft } from '../verify-draft.ts';
import { factsData } from './facts-data.ts';
import { locateQuote } from './locate.ts';
import { LlmVerifyAnswer } from './prompt.ts';
import { mergeAnswer } from './review.ts';
import { applyReview, findingsOf } from './verdict-review.ts';

const { facts } = loadGame(NBA_FILE, 'nba');
const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
const loser = winner === facts.home ? facts.away : facts.home;
const top = [...facts.players].sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0))[0]!;
const points = top.stats.points ?? 0;

describe('locateQuote', () => {
  const text = 'Smith had 12 points. Jones had 12 points and 5 assists. Smith had 12 points again.';

  it('places an exact quote, the first unclaimed occurrence, and nothing that is not in the text', () => {
    expect(locateQuote(text, '12 points', undefined, [])).toEqual(spanOf(text, '12 points'));
    expect(locateQuote(text, ' 12 points ', undefined, [spanOf(text, '12 points')])).toEqual(
      spanOf(text, '12 points', 1),
    );
    expect(locateQuote(text, '13 points', undefined, [])).toBeUndefined();
    // Exact only: case and spacing differences do not match.
    expect(locateQuote(text, '12 Points', undefined, [])).toBeUndefined();
    const all = [0, 1, 2].map((n) => spanOf(text, '12 points', n));
    expect(locateQuote(text, '12 points', undefined, all)).toBeUndefined();
  });

  it('uses the context to choose among occurrences, exactly when it can, by shared words when not', () => {
    expect(locateQuote(text, '12 points', 'Jones had 12 points and', [])).toEqual(
      spanOf(text, '12 points', 1),
    );
    expect(locateQuote(text, '12 points', 'Smith had 12 points again', [])).toEqual(
      spanOf(text, '12 points', 2),
    );
    // Not an exact substring of the text, but its words point at the second sentence.
    expect(locateQuote(text, '12 points', 'jones  HAD 12 points, and five', [])).toEqual(
      spanOf(text, '12 points', 1),
    );
    // The context's occurrence is claimed: the next best unclaimed one is taken.
    expect(locateQuote(text, '12 points', 'Jones had 12 points and', [spanOf(text, '12 points', 1)])).toEqual(
      spanOf(text, '12 points'),
    );
  });
});

describe('mergeAnswer', () => {
  const text = `The ${winner.name} beat the ${loser.name} ${winner.score}-${loser.score}. ${top.name} scored ${points + 1} points and grabbed 40 rebounds on a rainy Tuesday.`;
  const findings = findProblems(text, factLookup({ facts }), 'unsupported');
  const answer = (value: unknown) => LlmVerifyAnswer.parse(value);

  it('adds placed quotes, drops those not in the text, repeated, or the same as a finding', () => {
    const wrongPoints = findings.find((f) => f.text.includes(String(points + 1)));
    expect(wrongPoints?.status).toBe('contradicted');
    const merged = mergeAnswer(
      text,
      findings,
      answer({
        mistakes: [
          { quote: 'rainy', type: 'WORD', reason: 'no weather in the facts' },
          { quote: 'rainy', type: 'WORD', reason: 'said twice' },
          { quote: String(points + 1), context: `scored ${points + 1} points`, type: 'NUMBER' },
          { quote: 'Michael Jordan', type: 'NAME', reason: 'invented' },
          { quote: 'Tuesday', type: 'NOT_CHECKABLE', reason: 'no date' },
        ],
        withdraw: [{ quote: wrongPoints!.text, reason: 'judged right' }],
      }),
      false,
    );
    expect(merged.kept).toEqual(findings);
    expect(merged.withdrawn).toEqual([]);
    expect(merged.added.map((a) => [a.text, a.type, a.status, a.source])).toEqual(
      [
        ['rainy', 'WORD', 'contradicted', 'llm'],
        ...(findings.some((f) => f.text.includes('Tuesday'))
          ? []
          : [['Tuesday', 'NOT_CHECKABLE', 'unverifiable', 'llm']]),
      ].filter((x) => x.length > 0),
    );
    const rainy = merged.added[0]!;
    expect(text.slice(rainy.start, rainy.end)).toBe('rainy');
    expect(merged.dropped.map((d) => d.why).sort()).toEqual(
      [
        'not_found',
        'repeated',
        'same_as_finding',
        ...(findings.some((f) => f.text.includes('Tuesday')) ? ['same_as_finding'] : []),
      ].sort(),
    );
  });

  it('honours withdrawals only when allowed', () => {
    const wrongPoints = findings.find((f) => f.text.includes(String(points + 1)))!;
    const merged = mergeAnswer(
      text,
      findings,
      answer({ withdraw: [{ quote: String(points + 1), reason: 'judged right' }] }),
      true,
    );
    expect(merged.withdrawn.map((w) => w.problem)).toEqual([wrongPoints]);
    expect(merged.kept).toEqual(findings.filter((f) => f !== wrongPoints));
  });

  it('rejects answers of the wrong shape through the schema', () => {
    expect(LlmVerifyAnswer.safeParse({ mistakes: [{ quote: 'x', type: 'SPELLING' }] }).success).toBe(false);
    expect(LlmVerifyAnswer.safeParse({ mistakes: [{ quote: '', type: 'WORD' }] }).success).toBe(false);
    expect(LlmVerifyAnswer.parse({})).toEqual({ mistakes: [], withdraw: [] });
  });
});

describe('applyReview', () => {
  const text = `${winner.name} ${winner.score}, ${loser.name} ${loser.score}. A thrilling comeback at home.`;

  it("turns the model's findings into claims that fail the facts check, leaving the other checks", () => {
    const verdict = verifyDraft({ text, ctx: { facts }, platform: 'x' });
    expect(verdict.ok).toBe(true);
    const merged = mergeAnswer(
      text,
      findingsOf(verdict),
      LlmVerifyAnswer.parse({
        mistakes: [{ quote: 'thrilling comeback', type: 'WORD', reason: 'led wire to wire' }],
      }),
      false,
    );
    const reviewed = applyReview(verdict, {
      ...merged,
      outcome: { ok: true, model: 'm', usdMicros: 1, latencyMs: 1, calls: 1 },
    });
    expect(reviewed.ok).toBe(false);
    expect(reviewed.reasons).toEqual(['contradicted:word', 'llm_verify']);
    const claim = reviewed.claims.find((c) => c.text === 'thrilling comeback');
    expect(claim).toMatchObject({ status: 'contradicted', expected: 'LLM: led wire to wire' });
    expect(reviewed.checks.filter((c) => c.check !== 'facts')).toEqual(
      verdict.checks.filter((c) => c.check !== 'facts'),
    );
  });
});

describe('factsData', () => {
  it('holds every player with his line and each team with its periods and result', () => {
    const data = factsData(facts) as {
      teams: { name: string; score: number; periods: number[]; result?: string }[];
      players: unknown[][];
      playerColumns: string[];
    };
    expect(data.players).toHaveLength(facts.players.length);
    const row = data.players.find((r) => r[0] === top.name)!;
    expect(row[data.playerColumns.indexOf('PTS')]).toBe(points);
    const fg = row[data.playerColumns.indexOf('FG')];
    expect(fg).toBe(`${top.stats.fieldGoalsMade}-${top.stats.fieldGoalsAttempted}`);
    const w = data.teams.find((t) => t.name === winner.displayName)!;
    expect(w.score).toBe(winner.score);
    expect(w.periods).toEqual(winner.linescores);
    if (facts.state === 'post') expect(w.result).toBe('won');
  });
});
