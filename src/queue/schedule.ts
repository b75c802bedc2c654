import type { Account, PostingWindow } from '../domain/account.ts';
import type { EventKind } from '../domain/event.ts';

/**
 * Pure scheduling rules of an account's queue. Times are epoch milliseconds;
 * time zones appear only where posting windows are read.
 */

/** How long a final stays worth posting, whatever the account's live maximum age. */
export const FINAL_MAX_AGE_MS = 6 * 3600_000;

/** When a post about an event stops being worth publishing. */
export function expiryFor(
  kind: EventKind,
  occurredAt: number,
  account: Pick<Account, 'maxAgeSeconds'>,
): number {
  const maxAge =
    kind === 'final'
      ? Math.max(FINAL_MAX_AGE_MS, account.maxAgeSeconds * 1000)
      : account.maxAgeSeconds * 1000;
  return occurredAt + maxAge;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Day of week (0 = Sunday) and minute of day of an instant in a time zone. */
export function localTime(at: number, timeZone: string): { day: number; minute: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type === 'weekday') day = WEEKDAYS.indexOf(p.value);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

function toMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether an instant falls inside one of the windows (none means always open). */
export function inWindow(at: number, windows: readonly PostingWindow[], timeZone: string): boolean {
  if (windows.length === 0) return true;
  const { day, minute } = localTime(at, timeZone);
  return windows.some((w) => {
    const start = toMinute(w.start);
    const end = toMinute(w.end);
    if (start <= end) return w.days.includes(day) && minute >= start && minute < end;
    // A window across midnight belongs to the day it starts.
    const yesterday = (day + 6) % 7;
    return (w.days.includes(day) && minute >= start) || (w.days.includes(yesterday) && minute < end);
  });
}

const STEP_MS = 60_000;
const HORIZON_MS = 8 * 24 * 3600_000;

/**
 * The earliest instant at or after `from` that lies in a posting window, or
 * undefined when no window opens within eight days. Scans minute by minute,
 * which stays right across daylight-saving changes.
 */
export function nextWindowOpening(
  from: number,
  windows: readonly PostingWindow[],
  timeZone: string,
): number | undefined {
  if (inWindow(from, windows, timeZone)) return from;
  const start = Math.ceil(from / STEP_MS) * STEP_MS;
  for (let t = start; t < from + HORIZON_MS; t += STEP_MS) {
    if (inWindow(t, windows, timeZone)) return t;
  }
  return undefined;
}

/**
 * When an account may publish next: after its spacing since the last post,
 * inside a posting window, and not before `notBefore`.
 */
export function nextSlot(
  account: Pick<Account, 'spacingSeconds' | 'windows' | 'timezone'>,
  lastPostAt: number | undefined,
  now: number,
  notBefore?: number,
): number | undefined {
  let t = now;
  if (lastPostAt !== undefined) t = Math.max(t, lastPostAt + account.spacingSeconds * 1000);
  if (notBefore !== undefined) t = Math.max(t, notBefore);
  return nextWindowOpening(t, account.windows, account.timezone);
}

/** Backoff before retrying a transient publish failure: 5 s doubling to 10 min, with the attempt count. */
export function retryDelayMs(attempts: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/** Attempts after which a transiently failing post is marked failed. */
export const MAX_PUBLISH_ATTEMPTS = 8;
