import { parseArgs } from 'node:util';
import { loadConfig } from '../../app/config.ts';
import { listOutbox } from '../../store/outbox.ts';
import { openStore } from '../../store/store.ts';
import type { CliIo } from '../io.ts';
import { DEFAULT_CONFIG } from './defaults.ts';

/** `wirereport outbox [--config FILE] [--data DIR] [--account ID] [--limit N] [--json]`: what the outbox recorded. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      data: { type: 'string' },
      account: { type: 'string' },
      limit: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig(values.config ?? DEFAULT_CONFIG, {
    env: io.env,
    ...(values.data ? { dataDir: values.data } : {}),
  });
  const store = await openStore(
    io.env.DATABASE_URL ? { databaseUrl: io.env.DATABASE_URL } : { dataDir: config.dataDir },
  );
  try {
    const messages = await listOutbox(store.db, {
      limit: Number(values.limit),
      ...(values.account ? { accountId: values.account } : {}),
    });
    if (values.json) io.stdout(`${JSON.stringify(messages)}\n`);
    else
      for (const m of messages.reverse())
        io.stdout(`${m.sentAt.toISOString()} [${m.accountId} on ${m.platform}] ${m.text}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
