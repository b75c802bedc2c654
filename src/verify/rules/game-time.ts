import type { Span } from '../text.ts';
import { ORDINAL_SOURCE, parseNumber, parseOrdinal } from '../text.ts';
import { addClaim, type Grounding, isFree, type RuleContext, sentenceAt } from './context.ts';

/** A mention of a part of the game. `through` is the last period it covers. */
export interface PeriodMention extends Span {
  /** single: one period ("3rd quarter"); end: the end of a period ("halftime", "after three quarters"). */
  form: 'single' | 'end' | 'half' | 'overtime';
  period: number;
  /** For halves: first period of the half. */
  from?: number;
}

const UNIT = '(?:quarter|qtr|period|frame|inning)';

/**
 * Finds period mentions: "4th quarter", "third quarter", "Q4", "first half",
 * "halftime", "at the half", "after three quarters", "end of the third", "OT",
 * "overtime", "double overtime", "2OT".
 */
export function findPeriods(text: string, regulation: number): PeriodMention[] {
  // Rules ask again and again about the same sentence.
  const key = `${regulation}\u0000${text}`;
  const cached = PERIODS.get(key);
  if (cached) return cached;
  const found = readPeriods(text, regulation);
  if (PERIODS.size >= 256) PERIODS.delete(PERIODS.keys().next().value as string);
  PERIODS.set(key, found);
  return found;
}

const PERIODS = new Map<string, PeriodMention[]>();
const END_OF = new RegExp(`\\b(?:end of|after) (?:the )?(${ORDINAL_SOURCE})(?: ${UNIT})?\\b`, 'gi');
const ORDINAL_UNIT = new RegExp(`\\b(${ORDINAL_SOURCE})[- ]${UNIT}\\b`, 'gi');

