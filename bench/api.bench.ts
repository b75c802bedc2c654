/**
 * API latency under load: the post list at a fixed 200 requests/s with
 * 10,000 posts in the embedded store (PGlite in memory), through the whole
 * server (auth by token, zod validation, rate limiter, keyset query).
 *
 *   node bench/api.bench.ts [--rate 200] [--seconds 20] [--posts 10000]
 *
 * Prints p50/p90/p99/max latency and the count of non-2xx answers; exits 1
 * when any request failed.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildServer } from '../src/api/server.ts';
import { createServices } from '../src/api/services.ts';
import { openStore } from '../src/store/store.ts';

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

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    posts: { type: 'string', default: '10000' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const postCount = Number(values.posts);

// PostgreSQL when WIREREPORT_TEST_DATABASE_URL names a server (a fresh
// database is made on it: `bash scripts/with-postgres.sh node bench/api.bench.ts`),
// else PGlite in memory.
async function benchStore() {
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
const store = await benchStore();
const t0 = Date.parse('2025-05-31T00:00:00Z');
// 8 accounts, 2 leagues, 1000 events, 10,000 posts spread over 10 days in several statuses.
await sql`
  INSERT INTO accounts (id, platform, handle, config, updated_at)
  SELECT 'acct-' || i, (ARRAY['x','bluesky','mastodon','telegram'])[1 + i % 4], '@a' || i, '{}'::jsonb, now()
  FROM generate_series(0, 7) i`.execute(store.db);
await sql`
  INSERT INTO events (id, game_id, league, source, kind, sequence, occurred_at, ingested_at, significance, breaking, reasons, payload)
  SELECT 'ev-' || i, 'g-' || (i / 100), CASE WHEN i % 2 = 0 THEN 'nba' ELSE 'nfl' END, 'bench', 'score', i,
         ${new Date(t0)}::timestamptz + make_interval(secs => i * 60), ${new Date(t0)}::timestamptz + make_interval(secs => i * 60 + 2),
         0.5, false, '[]'::jsonb, '{}'::jsonb
  FROM generate_series(0, 999) i`.execute(store.db);
await sql`
  INSERT INTO posts (id, account_id, event_id, variant, status, priority, significance, text, writer, created_at, updated_at)
  SELECT 'p_' || lpad(i::text, 6, '0'), 'acct-' || (i % 8), 'ev-' || (i % 1000), i / 1000,
         (ARRAY['published','published','published','queued','awaiting_approval','rejected','failed','expired'])[1 + i % 8],
         50, 0.5, 'Post number ' || i || ': Pacers 125, Knicks 108 with a line long enough to look like a real post.',
         'bench', ${new Date(t0)}::timestamptz + make_interval(secs => i * 86), ${new Date(t0)}::timestamptz + make_interval(secs => i * 86)
  FROM generate_series(0, ${postCount - 1}) i`.execute(store.db);
await sql`ANALYZE`.execute(store.db);

const services = createServices({
  db: store.db,
  keys: { pepper: Buffer.alloc(32, 7) },
  accounts: [],
  voices: new Map(),
  sources: [],
  now: () => new Date(),
});
const { token } = await services.createToken('bench', 'bench', 'viewer');
const app = buildServer({
  store,
  ready: () => true,
  keys: { pepper: Buffer.alloc(32, 7) },
  rateLimitPerMinute: 1_000_000,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// A mix of list queries an operator's dashboard makes: first pages, filters, a later page.
const firstPage = (await (
  await fetch(`${url}/api/posts?limit=50`, { headers: { authorization: `Bearer ${token}` } })
).json()) as {
  nextCursor: string;
};
const paths = [
  '/api/posts?limit=50',
  '/api/posts?limit=50&status=awaiting_approval',
  '/api/posts?limit=50&account=acct-3',
  '/api/posts?limit=50&league=nfl&status=published',
  `/api/posts?limit=50&cursor=${firstPage.nextCursor}`,
  `/api/posts?limit=50&from=2025-06-03T00:00:00Z&to=2025-06-05T00:00:00Z`,
];
let n = 0;
const result = await autocannon({
  url,
  connections: 20,
  overallRate: rate,
  duration: seconds,
  headers: { authorization: `Bearer ${token}` },
  requests: [
    {
      setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length]! }),
    },
  ],
});
await app.close();
await store.close();

const l = result.latency;
console.log(
  JSON.stringify(
    {
      store: store.kind,
      posts: postCount,
      targetRate: rate,
      achievedRate: Math.round(result.requests.average),
      seconds,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      latencyMs: { p50: l.p50, p90: l.p90, p99: l.p99, p999: l.p99_9, max: l.max, mean: l.average },
    },
    null,
    2,
  ),
);
process.exitCode = result.non2xx > 0 || result.errors > 0 ? 1 : 0;
