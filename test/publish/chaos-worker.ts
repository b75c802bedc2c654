/**
 * The publisher as its own process, for the chaos test (and the bench): reads
 * a spec (accounts, their credentials on the local peers), opens the store
 * named by --data DIR or DATABASE_URL, and publishes until nothing is left
 * to publish, reconcile or take back. Prints `ready` once it has taken back
 * what a killed predecessor left, then `published <id>` per post.
 *
 * usage: node test/publish/chaos-worker.ts SPEC.json [--data DIR]
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Account } from '../../src/domain/account.ts';
import { systemClock } from '../../src/pipeline/clock.ts';
import { Publisher } from '../../src/pipeline/publisher.ts';
import type { SessionCache } from '../../src/publish/bluesky/bluesky.ts';
import { PublishBreakers } from '../../src/publish/breakers.ts';
import { type AdapterCredentials, createPlatformAdapter } from '../../src/publish/factory.ts';
import type { PlatformAdapter } from '../../src/publish/platform.ts';
import { recordLimit } from '../../src/store/limits.ts';
import { countByStatus } from '../../src/store/posts.ts';
import { openStore } from '../../src/store/store.ts';
import { telegramHistoryOver } from '../support/peers/telegram.ts';

export interface ChaosSpec {
  accounts: Account[];
  credentials: Record<string, AdapterCredentials>;
  telegramEmulator: string;
  /** Lease of a publish (ms); short, so a killed worker's posts come back quickly on PostgreSQL. */
  leaseMs: number;
  /** Where Bluesky sessions survive restarts (a restart resumes them instead of logging in again). */
  sessionsFile: string;
}

/** Bluesky sessions in a JSON file (written atomically), so restarts resume instead of logging in. */
function fileSessions(path: string): SessionCache {
  const read = (): Record<string, unknown> =>
    existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  return {
    async load(key) {
      return (read()[key] as never) ?? null;
    },
    async save(key, session) {
      const all = read();
      if (session) all[key] = session;
      else delete all[key];
      writeFileSync(`${path}.tmp`, JSON.stringify(all));
      renameSync(`${path}.tmp`, path);
    },
  };
}

const [specPath, ...rest] = process.argv.slice(2);
if (!specPath) throw new Error('usage: chaos-worker.ts SPEC.json [--data DIR]');
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as ChaosSpec;
const dataIndex = rest.indexOf('--data');
const store =
  dataIndex >= 0
    ? await openStore({ dataDir: rest[dataIndex + 1]! })
    : await openStore({ databaseUrl: process.env.DATABASE_URL! });

const breakers = new PublishBreakers();
const blueskySessions = fileSessions(spec.sessionsFile);
const adapters = new Map<string, PlatformAdapter>();
for (const account of spec.accounts) {
  const credentials = spec.credentials[account.id];
  if (!credentials) throw new Error(`chaos spec: no credentials for ${account.id}`);
  const adapter = createPlatformAdapter(account, credentials, {
    onRateLimit: (o) => {
      recordLimit(store.db, o, new Date()).catch(() => {});
    },
    blueskySessions,
    ...(credentials.platform === 'telegram'
      ? { telegramHistory: telegramHistoryOver(spec.telegramEmulator, credentials.secrets.botToken!) }
      : {}),
  });
  adapters.set(account.id, breakers.wrap(adapter, account.id));
}

const publisher = new Publisher({
  store,
  accounts: spec.accounts,
  adapterFor: (a) => adapters.get(a.id)!,
  clock: systemClock,
  worker: `chaos:${process.pid}`,
  leaseMs: spec.leaseMs,
  timeoutMs: Math.min(10_000, spec.leaseMs - 500),
  onPublished: (p) => process.stdout.write(`published ${p.id}\n`),
  onError: (p, e) => process.stderr.write(`error ${p.id}: ${(e as Error).name}: ${(e as Error).message}\n`),
});

// On the embedded store the data lock proves the predecessor is dead.
await publisher.sweep({ everything: store.kind === 'pglite' });
process.stdout.write(`ready ${Math.round(performance.now())}ms\n`);
for (;;) {
  await publisher.sweep();
  await publisher.reconcile();
  let did = false;
  while (await publisher.publishOne()) did = true;
  const counts = await countByStatus(store.db);
  if (!counts.queued && !counts.publishing && !counts.unconfirmed) break;
  if (!did) await new Promise((r) => setTimeout(r, 100));
}
await store.close();
process.stdout.write('done\n');
// Idle keep-alive sockets to the peers would hold the process for seconds.
process.exit(0);
