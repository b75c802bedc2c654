import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/domain/account.ts';
import type { AdapterCredentials } from '../../src/publish/factory.ts';
import { htmlToText } from '../../src/publish/http.ts';
import { syncAccounts } from '../../src/store/accounts.ts';
import { countByStatus } from '../../src/store/posts.ts';
import { type BlueskyPeer, startBlueskyPeer } from '../support/peers/bluesky.ts';
import { type SnacPeer, startSnacPeer } from '../support/peers/snac.ts';
import { startTelegramPeer, type TelegramPeer } from '../support/peers/telegram.ts';
import { type TestLocation, testLocation } from '../support/store.ts';
import type { ChaosSpec } from './chaos-worker.ts';
import { fastAccount, seedPosts } from './seed.ts';

/**
 * 200 posts for 20 accounts on three real peers (Bluesky's PDS, snac2 for
 * Mastodon, telegram-test-api). The publisher runs in a child process that is
 * killed with SIGKILL at random moments 20 times and restarted; afterwards
 * every post exists exactly once on the peers, counted on the peers.
 */
const POSTS = 200;
const KILLS = 20;

let bluesky: BlueskyPeer;
let snac: SnacPeer;
let telegram: TelegramPeer;
let location: TestLocation;
let dir: string;

/** A seeded random generator, so a failing run can be replayed (seed printed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Runs the worker; with `kill`, SIGKILLs it `afterMs` after its `afterPublished`-th
 * publish (0: after it is ready), so kills land while posts are in flight.
 */
function runWorker(
  specPath: string,
  kill: { afterPublished: number; afterMs: number } | null,
): Promise<{ signal: string | null; code: number | null; published: number; stderr: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['test/publish/chaos-worker.ts', specPath, ...location.args], {
      env: { ...process.env, ...location.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (kill === null || armed || !/^ready/m.test(stdout)) return;
      const published = stdout.split('\n').filter((l) => l.startsWith('published ')).length;
      if (published >= kill.afterPublished) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const published = stdout.split('\n').filter((l) => l.startsWith('published ')).length;
      if (signal === null && code !== 0)
        reject(new Error(`chaos worker failed (${code}): ${stderr.slice(-2000)}`));
      else resolve({ signal, code, published, stderr, ms: Date.now() - start });
    });
  });
}

describe('publishing under SIGKILL', () => {
  const accounts: Account[] = [];
  const credentials: Record<string, AdapterCredentials> = {};
  const peerReaders = new Map<string, () => Promise<string[]>>();
  const texts = new Map<string, string[]>();

  beforeAll(async () => {
    [bluesky, snac, telegram] = await Promise.all([startBlueskyPeer(), startSnacPeer(), startTelegramPeer()]);
    location = await testLocation();
    dir = mkdtempSync(join(tmpdir(), 'wirereport-chaos-'));
    // Peer accounts are created concurrently (Bluesky hashes passwords with scrypt: slow one by one).
    const made = await Promise.all(
      Array.from(
        { length: 20 },
        async (
          _,
          i,
        ): Promise<{ account: Account; credentials: AdapterCredentials; read: () => Promise<string[]> }> => {
          const id = `chaos-${i}`;
          if (i % 3 === 0) {
            const acc = await bluesky.createAccount(`chaos${i}`);
            return {
              account: fastAccount(id, 'bluesky', acc.identifier),
              credentials: {
                name: id,
                platform: 'bluesky',
                secrets: { password: acc.password },
                settings: { service: bluesky.service, identifier: acc.identifier },
              },
              read: async () => (await bluesky.posts(acc.did)).map((p) => p.text),
            };
          }
          if (i % 3 === 1) {
            const user = await snac.addUser(`chaos${i}`);
            return {
              account: fastAccount(id, 'mastodon', user.name),
              credentials: {
                name: id,
                platform: 'mastodon',
                secrets: { accessToken: user.token },
                settings: { url: snac.url },
              },
              read: async () => (await snac.statuses(user)).map((s) => htmlToText(s.content)),
            };
          }
          const token = `${700000 + i}:chaos-${Math.random().toString(36).slice(2)}`;
          const chatId = `-100${5550000 + i}`;
          return {
            account: fastAccount(id, 'telegram', `@chaos${i}`),
            credentials: {
              name: id,
              platform: 'telegram',
              secrets: { botToken: token },
              settings: { chatId, apiRoot: telegram.apiRoot },
            },
            read: async () =>
              (await telegram.sent(token)).filter((m) => m.chatId === chatId).map((m) => m.text),
          };
        },
      ),
    );
    for (const m of made) {
      accounts.push(m.account);
      credentials[m.account.id] = m.credentials;
      peerReaders.set(m.account.id, m.read);
    }
    const store = await location.open();
    try {
      const now = new Date();
      await syncAccounts(store.db, accounts, now);
      for (const [id, list] of await seedPosts(store.db, accounts, POSTS, 'chaos', now)) texts.set(id, list);
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([bluesky?.stop(), snac?.stop(), telegram?.stop(), location?.dispose()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes every post exactly once on the peers despite 20 SIGKILLs', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const spec: ChaosSpec = {
      accounts,
      credentials,
      telegramEmulator: telegram.emulatorUrl,
      leaseMs: 4000,
      sessionsFile: join(dir, 'bluesky-sessions.json'),
    };
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const started = Date.now();
    let killed = 0;
    let publishedBeforeKills = 0;
    const runMs: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const r = await runWorker(specPath, {
        afterPublished: Math.floor(random() * 8),
        afterMs: Math.floor(random() * 120),
      });
      if (r.signal === 'SIGKILL') killed++;
      runMs.push(r.ms);
      publishedBeforeKills += r.published;
    }
    const last = await runWorker(specPath, null);
    expect(last.code, last.stderr.slice(-2000)).toBe(0);
    const seconds = (Date.now() - started) / 1000;

    // Counted on the peers: each text exactly once, none missing, nothing else.
    let total = 0;
    const problems: string[] = [];
    for (const acc of accounts) {
      const onPeer = await peerReaders.get(acc.id)!();
      total += onPeer.length;
      const counts = new Map<string, number>();
      for (const t of onPeer) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of texts.get(acc.id) ?? []) {
        const c = counts.get(t) ?? 0;
        if (c !== 1) problems.push(`${acc.id} (${acc.platform}): "${t}" found ${c} times`);
      }
      if (onPeer.length !== (texts.get(acc.id) ?? []).length)
        problems.push(
          `${acc.id}: ${onPeer.length} posts on the peer, ${(texts.get(acc.id) ?? []).length} expected`,
        );
    }
    const store = await location.open();
    const byStatus = await countByStatus(store.db);
    await store.close();
    console.log(
      `chaos (seed ${seed}): ${killed} kills, ${publishedBeforeKills} published before the last run, ${last.published} in it; ` +
        `${total} posts on the peers; store ${JSON.stringify(byStatus)}; ${seconds.toFixed(1)} s ` +
        `(killed runs ${Math.round(runMs.reduce((a, b) => a + b, 0) / runMs.length)} ms on average, last run ${last.ms} ms)`,
    );
    expect(problems).toEqual([]);
    expect(killed).toBe(KILLS);
    expect(total).toBe(POSTS);
    expect(byStatus.published).toBe(POSTS);
  }, 240_000);
});
