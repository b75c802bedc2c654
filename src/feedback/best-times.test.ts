import { describe, expect, it } from 'vitest';
import { bestTimes, type EngagedPost, engagementByDay, localDay } from './best-times.ts';

const H = 3_600_000;
/** Monday 2026-11-23 00:00 UTC. */
const MONDAY = Date.parse('2026-11-23T00:00:00Z');

function post(publishedAt: number, likes: number, extra: Partial<EngagedPost> = {}): EngagedPost {
  return {
    publishedAt,
    collectedAt: publishedAt + 72 * H,
    likes,
    reposts: 0,
    replies: 0,
    quotes: null,
    ...extra,
  };
}

describe('best posting hours', () => {
  it('ranks hours of the week by shrunk mean engagement, only with enough posts', () => {
    const posts: EngagedPost[] = [];
    // Mondays 19:00 UTC, four weeks: 10, 12, 8, 10 likes.
    for (const [w, likes] of [10, 12, 8, 10].entries())
      posts.push(post(MONDAY + w * 7 * 24 * H + 19 * H, likes));
    // Tuesdays 09:00 UTC, three weeks: 1 like each plus a reply.
    for (let w = 0; w < 3; w++) posts.push(post(MONDAY + 24 * H + w * 7 * 24 * H + 9 * H, 1, { replies: 1 }));
    // One lucky Friday post: too few to rank.
    posts.push(post(MONDAY + 4 * 24 * H + 20 * H, 500));
    const r = bestTimes(posts, { timeZone: 'UTC', minSamples: 3 });
    expect(r.posts).toBe(8);
    expect(r.ranking.map((h) => h.label)).toEqual(['Mon 19:00', 'Tue 09:00']);
    expect(r.ranking[0]).toMatchObject({ day: 1, hour: 19, posts: 4, mean: 10 });
    expect(r.ranking[1]).toMatchObject({ day: 2, hour: 9, posts: 3, mean: 2 });
    // Scores are log-scale means shrunk toward the account's: the lucky post
    // lifts the account's level a little, not past Monday's.
    const log = (xs: number[]) => xs.reduce((s, x) => s + Math.log1p(x), 0);
    const level = log([10, 12, 8, 10, 2, 2, 2, 500]) / 8;
    expect(r.mean).toBeCloseTo((40 + 6 + 500) / 8);
    expect(r.ranking[0]!.score).toBeCloseTo((log([10, 12, 8, 10]) + 3 * level) / 7);
    expect(r.ranking[0]!.lift).toBeGreaterThan(1);
    expect(r.ranking[1]!.lift).toBeLessThan(1);
    expect(r.sparse).toEqual([{ day: 5, hour: 20, label: 'Fri 20:00', posts: 1 }]);
  });

  it('reads hours in the account time zone, across daylight-saving changes', () => {
    // 2026-03-08 is the US spring-forward day. 23:30 UTC is 19:30 EDT after it, 18:30 EST before.
    const before = Date.parse('2026-03-02T23:30:00Z');
    const after = Date.parse('2026-03-09T23:30:00Z');
    const r = bestTimes([post(before, 1), post(after, 1)], { timeZone: 'America/New_York', minSamples: 1 });
    expect(r.ranking.map((h) => h.label).sort()).toEqual(['Mon 18:00', 'Mon 19:00']);
  });

  it('leaves out posts whose counts were read too early', () => {
    const young = post(MONDAY, 50, { collectedAt: MONDAY + H });
    const r = bestTimes([young, post(MONDAY, 2)], { timeZone: 'UTC', minSamples: 1 });
    expect(r.posts).toBe(1);
    expect(r.tooYoung).toBe(1);
    expect(r.ranking[0]!.mean).toBe(2);
  });

  it('refuses a minimum of samples below one', () => {
    expect(() => bestTimes([], { timeZone: 'UTC', minSamples: 0 })).toThrow(/minSamples/);
  });
});

describe('engagement per day', () => {
  it('sums the latest counts by day of publishing in the time zone', () => {
    const late = Date.parse('2026-11-23T03:00:00Z'); // 22:00 on the 22nd in New York
    const days = engagementByDay(
      [post(late, 3, { reposts: 1 }), post(late + 20 * H, 2, { replies: 4, quotes: 1 })],
      'America/New_York',
    );
    expect(localDay(late, 'America/New_York')).toBe('2026-11-22');
    expect(days).toEqual([
      { day: '2026-11-22', posts: 1, likes: 3, reposts: 1, replies: 0, quotes: 0 },
      { day: '2026-11-23', posts: 1, likes: 2, reposts: 0, replies: 4, quotes: 1 },
    ]);
  });
});
