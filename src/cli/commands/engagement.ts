import { parseArgs } from 'node:util';
import { UserInputError } from '../../app/errors.ts';
import type { CliIo } from '../io.ts';
import { BACKEND_OPTIONS, CommandError, closeBackend, local, openBackend } from './operator-backend.ts';

/**
 * `wirereport engagement [--account A] [--days N] [--json]` and
 * `wirereport best-times --account A [--days N] [--min-samples N] [--json]`:
 * the same service calls as GET /api/engagement and
 * /api/accounts/:id/best-times, through the running server or the store.
 */

interface DayRow {
  day: string;
  posts: number;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}
interface EngagementReport {
  from: string | Date;
  to: string | Date;
  accounts: ({ accountId: string; platform: string; timezone: string; days: DayRow[] } & Omit<
    DayRow,
    'day'
  >)[];
}
interface BestTimesReport {
  accountId: string;
  timeZone: string;
  days: number;
  posts: number;
  tooYoung: number;
  mean: number;
  typical: number;
  minSamples: number;
  ranking: { label: string; posts: number; mean: number; typical: number; lift: number }[];
  sparse: { label: string; posts: number }[];
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserInputError(`${flag}: expected a whole number of at least 1, got "${value}"`);
  return n;
}

async function withBackend<T>(
  argv: string[],
  io: CliIo,
  extra: Record<string, { type: 'string' }>,
  body: (
    b: Awaited<ReturnType<typeof openBackend>>,
    v: Record<string, string | boolean | undefined>,
  ) => Promise<T>,
  print: (result: T) => void,
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...BACKEND_OPTIONS, ...extra } });
  const v = values as Record<string, string | boolean | undefined>;
  const backend = await openBackend(values as { config?: string; data?: string; local?: boolean }, io);
  try {
    const result = await body(backend, v);
    if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
    else print(result);
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr(`wirereport: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await closeBackend(backend);
  }
}

const num = (n: number) => String(n).padStart(7);

/** `wirereport engagement`: likes, reposts, replies and quotes per account and per day of publishing. */
export function engagement(argv: string[], io: CliIo): Promise<number> {
  return withBackend<EngagementReport>(
    argv,
    io,
    { account: { type: 'string' }, days: { type: 'string' } },
    async (b, v) => {
      const days = positiveInt(v.days as string | undefined, '--days') ?? 30;
      const account = typeof v.account === 'string' ? v.account : undefined;
      if (b.kind === 'remote') {
        const q = new URLSearchParams({ days: String(days), ...(account ? { account } : {}) });
        return (await b.call('GET', `/api/engagement?${q}`)) as EngagementReport;
      }
      return local(() => b.services.engagement({ days, ...(account ? { accountId: account } : {}) }));
    },
    (r) => {
      io.stdout(
        `engagement of posts published ${new Date(r.from).toISOString()} .. ${new Date(r.to).toISOString()}\n`,
      );
      for (const a of r.accounts) {
        io.stdout(
          `\n${a.accountId} (${a.platform}, ${a.timezone}): ${a.posts} posts read, ${a.likes} likes, ${a.reposts} reposts, ${a.replies} replies, ${a.quotes} quotes\n`,
        );
        if (a.days.length === 0) continue;
        io.stdout(`  day          posts   likes reposts replies  quotes\n`);
        for (const d of a.days)
          io.stdout(
            `  ${d.day}${num(d.posts)} ${num(d.likes)} ${num(d.reposts)} ${num(d.replies)} ${num(d.quotes)}\n`,
          );
      }
    },
  );
}

/** `wirereport best-times --account A`: the account's posting hours ranked by engagement. */
export function bestTimes(argv: string[], io: CliIo): Promise<number> {
  return withBackend<BestTimesReport>(
    argv,
    io,
    { account: { type: 'string' }, days: { type: 'string' }, 'min-samples': { type: 'string' } },
    async (b, v) => {
      const account = v.account;
      if (typeof account !== 'string' || !account)
        throw new UserInputError('--account: required (an account id)');
      const days = positiveInt(v.days as string | undefined, '--days') ?? 90;
      const minSamples = positiveInt(v['min-samples'] as string | undefined, '--min-samples') ?? 3;
      if (b.kind === 'remote') {
        const q = new URLSearchParams({ days: String(days), minSamples: String(minSamples) });
        return (await b.call(
          'GET',
          `/api/accounts/${encodeURIComponent(account)}/best-times?${q}`,
        )) as BestTimesReport;
      }
      return local(() => b.services.bestTimes(account, { days, minSamples }));
    },
    (r) => {
      io.stdout(
        `${r.accountId}: best posting hours (${r.timeZone}) from ${r.posts} posts of the last ${r.days} days` +
          ` (${r.tooYoung} too young to count); typical post ${r.typical.toFixed(1)} interactions\n`,
      );
      if (r.ranking.length === 0)
        io.stdout(`no hour has ${r.minSamples} posts yet: nothing to rank (--min-samples lowers the bar)\n`);
      else {
        io.stdout(`  rank  hour        posts   mean  typical   lift\n`);
        for (const [i, h] of r.ranking.entries())
          io.stdout(
            `  ${String(i + 1).padStart(4)}  ${h.label.padEnd(10)} ${num(h.posts)} ${h.mean.toFixed(1).padStart(6)} ${h.typical.toFixed(1).padStart(8)} ${`${h.lift.toFixed(2)}x`.padStart(6)}\n`,
          );
      }
      if (r.sparse.length > 0)
        io.stdout(
          `  too few posts (under ${r.minSamples}): ${r.sparse.map((h) => `${h.label} (${h.posts})`).join(', ')}\n`,
        );
    },
  );
}