function readPeriods(text: string, regulation: number): PeriodMention[] {
  const found: PeriodMention[] = [];
  const push = (m: RegExpMatchArray, form: PeriodMention['form'], period: number, from?: number) => {
    const start = m.index ?? 0;
    const span = { start, end: start + m[0].length };
    if (found.some((f) => f.start < span.end && span.start < f.end)) return;
    found.push({ ...span, form, period, ...(from !== undefined ? { from } : {}) });
  };
  for (const m of text.matchAll(
    /\b(?:(double|triple|2|3|two|three)[- ]?)(?:OT|overtimes?)\b|\b([2-9])OT\b/gi,
  )) {
    const n = m[2]
      ? Number(m[2])
      : (parseNumber(m[1] ?? '') ?? { double: 2, triple: 3 }[(m[1] ?? '').toLowerCase()]);
    push(m, 'overtime', regulation + (n ?? 1));
  }
  for (const m of text.matchAll(/\b(?:OT|overtime|extra time|extra innings)\b/gi)) {
    if (m[0] === 'ot') continue;
    push(m, 'overtime', regulation + 1);
  }
  for (const m of text.matchAll(
    /\b(?:after|through|thru)\s+(\w+)\s+(?:quarters?|periods?|innings?|frames?)\b/gi,
  )) {
    const n = parseNumber(m[1] ?? '');
    if (n !== undefined) push(m, 'end', n);
  }
  for (const m of text.matchAll(END_OF)) {
    const n = parseOrdinal(m[1] ?? '');
    if (n !== undefined) push(m, 'end', n);
  }
  for (const m of text.matchAll(ORDINAL_UNIT)) {
    const n = parseOrdinal(m[1] ?? '');
    if (n !== undefined) push(m, 'single', n);
  }
  for (const m of text.matchAll(/\b[QP]([1-9])\b/g)) push(m, 'single', Number(m[1]));
  for (const m of text.matchAll(/\b(first|1st|second|2nd)[- ]half\b/gi)) {
    const first = /^(?:first|1st)$/i.test(m[1] ?? '');
    const half = Math.max(1, Math.floor(regulation / 2));
    push(m, 'half', first ? half : regulation, first ? 1 : half + 1);
  }
  for (const m of text.matchAll(/\b(?:half-?time|the half|the break|intermission)\b/gi)) {
    push(m, 'end', Math.max(1, Math.floor(regulation / 2)));
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Period and clock claims. A period must exist in the game: not beyond the
 * current period of a live event, no overtime in a game decided in
 * regulation. A clock ("4:31 left") must match the event's clock, and a period
 * named next to a clock must be the event's period.
 */
export function gameTimeClaims(ctx: RuleContext): void {
  const { facts } = ctx;
  const periods = findPeriods(ctx.text, facts.regulationPeriods);
  const clocks = findClocks(ctx);
  const last = facts.period;
  const name = (p: number) =>
    p > facts.regulationPeriods ? `overtime ${p - facts.regulationPeriods}` : `period ${p}`;
  for (const p of periods) {
    if (!isFree(ctx, p)) continue;
    const sentence = sentenceAt(ctx, p.start);
    const withClock = clocks.some((c) => sentence && c.start >= sentence.start && c.end <= sentence.end);
    let grounding: Grounding;
    const reached =
      p.form === 'end'
        ? p.period < last || (p.period === last && (facts.isFinal || clockSeconds(facts.clock ?? '') === 0))
        : (p.form === 'half' ? (p.from ?? p.period) : p.period) <= last;
    if (last === 0) grounding = { status: 'unverifiable', expected: 'the game has not started' };
    else if (p.form === 'overtime' && last <= facts.regulationPeriods && facts.isFinal)
      grounding = { status: 'contradicted', expected: `the game ended in regulation (${last} periods)` };
    else if (!reached && p.form !== 'end')
      grounding = { status: 'contradicted', expected: `the game is in ${name(last)}` };
    else if (!reached) grounding = { status: 'contradicted', expected: `${name(p.period)} has not ended` };
    else if (withClock && p.form !== 'end' && p.period !== last && !facts.isFinal)
      grounding = { status: 'contradicted', expected: `the game is in ${name(last)}` };
    else grounding = { status: 'supported', groundedIn: `${name(p.period)} played (${facts.source})` };
    addClaim(ctx, 'period', p, grounding);
  }
  for (const c of clocks) {
    if (!isFree(ctx, c)) continue;
    const actual = facts.clock;
    let grounding: Grounding;
    if (actual === undefined || facts.isFinal) {
      grounding = { status: 'unverifiable', expected: 'no live game clock in the facts' };
    } else {
      const said = clockSeconds(c.value);
      const is = clockSeconds(actual);
      grounding =
        said !== undefined && is !== undefined && (said === is || said === Math.floor(is))
          ? { status: 'supported', groundedIn: `clock = ${actual}` }
          : { status: 'contradicted', expected: `the clock was ${actual}` };
    }
    addClaim(ctx, 'period', c, grounding);
  }
}

interface ClockMention extends Span {
  value: string;
}

/** "4:31 left", "with 0:45 remaining", "4:31 to go", "8.2 seconds left" (not times of day, taken by `ignored`). */
function findClocks(ctx: RuleContext): ClockMention[] {
  const out: ClockMention[] = [];
  const re =
    /(?<![\d:.])(\d{1,2}:\d{2}(?:\.\d)?)(?:\s+(?:left|remaining|to go|to play)\b)?|(?<![\d.])(\d{1,2}(?:\.\d)?) seconds? (?:left|remaining|to go|to play)\b/g;
  for (const m of ctx.text.matchAll(re)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (!isFree(ctx, span)) continue;
    out.push({ ...span, value: m[1] ?? `0:${(m[2] ?? '0').padStart(2, '0')}` });
  }
  return out;
}

/** "4:31" → 271, "45.2" → 45.2, "0:45" → 45. */
export function clockSeconds(clock: string): number | undefined {
  const m = /^(?:(\d{1,2}):)?(\d{1,2}(?:\.\d+)?)$/.exec(clock.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2]);
}
