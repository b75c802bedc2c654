import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openStore } from '../src/store/store.ts';
import { launchBrowser, OPERATOR, openWebHarness } from '../test/web/harness.ts';

/**
 * bench:web — the dashboard's first load: bytes of every file the page
 * fetches before it is usable (raw and gzip, as served), and time from
 * navigation to the first post rendered, in headless Chromium (Debian's
 * /usr/bin/chromium) against the engine in process with the recorded NBA
 * game replayed (posts already stored, session cookie already set).
 * Runs `RUNS` cold loads (fresh page, cache disabled) and prints the median.
 */

const RUNS = Number(process.env.RUNS ?? 5);

const dataDir = mkdtempSync(join(tmpdir(), 'wirereport-web-bench-'));
const h = await openWebHarness({ store: await openStore({ dataDir }) });
await h.replay(5000);
const browser = await launchBrowser();
try {
  // Log in once: later loads measure the dashboard itself, not the login form.
  const login = await browser.context.newPage();
  await login.goto(h.url);
  await login.fill('input[name=name]', OPERATOR.name);
  await login.fill('input[name=password]', OPERATOR.password);
  await login.click('button[type=submit]');
  await login.waitForSelector('header.top');
  await login.close();

  const times: number[] = [];
  let files: { url: string; raw: number; gzip: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const seen: { url: string; raw: number; gzip: number }[] = [];
    page.on('response', async (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/' || url.pathname.startsWith('/assets/') || url.pathname.endsWith('.svg')) {
        const body = await r.body().catch(() => Buffer.alloc(0));
        seen.push({ url: url.pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
      }
    });
    const began = performance.now();
    await page.goto(`${h.url}/#queue`);
    await page.waitForSelector('ul.posts li.post');
    times.push(performance.now() - began);
    files = seen;
    await page.close();
  }
  times.sort((a, b) => a - b);
  const raw = files.reduce((n, f) => n + f.raw, 0);
  const gz = files.reduce((n, f) => n + f.gzip, 0);
  console.log('dashboard first load (headless Chromium, loopback, cache disabled)');
  for (const f of files)
    console.log(`  ${f.url.padEnd(36)} ${String(f.raw).padStart(8)} B  ${String(f.gzip).padStart(7)} B gzip`);
  console.log(`  total${' '.repeat(31)} ${String(raw).padStart(8)} B  ${String(gz).padStart(7)} B gzip`);
  console.log(
    `navigation to first post rendered: median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms over ${RUNS} loads`,
  );
} finally {
  await browser.close();
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
}
