import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../domain/post.ts';
import { budgetDecision, budgetFromSettings } from './budget.ts';
import { X_FEES, xLength, xPostFeeUsdMicros } from './fees.ts';

const none = { posts: 0, usdMicros: 0 };
const now = new Date('2026-11-22T15:00:00Z');

describe('X fees and budgets', () => {
  it('charges $0.015 per post and $0.20 with a URL, and counts length as twitter-text does', () => {
    expect(xPostFeeUsdMicros('Pacers win 125-108')).toBe(X_FEES.postUsdMicros);
    expect(xPostFeeUsdMicros('Recap: https://example.com/r')).toBe(X_FEES.postWithUrlUsdMicros);
    expect(xLength(`${'a'.repeat(260)} https://example.com/${'x'.repeat(100)}`).weighted).toBe(260 + 1 + 23);
    expect(xLength('🏀'.repeat(141)).valid).toBe(false);
  });

  it('keeps the reserve for high-significance posts and says until when others wait', () => {
    const budget = budgetFromSettings(
      { budgetPostsPerDay: '10', budgetReserveShare: '0.2' },
      'credentials.x',
    )!;
    const spent = { day: { posts: 8, usdMicros: 0 }, month: { posts: 8, usdMicros: 0 } };
    const low = budgetDecision(budget, spent, { feeUsdMicros: 15_000, priority: PRIORITY.normal }, now);
    expect(low).toEqual({
      ok: false,
      reason: expect.stringContaining('posts today'),
      until: new Date('2026-11-23T00:00:00Z'),
    });
    expect(budgetDecision(budget, spent, { feeUsdMicros: 15_000, priority: PRIORITY.high }, now)).toEqual({
      ok: true,
    });
    const full = { day: { posts: 10, usdMicros: 0 }, month: none };
    expect(budgetDecision(budget, full, { feeUsdMicros: 15_000, priority: PRIORITY.breaking }, now).ok).toBe(
      false,
    );
  });

  it('counts dollars per month, a URL post costing more', () => {
    const budget = budgetFromSettings({ budgetUsdPerMonth: '1', budgetReserveShare: '0' }, 'credentials.x')!;
    const spent = { day: none, month: { posts: 50, usdMicros: 850_000 } };
    expect(budgetDecision(budget, spent, { feeUsdMicros: 15_000, priority: 50 }, now).ok).toBe(true);
    const d = budgetDecision(budget, spent, { feeUsdMicros: 200_000, priority: 50 }, now);
    expect(d).toEqual({
      ok: false,
      reason: expect.stringContaining('dollars this month'),
      until: new Date('2026-12-01T00:00:00Z'),
    });
  });

  it('refuses a bad setting, naming it', () => {
    expect(() => budgetFromSettings({ budgetUsdPerDay: 'lots' }, 'credentials.x')).toThrow(
      'credentials.x.settings.budgetUsdPerDay',
    );
    expect(budgetFromSettings({}, 'credentials.x')).toBeNull();
  });
});
