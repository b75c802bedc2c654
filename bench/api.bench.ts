/**
 * API latency under load: the post list at a fixed rate (default 200
 * requests/s) with 10,000 posts in the store, through the whole server (auth
 * by token, zod validation, rate limiter, keyset query, serialization).
 *
 *   node bench/api.bench.ts [--rate 200] [--seconds 20] [--posts 10000] [--connections 20] [--cpu-prof DIR]
 *   bash scripts/with-postgres.sh node bench/api.bench.ts     (PostgreSQL instead of PGlite in memory)
 *
 * The server runs in a child process of its own (as in production), so the
 * load generator never competes with it for an event loop. With --cpu-prof
 * the server writes a V8 CPU profile of the load (not the seeding) into DIR. The server counts the SQL
 * statements it runs, and the report gives them per request.
 *
 * Prints rps, p50/p90/p99/max latency, SQL statements and server CPU time per
 * request, and the machine's load average; exits 1 when any request failed.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { KyselyPlugin } from 'kysely';
import { sql } from 'kysely';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    posts: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '20' },
    'cpu-prof': { type: 'string' },
    serve: { type: 'boolean', default: false },
  },
});

/** Messages between the bench and its server process. */
type FromServer =
  | { type: 'ready'; url: string; token: string; store: string; nextCursor: string }
  | { type: 'statements'; count: number; cpuMs: number };

if (values.serve) await serve(Number(values.posts));
else await load();

