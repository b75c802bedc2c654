import { parseArgs } from 'node:util';
import { UserInputError } from '../../app/errors.ts';
import { listOutbox } from '../../store/outbox.ts';
import type { CliIo } from '../io.ts';
import { BACKEND_OPTIONS, CommandError, closeBackend, openBackend } from './operator-backend.ts';

interface OutboxLine {
  accountId: string;
  platform: string;
  text: string;
  sentAt: Date | string;
}

/**
 * `wirereport outbox [--config FILE] [--data DIR] [--account ID] [--limit N] [--json]`:
 * what the outbox recorded, oldest first. Through the running server's API
 * when one runs (see operator-backend.ts), else from the store.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...BACKEND_OPTIONS,
      account: { type: 'string' },
      limit: { type: 'string', default: '50' },
    },
  });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new UserInputError(`--limit: expected a whole number from 1 to 500, got "${values.limit}"`);
  const backend = await openBackend(values, io);
  try {
    let messages: OutboxLine[];
    if (backend.kind === 'remote') {
      const q = new URLSearchParams({ limit: String(limit) });
      if (values.account) q.set('account', values.account);
      messages = ((await backend.call('GET', `/api/outbox?${q}`)) as { messages: OutboxLine[] }).messages;
    } else {
      messages = await listOutbox(backend.store.db, {
        limit,
        ...(values.account ? { accountId: values.account } : {}),
      });
    }
    if (values.json) io.stdout(`${JSON.stringify(messages)}\n`);
    else
      for (const m of messages.reverse())
        io.stdout(`${new Date(m.sentAt).toISOString()} [${m.accountId} on ${m.platform}] ${m.text}\n`);
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
