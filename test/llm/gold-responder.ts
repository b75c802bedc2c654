import type { AccuracyText } from '../../src/verify/accuracy/run.ts';
import type { TokenMistake } from '../../src/verify/accuracy/score.ts';
import { detokenize } from '../../src/verify/accuracy/tokens.ts';
import { overlaps, type Span } from '../../src/verify/text.ts';

/** A quote that is in no shared-task text: the responder adds one per answer, to be dropped. */
export const BOGUS_QUOTE = 'Wilt Chamberlain scored 100 points';

/** The narrowest context of at least five tokens either side that occurs once in `text`. */
function uniqueContext(text: string, around: (tokens: number) => string): string {
  for (let w = 5; w < 60; w++) {
    const c = around(w);
    if (text.indexOf(c) === text.lastIndexOf(c)) return c;
  }
  return around(60);
}

interface Known {
  mistakes: { quote: string; context: string; type: string; reason: string }[];
  /** Character spans of the gold mistakes, for withdrawals. */
  spans: Span[];
}

/**
 * A stand-in for a model on the fake OpenAI server: for the texts of a *training* half it answers
 * with their gold mistakes (quote = the gold tokens as they appear in the rebuilt text, context = five
 * tokens either side, more when that is not unique in the text, as the prompt asks; type as annotated) plus one quote that is not in the text; with `withdraw`, it
 * also withdraws every deterministic finding that overlaps no gold mistake. For any other text it
 * answers that it found nothing. Verify requests are told apart from writing requests by `findings`.
 */
export function goldResponder(
  training: readonly AccuracyText[],
  gold: readonly TokenMistake[],
  options: { withdraw?: boolean } = {},
): (request: Record<string, unknown>) => string {
  const known = new Map<string, Known>();
  for (const t of training) {
    const { text, spans } = detokenize(t.tokens);
    const mine = gold.filter((g) => g.textId === t.id);
    const at = (i: number) => spans[Math.min(spans.length - 1, Math.max(0, i))] as Span;
    known.set(text, {
      mistakes: mine.map((g) => ({
        quote: text.slice(at(g.first - 1).start, at(g.last - 1).end),
        context: uniqueContext(text, (w) => text.slice(at(g.first - 1 - w).start, at(g.last - 1 + w).end)),
        type: g.type === 'OTHER' ? 'CONTEXT' : g.type,
        reason: `gold ${g.type}`,
      })),
      spans: mine.map((g) => ({ start: at(g.first - 1).start, end: at(g.last - 1).end })),
    });
  }
  return (request) => {
    const text = String(request.text ?? '');
    const k = known.get(text);
    if (!k) return JSON.stringify({ mistakes: [] });
    const findings = (request.findings ?? []) as { quote: string }[];
    const withdraw = options.withdraw
      ? findings.flatMap((f) => {
          const start = text.indexOf(f.quote);
          const span = { start, end: start + f.quote.length };
          return start >= 0 && !k.spans.some((s) => overlaps(s, span))
            ? [{ quote: f.quote, reason: 'no gold mistake here' }]
            : [];
        })
      : [];
    return JSON.stringify({
      mistakes: [...k.mistakes, { quote: BOGUS_QUOTE, type: 'NAME', reason: 'made up' }],
      withdraw,
    });
  };
}