/** The server side: seeds a store, listens on loopback, reports how many SQL statements ran. */
async function serve(postCount: number): Promise<void> {
  const { buildServer } = await import('../src/api/server.ts');
  const { createServices } = await import('../src/api/services.ts');
  const { openStore } = await import('../src/store/store.ts');
  const store = await benchStore(openStore);
  await seed(store.db, postCount);
  const pepper = Buffer.alloc(32, 7);
  const services = createServices({
    db: store.db,
    keys: { pepper },
    accounts: [],
    voices: new Map(),
    sources: [],
    now: () => new Date(),
  });
  const { token } = await services.createToken('bench', 'bench', 'viewer');
  let statements = 0;
  // Counted on results: once per statement run (subqueries are transformed apart, results are not).
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      statements++;
      return args.result;
    },
  };
  const app = buildServer({
    store: { ...store, db: store.db.withPlugin(counter) },
    ready: () => true,
    keys: { pepper },
    rateLimitPerMinute: 1_000_000,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const first = (await (
    await fetch(`${url}/api/posts?limit=50`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { nextCursor: string };
  const send = (m: FromServer) => process.send?.(m);
  // The profile covers the load only, not the seeding.
  const profDir = values['cpu-prof'];
  const session = profDir ? new Session() : null;
  session?.connect();
  let cpu = process.cpuUsage();
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'reset') {
      statements = 0;
      cpu = process.cpuUsage();
      if (session) {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
    } else if (message.type === 'count') {
      if (session && profDir) {
        const { profile } = await session.post('Profiler.stop');
        mkdirSync(profDir, { recursive: true });
        writeFileSync(join(profDir, `api-server-${process.pid}.cpuprofile`), JSON.stringify(profile));
      }
      const used = process.cpuUsage(cpu);
      send({ type: 'statements', count: statements, cpuMs: (used.user + used.system) / 1000 });
    } else if (message.type === 'close')
      void app
        .close()
        .then(() => store.close())
        .then(() => process.exit(0));
  });
  send({ type: 'ready', url, token, store: store.kind, nextCursor: first.nextCursor });
}

// PostgreSQL when WIREREPORT_TEST_DATABASE_URL names a server (a fresh
// database is made on it), else PGlite in memory.
async function benchStore(openStore: typeof import('../src/store/store.ts').openStore) {
  const admin = process.env.WIREREPORT_TEST_DATABASE_URL;
  if (!admin) return openStore({ dataDir: 'memory' });
  const { default: pg } = await import('pg');
  const name = `wr_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return openStore({ databaseUrl: url.toString() });
}

/** 8 accounts, 2 leagues, 1000 events, `postCount` posts spread over 10 days in several statuses. */
async function seed(db: import('kysely').Kysely<import('../src/store/schema.ts').DB>, postCount: number) {
  const t0 = new Date('2025-05-31T00:00:00Z');
  await sql`
    INSERT INTO accounts (id, platform, handle, config, updated_at)
    SELECT 'acct-' || i, (ARRAY['x','bluesky','mastodon','telegram'])[1 + i % 4], '@a' || i, '{}'::jsonb, now()
    FROM generate_series(0, 7) i`.execute(db);
  await sql`
    INSERT INTO events (id, game_id, league, source, kind, sequence, occurred_at, ingested_at, significance, breaking, reasons, payload)
    SELECT 'ev-' || i, 'g-' || (i / 100), CASE WHEN i % 2 = 0 THEN 'nba' ELSE 'nfl' END, 'bench', 'score', i,
           ${t0}::timestamptz + make_interval(secs => i * 60), ${t0}::timestamptz + make_interval(secs => i * 60 + 2),
           0.5, false, '[]'::jsonb, '{}'::jsonb
    FROM generate_series(0, 999) i`.execute(db);
  await sql`
    INSERT INTO posts (id, account_id, event_id, variant, status, priority, significance, text, writer, created_at, updated_at)
    SELECT 'p_' || lpad(i::text, 6, '0'), 'acct-' || (i % 8), 'ev-' || (i % 1000), i / 1000,
           (ARRAY['published','published','published','queued','awaiting_approval','rejected','failed','expired'])[1 + i % 8],
           50, 0.5, 'Post number ' || i || ': Pacers 125, Knicks 108 with a line long enough to look like a real post.',
           'bench', ${t0}::timestamptz + make_interval(secs => i * 86), ${t0}::timestamptz + make_interval(secs => i * 86)
    FROM generate_series(0, ${postCount - 1}) i`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/** The load side: starts the server process, drives it with autocannon, reports. */
async function load(): Promise<void> {
  /** The part of autocannon's programmatic API used here (it ships no types). */
  interface AutocannonResult {
    requests: { average: number; total: number };
    latency: { p50: number; p90: number; p99: number; p99_9: number; max: number; average: number };
    non2xx: number;
    errors: number;
  }
  type Autocannon = (options: {
    url: string;
    connections: number;
    overallRate: number;
    duration: number;
    headers: Record<string, string>;
    requests: { setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }[];
  }) => Promise<AutocannonResult>;
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const profDir = values['cpu-prof'];
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', '--posts', values.posts, ...(profDir ? ['--cpu-prof', profDir] : [])],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const next = <T extends FromServer['type']>(type: T) =>
    new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
      const onMessage = (m: FromServer) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m as Extract<FromServer, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
  const ready = await next('ready');
  const paths = [
    '/api/posts?limit=50',
    '/api/posts?limit=50&status=awaiting_approval',
    '/api/posts?limit=50&account=acct-3',
    '/api/posts?limit=50&league=nfl&status=published',
    `/api/posts?limit=50&cursor=${ready.nextCursor}`,
    '/api/posts?limit=50&from=2025-06-03T00:00:00Z&to=2025-06-05T00:00:00Z',
  ];
  const loadBefore = loadavg()[0]!;
  child.send({ type: 'reset' });
  let n = 0;
  const result = await autocannon({
    url: ready.url,
    connections: Number(values.connections),
    overallRate: rate,
    duration: seconds,
    headers: { authorization: `Bearer ${ready.token}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length]! }) }],
  });
  const counted = next('statements');
  child.send({ type: 'count' });
  const { count, cpuMs } = await counted;
  const loadAfter = loadavg()[0]!;
  child.send({ type: 'close' });
  await new Promise((resolve) => child.once('exit', resolve));

  const l = result.latency;
  console.log(
    JSON.stringify(
      {
        store: ready.store,
        posts: Number(values.posts),
        targetRate: rate,
        achievedRate: Math.round(result.requests.average),
        seconds,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        sqlPerRequest: Number((count / Math.max(1, result.requests.total)).toFixed(3)),
        // CPU time the server spent per request: steadier than latency on a busy machine.
        serverCpuMsPerRequest: Number((cpuMs / Math.max(1, result.requests.total)).toFixed(3)),
        latencyMs: { p50: l.p50, p90: l.p90, p99: l.p99, p999: l.p99_9, max: l.max, mean: l.average },
        loadAverage1m: { before: loadBefore, after: loadAfter },
        ...(profDir ? { cpuProfileDir: profDir } : {}),
      },
      null,
      2,
    ),
  );
  process.exitCode = result.non2xx > 0 || result.errors > 0 ? 1 : 0;
}
