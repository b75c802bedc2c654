#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { UserInputError } from '../app/errors.ts';
import { DataDirLockedError } from '../store/lock.ts';
import type { CliIo } from './io.ts';

const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<{ run: (argv: string[], io: CliIo) => Promise<number> }> }
> = {
  start: {
    summary: 'run the engine (HTTP server, publishing loop, sources)',
    load: () => import('./commands/start.ts'),
  },
  replay: {
    summary: 'run the whole pipeline on recorded source files',
    load: () => import('./commands/replay.ts'),
  },
  verify: {
    summary: 'check every claim of a text against a game summary',
    load: async () => {
      const m = await import('./commands/verify.ts');
      return { run: (argv, io) => m.run(argv, io) };
    },
  },
  games: {
    summary: 'list the games being watched (state, last play, poll interval)',
    load: () => import('./commands/games.ts'),
  },
  outbox: { summary: 'show what the outbox recorded', load: () => import('./commands/outbox.ts') },
  experiments: {
    summary: 'A/B experiments: engagement per arm, lift over the control, test',
    load: () => import('./commands/experiments.ts'),
  },
  posts: {
    summary: 'list, show, approve, reject, edit, retry or cancel posts',
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.posts(argv, io) };
    },
  },
  accounts: {
    summary: 'list accounts; pause or resume an account or a platform',
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.accounts(argv, io) };
    },
  },
  budget: {
    summary: "today's budgets, or spending with --costs",
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.budget(argv, io) };
    },
  },
  token: {
    summary: 'create, list or revoke API tokens',
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.token(argv, io) };
    },
  },
  user: {
    summary: 'create, list or disable dashboard users',
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.user(argv, io) };
    },
  },
  secrets: {
    summary: 'store, list or delete encrypted secrets; rotate-key',
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.secrets(argv, io) };
    },
  },
  engagement: {
    summary: 'likes, reposts and replies read back, per account and day',
    load: async () => {
      const m = await import('./commands/engagement.ts');
      return { run: (argv, io) => m.engagement(argv, io) };
    },
  },
  'best-times': {
    summary: "an account's posting hours ranked by engagement",
    load: async () => {
      const m = await import('./commands/engagement.ts');
      return { run: (argv, io) => m.bestTimes(argv, io) };
    },
  },
  webhooks: {
    summary: 'add, list or disable signed webhook endpoints',
    load: async () => {
      const m = await import('./commands/operators.ts');
      return { run: (argv, io) => m.webhooks(argv, io) };
    },
  },
};

/** Other names commands answer to. */
const ALIASES: Record<string, string> = { tokens: 'token', users: 'user' };

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return (
    `usage: wirereport <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    'Operator commands talk to the running server when one runs (the one owning --data, or --api URL --token T)\n' +
    'and open the store themselves when none does.\n'
  );
}

/** Runs the CLI; returns the exit code. Errors a user made are printed without a stack trace (exit 2). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[ALIASES[name] ?? name];
  if (!command) {
    io.stderr(`wirereport: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    const module = await command.load();
    return await module.run(rest, io);
  } catch (error) {
    if (
      error instanceof UserInputError ||
      error instanceof DataDirLockedError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`wirereport ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the CLI on this process's arguments and streams; sets the exit code. */
export function cli(): Promise<void> {
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (p) => readFile(p, 'utf8'),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
  };
  return main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`wirereport: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await cli();
