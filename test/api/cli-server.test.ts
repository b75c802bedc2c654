import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_TOKEN_NAME } from '../../src/cli/control.ts';
import { openStore } from '../../src/store/store.ts';
import { runCli } from '../support/cli.ts';
import { CONFIG_YAML, NBA } from './harness.ts';

/**
 * The CLI while `wirereport start` runs on an embedded (PGlite) folder: the
 * server owns the folder, so commands reach its API with the local control
 * credential it leaves there; without a server they open the store; a folder
 * held by a process that is not a server, or by a dead one, is handled.
 *
 * Always on a PGlite folder (the lock and the control file are what is
 * tested), also when the run has a PostgreSQL server.
 */

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const LOCK = fileURLToPath(new URL('../../src/store/lock.ts', import.meta.url));

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 90_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('CLI with a server running on the embedded store', () => {
  let dir: string;
  let data: string;
  let args: string[];
  let env: Record<string, string>;
  let server: ChildProcess | undefined;
  let serverOutput = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wirereport-cli-server-'));
    data = join(dir, 'data');
    const configFile = join(dir, 'wirereport.yaml');
    // No live sources: nothing to poll. Port 0: the server picks one and says which in its control file.
    // Reviews wait ~3 years: the replayed posts are from 2025 and must not time out under the server.
    const network = CONFIG_YAML.replace(/\nsources:[\s\S]*$/, '\n').replaceAll(
      /timeoutSeconds: \d+/g,
      'timeoutSeconds: 100000000',
    );
    writeFileSync(configFile, `engine:\n  http: { host: 127.0.0.1, port: 0 }\n${network}`);
    args = ['--config', configFile, '--data', data];
    env = {
      WIREREPORT_PEPPER: randomBytes(32).toString('base64'),
      WIREREPORT_SECRET_KEY: randomBytes(32).toString('base64'),
    };
    const replay = await runCli(['replay', NBA, '--json', ...args], env);
    expect(replay.code, replay.stderr).toBe(0);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await exited(server);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('works through the API with the local control credential, and opens the store again once the server stopped', async () => {
    server = spawn(process.execPath, [MAIN, 'start', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (b: Buffer) => {
      serverOutput += b.toString();
    });
    server.stderr?.on('data', (b: Buffer) => {
      serverOutput += b.toString();
    });
    const controlPath = join(data, 'control.json');
    const control = await waitFor('the control file', () => {
      if (server?.exitCode !== null) throw new Error(`start exited early:\n${serverOutput}`);
      return existsSync(controlPath)
        ? (JSON.parse(readFileSync(controlPath, 'utf8')) as { url: string; token: string; pid: number })
        : undefined;
    });
    expect(statSync(controlPath).mode & 0o777).toBe(0o600);
    expect(control.pid).toBe(server.pid);

    // The first admin's token, made through the API (no token of our own yet).
    const token = await runCli(['token', 'create', '--role', 'admin', '--name', 'first-admin', ...args], env);
    expect(token.code, token.stderr).toBe(0);
    const adminToken = token.stdout.trim();
    expect(adminToken).toMatch(/^wr_[A-Za-z0-9_-]{43}$/);

    const list = await runCli(
      ['posts', 'list', '--status', 'awaiting_approval', '--account', 'review', '--json', ...args],
      env,
    );
    expect(list.code, list.stderr).toBe(0);
    const [first, second] = list.json<{ posts: { id: string; status: string }[] }>().posts;
    expect(first?.status).toBe('awaiting_approval');
    const approve = await runCli(['posts', 'approve', first!.id, '--note', 'via api', ...args], env);
    expect(approve.stdout, approve.stderr).toBe(`${first!.id}: queued\n`);
    const pause = await runCli(['accounts', 'pause', 'auto', ...args], env);
    expect(pause.code, pause.stderr).toBe(0);
    const accounts = await runCli(['accounts', 'list', ...args], env);
    expect(accounts.stdout).toMatch(/^auto\s+mastodon\s+PAUSED/m);
    const games = await runCli(['games', '--json', ...args], env);
    expect(games.json<{ source: string }>().source).toBe(`engine at ${control.url}`);
    const outbox = await runCli(['outbox', '--json', ...args], env);
    expect(outbox.code, outbox.stderr).toBe(0);

    // A caller's own token (here the new admin's) is used instead of the control credential,
    // and --api/--token reach a server by its address.
    const own = await runCli(['posts', 'reject', second!.id, ...args], {
      ...env,
      WIREREPORT_TOKEN: adminToken,
    });
    expect(own.stdout, own.stderr).toBe(`${second!.id}: rejected\n`);
    const byAddress = await runCli(['token', 'list', '--api', control.url, '--token', adminToken]);
    expect(byAddress.code, byAddress.stderr).toBe(0);
    expect(byAddress.stdout).toContain('first-admin');
    const noToken = await runCli(['posts', 'list', '--api', control.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('no token');

    // Opening the store is refused, and says a server holds it.
    const forced = await runCli(['posts', 'list', '--local', ...args], env);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/in use by a running Wire Report server/);
    const replay = await runCli(['replay', NBA, ...args], env);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/in use by a running Wire Report server/);

    // A clean stop removes the file and revokes the credential.
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(existsSync(controlPath)).toBe(false);
    expect(serverOutput).not.toContain(control.token);
    expect(serverOutput).not.toContain(adminToken);

    const tokens = await runCli(['token', 'list', '--json', ...args], env);
    expect(tokens.code, tokens.stderr).toBe(0);
    const listed = tokens.json<{ tokens: { name: string; revokedAt: string | null }[] }>().tokens;
    expect(listed.filter((t) => t.name === CONTROL_TOKEN_NAME && t.revokedAt === null)).toEqual([]);
    expect(listed.some((t) => t.name === CONTROL_TOKEN_NAME)).toBe(true);

    // The store (opened here now) shows what went through the API, and who did it.
    const store = await openStore({ dataDir: data });
    try {
      const audit = await store.db
        .withTables<{ audit_log: { id: number; actor: string; action: string; target: string | null } }>()
        .selectFrom('audit_log')
        .select(['actor', 'action', 'target'])
        .where('action', 'in', ['post.approve', 'post.reject', 'account.pause'])
        .orderBy('id')
        .execute();
      expect(audit.map((a) => [a.action, a.actor.replace(/tok_[A-Za-z0-9_-]+/, 'tok')])).toEqual([
        // The control token is shared by whoever can read the data folder: the audit names the OS user too.
        ['post.approve', `token:tok(${CONTROL_TOKEN_NAME}, os user ${userInfo().username})`],
        ['account.pause', `token:tok(${CONTROL_TOKEN_NAME}, os user ${userInfo().username})`],
        ['post.reject', `token:tok(first-admin, os user ${userInfo().username})`],
      ]);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('says so when the folder is held by a live process that is not a server', async () => {
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { acquireDataLock } from ${JSON.stringify(LOCK)}; acquireDataLock(${JSON.stringify(data)}); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
      const run = await runCli(['posts', 'list', ...args], env);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`pid ${holder.pid}`);
      expect(run.stderr).toMatch(/not a server/);
    } finally {
      holder.kill('SIGKILL');
      await exited(holder);
    }
  }, 60_000);

  it('takes over a lock and a control file left by a dead server, and revokes its credential', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await exited(dead);
    const lock = join(data, 'wirereport.lock');
    writeFileSync(lock, JSON.stringify({ pid: dead.pid, host: (await import('node:os')).hostname() }));
    // A credential the dead server left live in the store, and its file.
    const store = await openStore({ dataDir: data });
    const { createServices } = await import('../../src/api/services.ts');
    const { resolveServerKeys } = await import('../../src/api/keys.ts');
    const services = createServices({
      db: store.db,
      keys: resolveServerKeys(env, data),
      accounts: [],
      voices: new Map(),
      sources: [],
      now: () => new Date(),
    });
    const left = await services.createToken('engine', CONTROL_TOKEN_NAME, 'admin');
    await store.close();
    writeFileSync(lock, JSON.stringify({ pid: dead.pid, host: (await import('node:os')).hostname() }));
    writeFileSync(
      join(data, 'control.json'),
      JSON.stringify({
        pid: dead.pid,
        host: 'h',
        url: 'http://127.0.0.1:9',
        token: left.token,
        tokenId: left.info.id,
        since: new Date().toISOString(),
      }),
      { mode: 0o600 },
    );

    const run = await runCli(['token', 'list', '--json', ...args], env);
    expect(run.code, run.stderr).toBe(0);
    const revoked = run
      .json<{ tokens: { id: string; revokedAt: string | null }[] }>()
      .tokens.find((t) => t.id === left.info.id);
    expect(revoked?.revokedAt).not.toBeNull();
    expect(existsSync(join(data, 'control.json'))).toBe(false);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);
});
