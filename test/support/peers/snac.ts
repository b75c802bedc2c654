import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.ts';

/**
 * snac2, a small real ActivityPub server with a Mastodon-compatible client
 * API, as the Mastodon peer. Installed by `scripts/install-snac.sh`; a test
 * that needs it fails with that hint when `snac` is not on the PATH.
 */
export interface SnacPeer {
  url: string;
  /** Adds a local user and returns its API token. */
  addUser(name: string): Promise<{ name: string; token: string }>;
  /** The user's statuses as the server holds them (its own API, newest first). */
  statuses(user: {
    token: string;
  }): Promise<{ id: string; content: string; inReplyToId: string | null; mediaCount: number }[]>;
  stop(): Promise<void>;
}

function snacBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v snac'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'snac is not installed: run `bash scripts/install-snac.sh` (Debian bookworm-backports snac2)',
    );
  }
}

export async function startSnacPeer(): Promise<SnacPeer> {
  const snac = snacBinary();
  const dir = join(mkdtempSync(join(tmpdir(), 'wirereport-snac-')), 'data');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  // `snac init` asks: address, port, host name, URL prefix, admin email.
  execFileSync(snac, ['init', dir], {
    input: `127.0.0.1\n${port}\n${host}\n\n\n`,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const configPath = join(dir, 'server.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  config.protocol = 'http';
  writeFileSync(configPath, JSON.stringify(config, null, 4));
  const url = `http://${host}`;
  let log = '';
  const child: ChildProcess = spawn(snac, ['httpd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  await waitFor(`snac httpd on ${url} (log: ${log.slice(-300)})`, async () => {
    const res = await fetch(`${url}/api/v1/instance`);
    return res.ok;
  });

  return {
    url,
    async addUser(name) {
      const out = execFileSync(snac, ['adduser', dir, name], { input: '\n', encoding: 'utf8' });
      const password = /User password is (\S+)/.exec(out)?.[1];
      if (!password) throw new Error(`snac adduser ${name}: no password in its output: ${out}`);
      const res = await fetch(`${url}/oauth/x-snac-get-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: name, passwd: password }).toString(),
      });
      const token = (await res.text()).trim();
      if (!res.ok || !/^[0-9a-f]{16,}$/i.test(token))
        throw new Error(`snac token for ${name}: ${res.status} ${token}`);
      return { name, token };
    },
    async statuses(user) {
      const headers = { authorization: `Bearer ${user.token}` };
      const me = (await (await fetch(`${url}/api/v1/accounts/verify_credentials`, { headers })).json()) as {
        id: string;
      };
      const res = await fetch(`${url}/api/v1/accounts/${me.id}/statuses?limit=200`, { headers });
      const list = (await res.json()) as {
        id: string;
        content: string;
        in_reply_to_id: string | null;
        media_attachments?: unknown[];
      }[];
      return list.map((s) => ({
        id: s.id,
        content: s.content,
        inReplyToId: s.in_reply_to_id,
        mediaCount: s.media_attachments?.length ?? 0,
      }));
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(join(dir, '..'), { recursive: true, force: true });
    },
  };
}
