import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerKeys } from '../../src/api/keys.ts';
import { buildServer } from '../../src/api/server.ts';
import { parseConfig } from '../../src/app/config.ts';
import { runCli } from '../support/cli.ts';
import { type TestLocation, testLocation } from '../support/store.ts';
import { CONFIG_YAML, NBA } from './harness.ts';

describe('operator CLI: the same actions without and with a server', () => {
  let location: TestLocation;
  let configFile: string;
  let env: Record<string, string>;
  let args: string[];
  beforeAll(async () => {
    location = await testLocation();
    const dir = mkdtempSync(join(tmpdir(), 'wirereport-cli-'));
    configFile = join(dir, 'wirereport.yaml');
    // port 1: nothing listens there, so the CLI finds no server and opens the store
    writeFileSync(configFile, `engine:\n  http: { host: 127.0.0.1, port: 1 }\n${CONFIG_YAML}`);
    env = {
      ...location.env,
      WIREREPORT_PEPPER: randomBytes(32).toString('base64'),
      WIREREPORT_SECRET_KEY: randomBytes(32).toString('base64'),
    };
    args = ['--config', configFile, ...location.args];
    const replay = await runCli(['replay', NBA, '--json', ...args], env);
    expect(replay.code, replay.stderr).toBe(0);
  });
  afterAll(() => location.dispose());

  it('lists, approves, edits, pauses, reports budgets, makes tokens and users, keeps secrets: store opened directly', async () => {
    const list = await runCli(
      [
        'posts',
        'list',
        '--status',
        'awaiting_approval',
        '--account',
        'review',
        '--limit',
        '3',
        '--json',
        ...args,
      ],
      env,
    );
    expect(list.code, list.stderr).toBe(0);
    const page = list.json<{ posts: { id: string; status: string }[]; nextCursor: string }>();
    expect(page.posts).toHaveLength(3);
    const [a, b] = page.posts;
    const approve = await runCli(['posts', 'approve', a!.id, '--note', 'fine', ...args], env);
    expect(approve.stdout).toBe(`${a!.id}: queued\n`);
    const again = await runCli(['posts', 'approve', a!.id, ...args], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('conflict');
    const show = await runCli(['posts', 'show', a!.id, '--json', ...args], env);
    expect(show.json<{ transitions: { reason: string }[] }>().transitions.at(-1)!.reason).toMatch(
      /^approve by cli:.*: fine$/,
    );
    expect((await runCli(['posts', 'reject', b!.id, ...args], env)).stdout).toBe(`${b!.id}: rejected\n`);
    expect((await runCli(['accounts', 'pause', 'auto', ...args], env)).code).toBe(0);
    const accounts = await runCli(['accounts', 'list', ...args], env);
    expect(accounts.stdout).toMatch(/^auto\s+mastodon\s+PAUSED/m);
    const budget = await runCli(['budget', '--json', ...args], env);
    expect(budget.json<{ accounts: { accountId: string }[] }>().accounts.map((x) => x.accountId)).toEqual([
      'review',
      'review-pub',
      'auto',
    ]);
    const token = await runCli(['token', 'create', '--role', 'operator', '--name', 'alice', ...args], env);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^wr_[A-Za-z0-9_-]{43}\n$/);
    expect(token.stderr).toContain('shown only this once');
    const tokens = await runCli(['token', 'list', ...args], env);
    expect(tokens.stdout).toContain('alice');
    expect(tokens.stdout).not.toContain(token.stdout.trim());
    const user = await runCli(['user', 'create', 'bob', '--role', 'admin', ...args], {
      ...env,
      WIREREPORT_PASSWORD: 'a long enough password',
    });
    expect(user.stdout).toContain('user bob (admin) created');
    const short = await runCli(['user', 'create', 'eve', '--role', 'admin', ...args], {
      ...env,
      WIREREPORT_PASSWORD: 'short',
    });
    expect(short.code).toBe(1);
    const set = await runCli(['secrets', 'set', 'credentials.x.apiKey', ...args], {
      ...env,
      WIREREPORT_SECRET_VALUE: 'sekrit-value',
    });
    expect(set.stdout).toContain('stored (encrypted)');
    const rotate = await runCli(['secrets', 'rotate-key', ...args], env);
    expect(rotate.code, rotate.stderr).toBe(0);
    const newKey = rotate.stdout.trim();
    expect(Buffer.from(newKey, 'base64')).toHaveLength(32);
    const listed = await runCli(['secrets', 'list', '--json', ...args], {
      ...env,
      WIREREPORT_SECRET_KEY: newKey,
    });
    const [secret] = listed.json<{ secrets: { name: string; keyId: string }[] }>().secrets;
    expect(secret!.keyId).toBe(
      resolveServerKeys({ WIREREPORT_SECRET_KEY: newKey }, 'memory').ring!.current.id,
    );
    expect(`${set.stdout}${set.stderr}${listed.stdout}`).not.toContain('sekrit-value');
  });

  it('calls the running server with WIREREPORT_URL and WIREREPORT_TOKEN', async () => {
    const token = (
      await runCli(['token', 'create', '--role', 'operator', '--name', 'remote-op', ...args], env)
    ).stdout.trim();
    const store = await location.open();
    const config = parseConfig(CONFIG_YAML, { file: configFile, env: {} });
    const app = buildServer({
      store,
      ready: () => true,
      accounts: config.accounts,
      voices: config.voices,
      sources: config.sources,
      keys: resolveServerKeys(env, 'memory'),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const remote = { WIREREPORT_URL: url, WIREREPORT_TOKEN: token };
      const list = await runCli(
        ['posts', 'list', '--status', 'awaiting_approval', '--account', 'review', '--limit', '1', '--json'],
        remote,
      );
      expect(list.code, list.stderr).toBe(0);
      const [p] = list.json<{ posts: { id: string }[] }>().posts;
      const cancel = await runCli(['posts', 'cancel', p!.id], remote);
      expect(cancel.stdout).toBe(`${p!.id}: cancelled\n`);
      const forbidden = await runCli(['token', 'list'], remote);
      expect(forbidden.code).toBe(1);
      expect(forbidden.stderr).toContain('403');
      const wrong = await runCli(['posts', 'list'], { ...remote, WIREREPORT_TOKEN: 'wr_wrong-token-value' });
      expect(wrong.stderr).toContain('401');
      const audit = await store.db
        .withTables<{ audit_log: { actor: string; action: string; target: string | null } }>()
        .selectFrom('audit_log')
        .select(['actor', 'action'])
        .where('target', '=', p!.id)
        .execute();
      expect(audit).toEqual([
        {
          actor: expect.stringMatching(
            new RegExp(`^token:tok_.*\\(remote-op, os user ${userInfo().username}\\)$`),
          ),
          action: 'post.cancel',
        },
      ]);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
