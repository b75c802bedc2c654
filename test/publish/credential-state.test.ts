import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.ts';
import { newDataKeyBase64, parseDataKey } from '../../src/app/crypto.ts';
import { createEngine } from '../../src/app/engine.ts';
import { createLogger } from '../../src/app/logger.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { credentialStateName } from '../../src/store/credential-state.ts';
import { getSecret, type KeyRing, rotateSecrets } from '../../src/store/secrets.ts';
import type { Store } from '../../src/store/store.ts';
import { type BlueskyPeer, startBlueskyPeer } from '../support/peers/bluesky.ts';
import { startXFake, type XFake } from '../support/peers/x-fake.ts';
import { openTestStore, resetStore } from '../support/store.ts';
import { seedPosts } from './seed.ts';

/**
 * Credentials that rotate survive an engine restart, encrypted in the store:
 * X's OAuth 2.0 tokens (the fake rotates the refresh token on every refresh
 * and revokes the old one, as X does) and Bluesky sessions (the reference
 * PDS, with createSession counted by a proxy in front of it).
 */
const ring = (): KeyRing => ({ current: parseDataKey(newDataKeyBase64()) });

const voices = `
voices:
  - id: desk
    persona: A news desk.
`;

function logCapture() {
  let text = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger({ destination }), text: () => text };
}

/** Every row of every table, as text: what someone reading the database would see. */
async function databaseText(store: Store): Promise<string> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(store.db);
  let out = '';
  for (const { name } of tables.rows) {
    const rows = await sql.raw(`SELECT * FROM "${name}"`).execute(store.db);
    out += JSON.stringify(rows.rows);
  }
  return out;
}

async function publishSeeded(
  store: Store,
  config: ReturnType<typeof parseConfig>,
  keyRing: KeyRing | undefined,
  label: string,
  logger = createLogger({ level: 'silent' }),
) {
  const clock = new ManualClock(Date.now());
  const engine = await createEngine({
    config,
    clock,
    store,
    ...(keyRing ? { keyRing: () => keyRing } : {}),
    hooks: {
      onPublishError: (p, error) => logger.warn({ postId: p.id, err: error }, 'publish failed'),
      onPublished: (p) => logger.info({ postId: p.id, platformPostId: p.platformPostId }, 'published'),
      onCredentialStateProblem: (name, error) => logger.warn({ credentialState: name, err: error }, 'state'),
    },
  });
  try {
    await seedPosts(store.db, config.accounts, 1, label);
    return (await engine.publisher.publishOne())?.outcome;
  } finally {
    await engine.close();
  }
}

describe('X: rotated OAuth 2.0 tokens survive a restart', () => {
  let store: Store;
  let x: XFake;
  beforeAll(async () => {
    [store, x] = await Promise.all([openTestStore(), startXFake()]);
  });
  afterAll(async () => {
    await Promise.allSettled([store?.close(), x?.stop()]);
  });

  function xConfig(user: { id: string; token: string; refreshToken: string }) {
    return parseConfig(
      `${voices}
accounts:
  - id: x-desk
    platform: x
    handle: desk
    voice: desk
    leagues: [nba]
    spacingSeconds: 0
    credentials: xcreds
credentials:
  xcreds:
    platform: x
    secrets:
      accessToken: { env: X_ACCESS }
      refreshToken: { env: X_REFRESH }
      clientId: { env: X_CLIENT }
    settings:
      apiBase: "${x.url}"
      tokenUrl: "${x.url}/2/oauth2/token"
      userId: "${user.id}"
`,
      {
        file: 'test.yaml',
        env: { X_ACCESS: user.token, X_REFRESH: user.refreshToken, X_CLIENT: x.clientId },
      },
    );
  }

  it('a restart refreshes with the stored (rotated) refresh token; without storage it would be refused', async () => {
    await resetStore(store);
    const keys = ring();
    const user = x.addUser('rotating');
    const config = xConfig(user);
    const logs = logCapture();

    x.expireAccessTokens(user.id);
    expect(await publishSeeded(store, config, keys, 'x-run1', logs.logger)).toBe('published');
    expect(x.refreshes).toMatchObject({ granted: 1, refused: 0 });

    // Restart: the access token from the first run has expired too.
    x.expireAccessTokens(user.id);
    expect(await publishSeeded(store, config, keys, 'x-run2', logs.logger)).toBe('published');
    expect(x.refreshes).toMatchObject({ granted: 2, refused: 0 });
    expect(x.posts(user.id)).toHaveLength(2);

    // The stored tokens are sealed: neither the database nor the logs hold them in clear.
    const stored = JSON.parse(
      (await getSecret(store.db, keys, credentialStateName('x', 'xcreds'))) ?? '{}',
    ) as { accessToken?: string; refreshToken?: string };
    expect(stored.refreshToken).toMatch(/^xrefresh-/);
    const dump = await databaseText(store);
    for (const secret of [stored.accessToken!, stored.refreshToken!, user.refreshToken])
      expect(dump).not.toContain(secret);

    // The same restart without a key ring starts from the configured refresh token, which X revoked.
    x.expireAccessTokens(user.id);
    expect(await publishSeeded(store, config, undefined, 'x-run3', logs.logger)).not.toBe('published');
    expect(x.refreshes.refused).toBe(1);
    expect(logs.text()).toMatch(/refresh failed/);
    for (const secret of [stored.accessToken!, stored.refreshToken!, user.refreshToken, user.token])
      expect(logs.text()).not.toContain(secret);
  });

  it('secrets rotate-key re-encrypts the stored tokens, and the next start reads them under the new key', async () => {
    await resetStore(store);
    const old = ring();
    const user = x.addUser('rotated-key');
    const config = xConfig(user);
    x.expireAccessTokens(user.id);
    expect(await publishSeeded(store, config, old, 'x-key1')).toBe('published');
    const next = parseDataKey(newDataKeyBase64());
    expect(await rotateSecrets(store.db, old, next, new Date())).toBeGreaterThanOrEqual(1);
    const row = await store.db
      .withTables<{ secrets: { name: string; key_id: string } }>()
      .selectFrom('secrets')
      .select(['key_id'])
      .where('name', '=', credentialStateName('x', 'xcreds'))
      .executeTakeFirstOrThrow();
    expect(row.key_id).toBe(next.id);
    const before = { ...x.refreshes };
    x.expireAccessTokens(user.id);
    expect(await publishSeeded(store, config, { current: next }, 'x-key2')).toBe('published');
    expect(x.refreshes.refused).toBe(before.refused);
  });
});

