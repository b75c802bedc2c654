import { describe, expect, it } from 'vitest';
import { htmlToText, resetTime } from './http.ts';

describe('rate-limit reset headers', () => {
  const now = 1_700_000_000_000;
  it('reads epoch seconds (X, Discord), delta seconds (IETF, Retry-After) and ISO times (Mastodon)', () => {
    expect(resetTime('1700000900', 'epoch-seconds', now)).toBe(1_700_000_900_000);
    expect(resetTime('1700000900.25', 'epoch-seconds', now)).toBe(1_700_000_900_250);
    expect(resetTime('30', 'delta-seconds', now)).toBe(now + 30_000);
    expect(resetTime('2023-11-14T22:28:20.000Z', 'iso', now)).toBe(Date.parse('2023-11-14T22:28:20.000Z'));
    expect(resetTime('45', 'auto', now)).toBe(now + 45_000);
    expect(resetTime('1700000900', 'auto', now)).toBe(1_700_000_900_000);
    expect(resetTime(undefined, 'auto', now)).toBeUndefined();
    expect(resetTime('soon', 'epoch-seconds', now)).toBeUndefined();
  });

  it('reads statuses back from HTML as they were sent', () => {
    expect(htmlToText('<p>Pacers &amp; Knicks<br>125&#39;s <a href="x">#NBA</a></p>')).toBe(
      "Pacers & Knicks\n125's #NBA",
    );
  });
});
