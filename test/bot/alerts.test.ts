import { describe, expect, it } from 'vitest';
import { budgetAlerts, feedAlerts, formatAlert, parseButtonData } from '../../src/bot/alerts.ts';

describe('alert decisions', () => {
  it('alerts a budget at 80% once per account, kind and day', () => {
    const rows = [
      { accountId: 'a', postsPublished: 8, postsPerDay: 10, usdMicrosSpent: 100, usdMicrosPerDay: 1_000_000 },
      {
        accountId: 'b',
        postsPublished: 7,
        postsPerDay: 10,
        usdMicrosSpent: 900_000,
        usdMicrosPerDay: 1_000_000,
      },
    ];
    const first = budgetAlerts(rows, '2025-06-01', new Set());
    expect(
      first.alerts.map((a) => (a.kind === 'budget' ? `${a.accountId}:${a.what}:${a.percent}` : '')),
    ).toEqual(['a:posts:80', 'b:money:90']);
    expect(budgetAlerts(rows, '2025-06-01', first.sent).alerts).toEqual([]);
    expect(budgetAlerts(rows, '2025-06-02', first.sent).alerts).toHaveLength(2);
  });

  it('alerts a source down once, and its recovery', () => {
    const feed = {
      league: 'nba',
      url: 'http://feed',
      consecutiveErrors: 3,
      breaker: 'closed',
      lastError: 'HTTP 503',
    };
    const down = feedAlerts([feed], new Set());
    expect(down.alerts).toEqual([
      { kind: 'source_down', source: 'nba http://feed', detail: 'breaker closed, 3 failed polls: HTTP 503' },
    ]);
    expect(feedAlerts([{ ...feed, breaker: 'open' }], down.down).alerts).toEqual([]);
    expect(feedAlerts([{ ...feed, consecutiveErrors: 0 }], down.down).alerts).toEqual([
      { kind: 'source_up', source: 'nba http://feed' },
    ]);
  });

  it('puts approve and reject buttons on review alerts only', () => {
    const review = formatAlert({
      kind: 'post_review',
      postId: 'p_1',
      accountId: 'x',
      text: 'T',
      breaking: true,
    });
    expect(review.buttons?.map((b) => parseButtonData(b.data))).toEqual([
      { action: 'approve', postId: 'p_1' },
      { action: 'reject', postId: 'p_1' },
    ]);
    expect(formatAlert({ kind: 'source_up', source: 's' }).buttons).toBeUndefined();
    expect(parseButtonData('delete:p_1')).toBeNull();
  });
});