describe('Bluesky: the session survives a restart', () => {
  let store: Store;
  let pds: BlueskyPeer;
  let proxy: Server;
  let proxyUrl: string;
  const calls = { createSession: 0, refreshSession: 0 };

  beforeAll(async () => {
    [store, pds] = await Promise.all([openTestStore(), startBlueskyPeer()]);
    // Counts session calls on their way to the PDS.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.url?.startsWith('/xrpc/com.atproto.server.createSession')) calls.createSession++;
        if (req.url?.startsWith('/xrpc/com.atproto.server.refreshSession')) calls.refreshSession++;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
        const body = Buffer.concat(chunks);
        try {
          const answer = await fetch(pds.service + (req.url ?? '/'), {
            method: req.method ?? 'GET',
            headers,
            ...(body.length > 0 ? { body } : {}),
          });
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))
              out[k] = v;
          });
          res.writeHead(answer.status, out);
          res.end(Buffer.from(await answer.arrayBuffer()));
        } catch (error) {
          res.writeHead(502);
          res.end(String(error));
        }
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const a = proxy.address();
    proxyUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([
      store?.close(),
      pds?.stop(),
      new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve())),
    ]);
  });

  it('resumes the stored session (no login); a stored session the PDS refuses costs one login', async () => {
    await resetStore(store);
    const keys = ring();
    const acc = await pds.createAccount('restart');
    const config = parseConfig(
      `${voices}
accounts:
  - id: bsky-desk
    platform: bluesky
    handle: ${acc.identifier}
    voice: desk
    leagues: [nba]
    spacingSeconds: 0
    credentials: bsky
credentials:
  bsky:
    platform: bluesky
    secrets:
      password: { env: BSKY_PASSWORD }
    settings:
      service: "${proxyUrl}"
`,
      { file: 'test.yaml', env: { BSKY_PASSWORD: acc.password } },
    );
    const logs = logCapture();
    const start = { ...calls };
    expect(await publishSeeded(store, config, keys, 'bsky-run1', logs.logger)).toBe('published');
    expect(calls.createSession - start.createSession).toBe(1);

    expect(await publishSeeded(store, config, keys, 'bsky-run2', logs.logger)).toBe('published');
    expect(calls.createSession - start.createSession).toBe(1); // resumed, not logged in again
    expect(calls.refreshSession - start.refreshSession).toBeGreaterThanOrEqual(1);

    // The stored session is sealed, and is not in the logs.
    const name = credentialStateName('bluesky', 'bsky');
    const stored = JSON.parse((await getSecret(store.db, keys, name)) ?? '{}') as {
      session?: { accessJwt: string; refreshJwt: string };
    };
    expect(stored.session?.refreshJwt).toBeTruthy();
    const dump = await databaseText(store);
    expect(dump).not.toContain(stored.session!.refreshJwt);
    expect(dump).not.toContain(stored.session!.accessJwt);
    expect(dump).not.toContain(acc.password);

    // The PDS stops accepting the stored refresh token (revoked, as an expired one is refused).
    const revoked = await fetch(`${pds.service}/xrpc/com.atproto.server.deleteSession`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stored.session!.refreshJwt}` },
    });
    expect(revoked.ok).toBe(true);
    expect(await publishSeeded(store, config, keys, 'bsky-run3', logs.logger)).toBe('published');
    expect(calls.createSession - start.createSession).toBe(2); // exactly one login
    expect((await pds.posts(acc.did)).length).toBe(3);
    const text = logs.text();
    for (const secret of [stored.session!.refreshJwt, stored.session!.accessJwt, acc.password])
      expect(text).not.toContain(secret);
  }, 120_000);
});
