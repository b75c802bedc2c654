/**
 * The process's planning thread (`worker-planner.ts` starts it): plans the
 * events it is sent, request by request in the order sent, with the template
 * writer, and answers each with its plans or its error. Each planner (one per
 * ingestor) has its settings and its accounts' recent texts here, seeded by its
 * requests: the store stays with the thread that owns it.
 */
import { parentPort } from 'node:worker_threads';
import type { Account } from '../domain/account.ts';
import { createDeterministicWriter } from '../write/deterministic.ts';
import { DraftPlanner } from './plan.ts';
import type { ThreadReply, ThreadRequest } from './worker-planner.ts';

interface Session {
  planner: DraftPlanner;
  accounts: Map<string, Account>;
  seeds: Map<string, string[]>;
}

const sessions = new Map<number, Session>();
const writer = createDeterministicWriter();

async function plan(request: Extract<ThreadRequest, { kind: 'plan' }>): Promise<ThreadReply> {
  try {
    const session = sessions.get(request.planner);
    if (!session) throw new Error(`planner ${request.planner} is not open on this thread`);
    if (request.forget) session.planner.forget();
    for (const [accountId, texts] of request.seeds) session.seeds.set(accountId, texts);
    const items = request.items.map(({ scored, routes }) => ({
      scored,
      routes: routes.map(({ accountId, ...route }) => {
        const account = session.accounts.get(accountId);
        if (!account) throw new Error(`route to unknown account ${accountId}`);
        return { ...route, account };
      }),
    }));
    return { id: request.id, plans: await session.planner.plan(items) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { id: request.id, error: { name: e.name, message: e.message, stack: e.stack ?? '' } };
  }
}

function open(id: number, settings: Extract<ThreadRequest, { kind: 'open' }>['settings']): void {
  const seeds = new Map<string, string[]>();
  const planner = new DraftPlanner({
    voices: new Map(settings.voices),
    writer,
    experiments: settings.experiments,
    recentTexts: (accountId) => {
      const texts = seeds.get(accountId);
      if (!texts) throw new Error(`account ${accountId}: recent texts were not sent with the request`);
      seeds.delete(accountId);
      return texts;
    },
  });
  sessions.set(id, { planner, accounts: new Map(settings.accounts.map((a) => [a.id, a])), seeds });
}

// One request at a time, in the order sent: each plan sees the texts of the ones before.
let queue = Promise.resolve();
parentPort!.on('message', (request: ThreadRequest) => {
  queue = queue.then(async () => {
    if (request.kind === 'open') open(request.planner, request.settings);
    else if (request.kind === 'close') sessions.delete(request.planner);
    else parentPort!.postMessage(await plan(request));
  });
});
parentPort!.postMessage({ ready: true } satisfies ThreadReply);
