import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  logIn as logInAt,
  OPERATOR,
  openWebHarness,
  type WebHarness,
  watchProblems,
} from './harness.ts';

/**
 * The dashboard in headless Chromium against the engine running in this
 * process: an operator logs in, watches the replayed game's drafts arrive
 * over the live stream, opens one from the approval queue (claims
 * highlighted, with what each was grounded in), approves it and sees it
 * published. Then the same page on a phone-sized screen.
 */

const SHOTS = join(import.meta.dirname, '..', '..', '.data', 'screenshots');

let h: WebHarness;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const problems: string[] = [];

/** Opens the dashboard, logging in unless the browser's session cookie still holds. */
const logIn = (page: Page) => logInAt(page, h.url);

const watch = (page: Page) => watchProblems(page, problems);

beforeAll(async () => {
  h = await openWebHarness();
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('dashboard', () => {
  it('refuses a wrong password, then logs in with the session cookie', async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.goto(h.url);
    await page.fill('input[name=name]', OPERATOR.name);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('wrong name or password');
    await page.fill('input[name=password]', OPERATOR.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('header.top');
    expect(await page.textContent('header.top')).toContain(`${OPERATOR.name} (operator)`);
    const cookies = await browser.context.cookies(h.url);
    expect(cookies.find((c) => c.name === 'wr_session')?.httpOnly).toBe(true);
    await page.close();
  }, 60_000);

  it('shows the replayed game live, approves a post from the queue and sees it published', async () => {
    const page = await browser.context.newPage();
    watch(page);
    await logIn(page);
    await page.waitForSelector('[data-testid=stream-state]:has-text("live")');
    expect(await page.locator('[data-testid=stream] li').count()).toBe(0);

    // The game starts only now: whatever the page shows arrived over the live stream.
    void h.replay(600);
    await page.waitForSelector('[data-testid=stream] li[data-type=post]', { timeout: 60_000 });
    const first = await page.locator('[data-testid=stream] li').count();
    await expect
      .poll(() => page.locator('[data-testid=stream] li').count(), { timeout: 60_000 })
      .toBeGreaterThan(first);
    const streamed = await page.locator('[data-testid=stream] li[data-type=post]').allTextContents();
    expect(streamed.some((t) => t.includes('desk') && t.includes('awaiting approval'))).toBe(true);

    // The approval queue: open the newest post awaiting approval.
    await page.click('nav.tabs button:has-text("queue")');
    const item = page.locator('ul.posts li.post').first();
    await item.waitFor({ timeout: 30_000 });
    const postId = (await item.getAttribute('data-post-id'))!;
    await item.locator('button.row').click();
    await item.locator('.verdict').waitFor();
    const story = await h.services.getPost(postId);
    const verdict = story.post.verdict as { claims: { text: string; groundedIn?: string }[] };
    expect(verdict.claims.length).toBeGreaterThan(0);
    // Each claim's span is highlighted, and each grounded claim says in what.
    const marks = await item.locator('mark.claim').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(verdict.claims.map((c) => c.text)).toContain(m);
    const grounded = verdict.claims.filter((c) => c.groundedIn);
    if (grounded.length > 0)
      expect(await item.locator('.grounded').first().textContent()).toContain(grounded[0]!.groundedIn);
    await page.screenshot({ path: join(SHOTS, 'desktop-queue.png') });

    await item.locator('button:has-text("approve")').click();
    await expect
      .poll(async () => (await h.services.getPost(postId)).post.status, { timeout: 30_000 })
      .toBe('published');

    // The live stream says so, and the published list links it.
    await page.click('nav.tabs button:has-text("live")');
    await page.waitForSelector(`[data-testid=stream] li[data-type=published][data-post-id="${postId}"]`, {
      timeout: 30_000,
    });
    await page.click('nav.tabs button:has-text("published")');
    const published = page.locator(`ul.published li[data-post-id="${postId}"]`);
    await published.waitFor({ timeout: 30_000 });
    expect(await published.textContent()).toContain(story.post.text.slice(0, 20));
    await page.close();
  }, 180_000);

  it('fits a phone screen (390×844) on every tab', async () => {
    const page = await browser.context.newPage();
    watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page);
    for (const tab of ['live', 'queue', 'accounts', 'published', 'costs', 'health']) {
      await page.click(`nav.tabs button:has-text("${tab}")`);
      await page.waitForSelector('main.panels section.card');
      await page.waitForTimeout(300);
      const width = await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
            .documentElement.scrollWidth,
      );
      expect(width, `${tab} tab overflows the phone screen`).toBeLessThanOrEqual(390);
    }
    await page.click('nav.tabs button:has-text("accounts")');
    await page.waitForSelector('[data-account=desk]');
    await page.screenshot({ path: join(SHOTS, 'phone-accounts.png') });
    await page.click('nav.tabs button:has-text("queue")');
    await page.locator('ul.posts li.post button.row').first().click();
    await page.waitForSelector('.verdict');
    await page.screenshot({ path: join(SHOTS, 'phone-queue.png'), fullPage: false });
    await page.click('nav.tabs button:has-text("costs")');
    await page.screenshot({ path: join(SHOTS, 'phone-costs.png') });
    await page.close();
  }, 120_000);

  it('pauses and resumes an account from the UI', async () => {
    const page = await browser.context.newPage();
    watch(page);
    await logIn(page);
    await page.click('nav.tabs button:has-text("accounts")');
    const card = page.locator('[data-account=wire]');
    await card.locator('button:has-text("pause")').click();
    await card.locator('.badge:has-text("paused")').waitFor();
    const paused = await h.store.db
      .selectFrom('accounts')
      .select('paused')
      .where('id', '=', 'wire')
      .executeTakeFirstOrThrow();
    expect(paused.paused).toBe(true);
    await card.locator('button:has-text("resume")').click();
    await expect
      .poll(
        async () =>
          (
            await h.store.db
              .selectFrom('accounts')
              .select('paused')
              .where('id', '=', 'wire')
              .executeTakeFirstOrThrow()
          ).paused,
      )
      .toBe(false);
    await page.close();
  }, 60_000);

  it('ran without script errors or CSP violations', () => {
    // The wrong-password login answers 401 (the browser logs the failed request); nothing else may.
    const unexpected = problems.filter((p) => !/401/.test(p));
    expect(unexpected).toEqual([]);
  });
});
