import { addClaim, type Grounding, isFree, type RuleContext } from './context.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_MS = 86_400_000;

/**
 * Dates and game numbers: "May 31" (within a day of the start, to allow for
 * time zones), years ("2025", the season "2024-25"), "Game 6" (from the note's
 * series, e.g. "IND wins series 4-2" after game 6).
 */
export function dateClaims(ctx: RuleContext): void {
  const start = Date.parse(ctx.facts.startTime);
  const startYear = Number.isNaN(start) ? undefined : new Date(start).getUTCFullYear();
  const unknown: Grounding = { status: 'unverifiable', expected: 'no start time in the facts' };

  const monthDay =
    /\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b/g;
  for (const m of ctx.text.matchAll(monthDay)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span) || startYear === undefined) continue;
    const month = MONTHS.indexOf((m[1] ?? '').slice(0, 3).toLowerCase());
    const day = Number(m[2]);
    const near = [startYear - 1, startYear, startYear + 1].some(
      (y) => Math.abs(Date.UTC(y, month, day) - start) <= 1.5 * DAY_MS,
    );
    const date = new Date(start).toISOString().slice(0, 10);
    addClaim(
      ctx,
      'date',
      span,
      near
        ? { status: 'supported', groundedIn: `start = ${date}` }
        : { status: 'contradicted', expected: `the game was on ${date} (UTC)` },
    );
  }

  for (const m of ctx.text.matchAll(/\b((?:19|20)\d{2})(?:[-–/]((?:19|20)?\d{2}))?\b/g)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    if (startYear === undefined) {
      addClaim(ctx, 'date', span, unknown);
      continue;
    }
    const first = Number(m[1]);
    const second =
      m[2] === undefined ? undefined : Number(m[2].length === 2 ? `${m[1]?.slice(0, 2)}${m[2]}` : m[2]);
    const ok =
      second === undefined
        ? first === startYear
        : second === first + 1 && (first === startYear || second === startYear);
    addClaim(
      ctx,
      'date',
      span,
      ok
        ? { status: 'supported', groundedIn: `start = ${ctx.facts.startTime}` }
        : {
            status: 'unverifiable',
            expected: `the game is in ${startYear}; other years are not in the facts`,
          },
    );
  }

  for (const m of ctx.text.matchAll(/\bGame\s+(\d)\b/g)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    const said = Number(m[1]);
    const note = ctx.facts.note ?? '';
    const series = /\b(\d)-(\d)\b/.exec(note);
    const explicit = /\bGame\s+(\d)\b/i.exec(note);
    let grounding: Grounding = { status: 'unverifiable', expected: 'no game number in the facts' };
    const number = explicit
      ? Number(explicit[1])
      : series && ctx.facts.isFinal
        ? Number(series[1]) + Number(series[2])
        : undefined;
    // A series score may predate the game (a live snapshot), so only an explicit "Game N" contradicts.
    if (number === said) grounding = { status: 'supported', groundedIn: `note: ${note}` };
    else if (explicit) grounding = { status: 'contradicted', expected: `this is game ${number} (${note})` };
    addClaim(ctx, 'word', span, grounding);
  }
}

/** Every number no rule read: a claim nothing grounds. */
export function leftoverNumbers(ctx: RuleContext): void {
  for (const m of ctx.text.matchAll(/(?<![\p{L}\p{N}])\d+(?:[.,]\d+)*(?:%|st|nd|rd|th)?(?![\p{L}\p{N}])/gu)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    // Digits inside a name ("Golden 1 Center") are no number of the game.
    if (ctx.mentions.some((x) => x.start <= span.start && span.end <= x.end)) continue;
    addClaim(ctx, 'number', span, { status: 'unverifiable', expected: 'no fact found for this number' });
  }
}
