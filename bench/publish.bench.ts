/**
 * `npm run bench:publish`: publishing against the real local peers.
 *
 * 1. Throughput per platform: the publisher (PGlite in memory) publishes
 *    BENCH_POSTS posts (default 60) over 3 accounts per platform to the
 *    Bluesky PDS, snac2, telegram-test-api, and the X and Discord fakes behind
 *    prism. Prints posts/s and the engine's own overhead per publish: the
 *    time of `publishOne` minus the time spent inside the platform call
 *    (claim, transitions, ledger; in ms).
 * 2. Chaos: BENCH_CHAOS_POSTS posts (default 100) over 9 accounts on three
 *    peers, the publisher in a child process SIGKILLed BENCH_KILLS times
 *    (default 10) mid-publish; prints what the peers hold (each post once?).
 *
 * Needs snac (scripts/install-snac.sh) and better-sqlite3 built for this Node
 * (scripts/build-better-sqlite3.sh).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../src/domain/account.ts';
import { systemClock } from '../src/pipeline/clock.ts';
import { Publisher } from '../src/pipeline/publisher.ts';
import { type AdapterCredentials, createPlatformAdapter } from '../src/publish/factory.ts';
import { htmlToText } from '../src/publish/http.ts';
import type { PlatformAdapter } from '../src/publish/platform.ts';
import { syncAccounts } from '../src/store/accounts.ts';
import { openStore } from '../src/store/store.ts';
import type { ChaosSpec } from '../test/publish/chaos-worker.ts';
import { fastAccount, seedPosts } from '../test/publish/seed.ts';
import { startBlueskyPeer } from '../test/support/peers/bluesky.ts';
import { startDiscordFake } from '../test/support/peers/discord-fake.ts';
import { startPrismProxy } from '../test/support/peers/prism.ts';
import { startSnacPeer } from '../test/support/peers/snac.ts';
import { startTelegramPeer } from '../test/support/peers/telegram.ts';
import { startXFake } from '../test/support/peers/x-fake.ts';

const POSTS = Number(process.env.BENCH_POSTS ?? 60);
const CHAOS_POSTS = Number(process.env.BENCH_CHAOS_POSTS ?? 100);
const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const root = (p: string) => new URL(`../${p}`, import.meta.url).pathname;

console.log('starting peers (Bluesky PDS, snac2, telegram-test-api, prism for X and Discord)...');
const t0 = performance.now();
const [bluesky, snac, telegram, xFake, discordFake] = await Promise.all([
  startBlueskyPeer(),
  startSnacPeer(),
  startTelegramPeer(),
  startXFake(),
  startDiscordFake(),
]);
const [xPrism, discordPrism] = await Promise.all([
  startPrismProxy(root('fixtures/peers/x_api_v2_peer.json'), xFake.url),
  startPrismProxy(root('fixtures/peers/discord_api_peer.json'), discordFake.url),
]);
console.log(`peers up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

let n = 0;
async function makeAccount(
  platform: Account['platform'],
): Promise<{ account: Account; credentials: AdapterCredentials }> {
  const id = `bench-${platform}-${n++}`;
  const account = fastAccount(id, platform, id);
  switch (platform) {
    case 'bluesky': {
      const a = await bluesky.createAccount(`bench${n}`);
      return {
        account,
        credentials: {
          name: id,
          platform,
          secrets: { password: a.password },
          settings: { service: bluesky.service, identifier: a.identifier },
        },
      };
    }
    case 'mastodon': {
      const u = await snac.addUser(`bench${n}`);
      return {
        account,
        credentials: { name: id, platform, secrets: { accessToken: u.token }, settings: { url: snac.url } },
      };
    }
    case 'telegram':
      return {
        account,
        credentials: {
          name: id,
          platform,
          secrets: { botToken: `${900000 + n}:bench-${Math.random().toString(36).slice(2)}` },
          settings: { chatId: `-100${8880000 + n}`, apiRoot: telegram.apiRoot },
        },
      };
    case 'x': {
      const u = xFake.addUser(`bench${n}`);
      return {
        account,
        credentials: {
          name: id,
          platform,
          secrets: { accessToken: u.token },
          settings: { userId: u.id, apiBase: xPrism.url },
        },
      };
    }
    case 'discord': {
      const h = discordFake.addWebhook(discordPrism.url);
      return { account, credentials: { name: id, platform, secrets: { webhookUrl: h.url }, settings: {} } };
    }
    default:
      throw new Error(`no peer for ${platform}`);
  }
}

const rows: string[] = [];
for (const platform of ['bluesky', 'mastodon', 'telegram', 'x', 'discord'] as const) {
  const made = await Promise.all([0, 1, 2].map(() => makeAccount(platform)));
  const accounts = made.map((m) => m.account);
  let inside = 0;
  const adapters = new Map<string, PlatformAdapter>();
  for (const m of made) {
    const real = createPlatformAdapter(m.account, m.credentials);
    adapters.set(m.account.id, {
      ...real,
      platform: real.platform,
      publish: async (request, signal) => {
        const s = performance.now();
        try {
          return await real.publish(request, signal);
        } finally {
          inside += performance.now() - s;
        }
      },
    });
  }
  const store = await openStore({ dataDir: 'memory' });
  await syncAccounts(store.db, accounts, new Date());
  await seedPosts(store.db, accounts, POSTS, `bench-${platform}`);
  const publisher = new Publisher({
    store,
    accounts,
    adapterFor: (a) => adapters.get(a.id)!,
    clock: systemClock,
    worker: 'bench',
  });
  // One warm-up publish per account (sessions, instance limits) outside the measurement.
  for (let i = 0; i < accounts.length; i++) await publisher.publishOne();
  inside = 0;
  const start = performance.now();
  let published = 0;
  for (;;) {
    const r = await publisher.publishOne();
    if (!r) break;
    if (r.outcome === 'published') published++;
  }
  const total = performance.now() - start;
  await store.close();
  rows.push(
    `${platform.padEnd(9)} ${String(published).padStart(4)} posts  ${(published / (total / 1000)).toFixed(1).padStart(7)} posts/s  ` +
      `platform call ${(inside / published).toFixed(1).padStart(6)} ms/post  engine overhead ${((total - inside) / published).toFixed(1).padStart(5)} ms/post`,
  );
}
console.log(`\npublishing throughput (one worker, 3 accounts per platform, PGlite in memory):`);
for (const r of rows) console.log(`  ${r}`);

// Chaos: the publisher in a child process, SIGKILLed mid-publish.
const dir = mkdtempSync(join(tmpdir(), 'wirereport-bench-chaos-'));
const dataDir = join(dir, 'data');
const chaos = await Promise.all(
  [
    'bluesky',
    'mastodon',
    'telegram',
    'bluesky',
    'mastodon',
    'telegram',
    'bluesky',
    'mastodon',
    'telegram',
  ].map((p) => makeAccount(p as Account['platform'])),
);
{
  const store = await openStore({ dataDir });
  await syncAccounts(
    store.db,
    chaos.map((c) => c.account),
    new Date(),
  );
  await seedPosts(
    store.db,
    chaos.map((c) => c.account),
    CHAOS_POSTS,
    'bench-chaos',
  );
  await store.close();
}
const spec: ChaosSpec = {
  accounts: chaos.map((c) => c.account),
  credentials: Object.fromEntries(chaos.map((c) => [c.account.id, c.credentials])),
  telegramEmulator: telegram.emulatorUrl,
  leaseMs: 4000,
  sessionsFile: join(dir, 'sessions.json'),
};
writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
const run = (kill: { after: number; ms: number } | null) =>
  new Promise<{ killed: boolean; ms: number }>((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [root('test/publish/chaos-worker.ts'), join(dir, 'spec.json'), '--data', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!kill || armed || !/^ready/m.test(out)) return;
      if (out.split('\n').filter((l) => l.startsWith('published ')).length >= kill.after) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.ms);
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code, signal) =>
      signal === null && code !== 0
        ? reject(new Error(`chaos worker failed: ${err.slice(-1000)}`))
        : resolve({ killed: signal === 'SIGKILL', ms: performance.now() - start }),
    );
  });
const chaosStart = performance.now();
let killed = 0;
for (let k = 0; k < KILLS; k++)
  if ((await run({ after: Math.floor(Math.random() * 8), ms: Math.floor(Math.random() * 120) })).killed)
    killed++;
await run(null);
const chaosSeconds = (performance.now() - chaosStart) / 1000;
let onPeers = 0;
let duplicates = 0;
let missing = 0;
{
  const store = await openStore({ dataDir });
  const posts = await store.db.selectFrom('posts').select(['account_id', 'text']).execute();
  await store.close();
  for (const c of chaos) {
    const creds = c.credentials;
    let texts: string[];
    if (creds.platform === 'bluesky') {
      const session = await bluesky.posts((await resolveDid(creds.settings.identifier!))!);
      texts = session.map((p) => p.text);
    } else if (creds.platform === 'mastodon')
      texts = (await snac.statuses({ token: creds.secrets.accessToken! })).map((s) => htmlToText(s.content));
    else texts = (await telegram.sent(creds.secrets.botToken!)).map((m) => m.text);
    onPeers += texts.length;
    for (const p of posts.filter((x) => x.account_id === c.account.id)) {
      const count = texts.filter((t) => t === p.text).length;
      if (count === 0) missing++;
      if (count > 1) duplicates += count - 1;
    }
  }
}
console.log(
  `\nchaos: ${CHAOS_POSTS} posts, 9 accounts on Bluesky PDS + snac2 + telegram-test-api, ${killed} SIGKILLs mid-publish: ` +
    `${onPeers} posts on the peers, ${duplicates} duplicates, ${missing} missing, ${chaosSeconds.toFixed(1)} s`,
);

async function resolveDid(handle: string): Promise<string | undefined> {
  const res = await fetch(
    `${bluesky.service}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(handle)}`,
  );
  return ((await res.json()) as { did?: string }).did;
}

rmSync(dir, { recursive: true, force: true });
await Promise.allSettled([
  xPrism.stop(),
  discordPrism.stop(),
  bluesky.stop(),
  snac.stop(),
  telegram.stop(),
  xFake.stop(),
  discordFake.stop(),
]);
process.exit(duplicates === 0 && missing === 0 ? 0 : 1);
