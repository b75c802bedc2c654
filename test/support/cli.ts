import { readFile } from 'node:fs/promises';
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stdout parsed as JSON (commands run with --json). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs the CLI in process with captured output. */
export async function runCli(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: (p) => readFile(p, 'utf8'),
    env,
    isTTY: false,
  });
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      const lines = stdout.trim().split('\n');
      return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
    },
  };
}
