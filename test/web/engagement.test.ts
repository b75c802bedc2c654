import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngagementCollector } from '../../src/feedback/collector.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { memoryPlatform, publishPosts } from '../feedback/support.ts';
import {
  launchBrowser,
  logIn as logInAt,
  openWebHarness,
  type WebHarness,
  watchProblems,
} from './harness.ts';

/**
 * Engagement in the dashboard, in headless Chromium: the `wire` account
 * published six posts over two days (on a platform kept in memory), the
 * collector read their counts, and the operator sees likes, reposts and
 * replies next to each published post's link, then the account's
 * interactions per day and its best posting hours on the engagement tab.
 */

const SHOTS = join(import.meta.dirname, '..', '..', '.data', 'screenshots');
const H = 3_600_000;
let h: WebHarness;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const problems: string[] = [];
const counts = new Map<string, { likes: number; reposts: number; replies: number }>();

beforeAll(async () => {
  h = await openWebHarness();
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
  // Two and three days before the dashboard's "now", at 18:00 and 21:00 UTC.
  const now = h.engine.clock.now();
  const day = Math.floor(now / (24 * H)) * 24 * H;
  const wire = h.config.accounts.find((a) => a.id === 'wire')!;
  const mem = memoryPlatform('mastodon');
  const clock = new ManualClock(day - 3 * 24 * H + 18 * H);
  const posts = await publishPosts(h.store, [wire], () => mem.adapter, clock, 3, 'web-a');
  clock.advanceTo(day - 2 * 24 * H + 21 * H);
  posts.push(...(await publishPosts(h.store, [wire], () => mem.adapter, clock, 3, 'web-b')));
  for (const [n, p] of posts.entries()) {
    const c = { likes: 10 + 7 * n, reposts: n, replies: 2 * n + 1 };
    counts.set(p.id, c);
    mem.counts.set(p.platformPostId, c);
  }
  const collector = new EngagementCollector({
    db: h.store.db,
    accounts: [wire],
    readerFor: () => mem.adapter,
    clock,
    worker: 'web-test',
  });
  clock.advanceTo(day - 2 * 24 * H + 21 * H + 25 * H);
  expect((await collector.pass()).outcomes.read).toBe(6);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const watch = (page: Page) => watchProblems(page, problems);

/** Opens the dashboard, logging in unless the browser's session cookie still holds. */
const logIn = (page: Page) => logInAt(page, h.url);

const sum = (k: 'likes' | 'reposts' | 'replies') => [...counts.values()].reduce((s, c) => s + c[k], 0);

describe('engagement in the dashboard', () => {
  it('shows likes, reposts and replies next to each published post', async () => {
    const page = await browser.context.newPage();
    watch(page);
    await logIn(page);
    await page.click('nav.tabs button:has-text("published")');
    for (const [id, c] of counts) {
      const row = page.locator(`li[data-post-id="${id}"] [data-testid=engagement]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('[data-kind=likes]').textContent()).toBe(`${c.likes} likes`);
      expect(await row.locator('[data-kind=reposts]').textContent()).toBe(`${c.reposts} reposts`);
      expect(await row.locator('[data-kind=replies]').textContent()).toBe(`${c.replies} replies`);
      // Next to the link (or its absence) in the post's meta line; Mastodon counts no quotes.
      expect(await page.locator(`li[data-post-id="${id}"] .meta [data-testid=engagement]`).count()).toBe(1);
      expect(await row.locator('[data-kind=quotes]').count()).toBe(0);
    }
    await page.screenshot({ path: join(SHOTS, 'published-engagement.png') });
    await page.close();
  }, 60_000);

  it("shows an account's interactions per day and best posting hours, on a phone screen too", async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page);
    await page.click('nav.tabs button:has-text("engagement")');
    await page.selectOption('select[name=account]', 'wire');
    const totals = page.locator('[data-testid=engagement-totals]');
    await expect
      .poll(() => totals.textContent(), { timeout: 15_000 })
      .toContain(
        `6 posts read · ${sum('likes')} likes · ${sum('reposts')} reposts · ${sum('replies')} replies`,
      );
    // One bar per day of publishing, titled with that day's counts.
    const chart = page.locator('svg.chart');
    const label = (await chart.getAttribute('aria-label')) ?? '';
    const perDay = [...counts.values()];
    const dayLikes = [perDay.slice(0, 3), perDay.slice(3)].map((d) => d.reduce((s, c) => s + c.likes, 0));
    expect(label).toMatch(
      new RegExp(`: ${dayLikes[0]} likes, .* on 3 posts; .*: ${dayLikes[1]} likes, .* on 3 posts`),
    );
    expect(await chart.locator('rect.bar').count()).toBe(2);
    // Three posts at 18:00 and three at 21:00 (UTC): both hours ranked, 21:00 (more engagement) first.
    const rows = page.locator('[data-testid=best-times] tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').first().textContent()).toMatch(/21:00$/);
    expect(await rows.nth(1).locator('td').first().textContent()).toMatch(/18:00$/);
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'phone-engagement.png') });
    await page.close();
    // The page asks for its session before logging in: those 401s are expected, nothing else is.
    expect(
      problems.filter((p) => !/401 .*\/api\/session|401 \(Unauthorized\) .*\/api\/session/.test(p)),
    ).toEqual([]);
  }, 60_000);
});
