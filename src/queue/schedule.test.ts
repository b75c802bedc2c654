import { describe, expect, it } from 'vitest';
import { expiryFor, inWindow, localTime, nextSlot, nextWindowOpening, retryDelayMs } from './schedule.ts';

const at = (iso: string) => Date.parse(iso);

describe('posting windows', () => {
  const windows = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }];

  it('reads local time in the account time zone', () => {
    // 2026-03-09 is a Monday; 14:30 UTC is 10:30 in New York (EDT, UTC-4).
    expect(localTime(at('2026-03-09T14:30:00Z'), 'America/New_York')).toEqual({ day: 1, minute: 630 });
  });

  it('is open inside a window and closed outside', () => {
    expect(inWindow(at('2026-03-09T14:30:00Z'), windows, 'America/New_York')).toBe(true);
    expect(inWindow(at('2026-03-09T12:30:00Z'), windows, 'America/New_York')).toBe(false);
    expect(inWindow(at('2026-03-08T14:30:00Z'), windows, 'America/New_York')).toBe(false); // Sunday
  });

  it('finds the next opening across a weekend and a daylight-saving change', () => {
    // Saturday 2026-03-07 20:00 UTC; DST starts Sunday 2026-03-08 in New York.
    const opening = nextWindowOpening(at('2026-03-07T20:00:00Z'), windows, 'America/New_York');
    // Monday 09:00 EDT = 13:00 UTC (not 14:00, which would be the pre-DST offset).
    expect(new Date(opening!).toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });

  it('handles windows across midnight', () => {
    const night = [{ days: [5], start: '22:00', end: '02:00' }];
    expect(inWindow(at('2026-03-14T01:00:00Z'), night, 'UTC')).toBe(true); // Saturday 01:00, window of Friday
    expect(inWindow(at('2026-03-15T01:00:00Z'), night, 'UTC')).toBe(false); // Sunday 01:00
  });
});

describe('next slot', () => {
  it('respects spacing since the last post and not-before', () => {
    const account = { spacingSeconds: 90, windows: [], timezone: 'UTC' };
    expect(nextSlot(account, 1_000_000, 1_010_000)).toBe(1_090_000);
    expect(nextSlot(account, undefined, 1_010_000)).toBe(1_010_000);
    expect(nextSlot(account, 1_000_000, 1_010_000, 2_000_000)).toBe(2_000_000);
  });
});

describe('expiry and retries', () => {
  it('expires live posts after the account maximum age, finals much later', () => {
    expect(expiryFor('score', 0, { maxAgeSeconds: 900 })).toBe(900_000);
    expect(expiryFor('final', 0, { maxAgeSeconds: 900 })).toBe(6 * 3600_000);
  });
  it('backs off exponentially with a ceiling', () => {
    expect(retryDelayMs(1)).toBe(5_000);
    expect(retryDelayMs(3)).toBe(20_000);
    expect(retryDelayMs(30)).toBe(600_000);
  });
});
