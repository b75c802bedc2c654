import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, openHarness } from './harness.ts';

describe('operators API: access', () => {
  let h: Harness;
  let awaiting: string;
  beforeAll(async () => {
    h = await openHarness();
    const row = await h.store.db
      .selectFrom('posts')
      .select('id')
      .where('status', '=', 'awaiting_approval')
      .executeTakeFirstOrThrow();
    awaiting = row.id;
  });
  afterAll(() => h.close());

  it('refuses calls without a valid token (401) and before reading the body', async () => {
    for (const [method, url] of [
      ['GET', '/api/posts'],
      ['GET', `/api/posts/${awaiting}`],
      ['POST', `/api/posts/${awaiting}/approve`],
      ['GET', '/api/tokens'],
      ['GET', '/metrics'],
      ['GET', '/api/anything-unrouted'],
    ] as const) {
      const r = await h.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
    }
    const wrong = await h.app.inject({ url: '/api/posts', headers: bearer('wr_not-a-real-token-at-all') });
    expect(wrong.statusCode).toBe(401);
    const malformed = await h.app.inject({ url: '/api/posts', headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
    // a bad body does not get a 400 that would tell an anonymous caller about the route
    const badBody = await h.app.inject({
      method: 'POST',
      url: `/api/posts/${awaiting}/edit`,
      payload: { nope: 1 },
    });
    expect(badBody.statusCode).toBe(401);
  });

  it('refuses roles that may not act (403), and a revoked token (401)', async () => {
    const viewer = await h.token('viewer');
    const worker = await h.token('worker');
    const operator = await h.token('operator');
    for (const token of [viewer, worker]) {
      const r = await h.app.inject({
        method: 'POST',
        url: `/api/posts/${awaiting}/approve`,
        headers: bearer(token),
        payload: {},
      });
      expect(r.statusCode).toBe(403);
    }
    expect((await h.app.inject({ url: '/api/tokens', headers: bearer(operator) })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/audit', headers: bearer(viewer) })).statusCode).toBe(403);
    const post = await h.store.db
      .selectFrom('posts')
      .select('status')
      .where('id', '=', awaiting)
      .executeTakeFirstOrThrow();
    expect(post.status).toBe('awaiting_approval');
    const admin = await h.token('admin');
    const list = (await h.app.inject({ url: '/api/tokens', headers: bearer(admin) })).json();
    const viewerInfo = list.tokens.find((t: { role: string }) => t.role === 'viewer');
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${viewerInfo.id}`,
      headers: bearer(admin),
    });
    expect(del.statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/posts', headers: bearer(viewer) })).statusCode).toBe(401);
  });

  it('never shows a token or password in logs or API output', async () => {
    const admin = await h.token('admin', 'root');
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(admin),
      payload: { name: 'alice', role: 'operator' },
    });
    expect(created.statusCode).toBe(201);
    const aliceToken = created.json().token as string;
    expect(aliceToken).toMatch(/^wr_/);
    const password = 'correct horse battery staple';
    const user = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { name: 'bob', role: 'operator', password },
    });
    expect(user.statusCode).toBe(201);
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { name: 'bob', password },
    });
    expect(login.statusCode).toBe(200);
    const badLogin = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { name: 'bob', password: `${password}!` },
    });
    expect(badLogin.statusCode).toBe(401);
    await h.app.inject({ url: '/api/posts?limit=1', headers: bearer(aliceToken) });
    await h.app.inject({ url: '/api/posts?limit=1', headers: { authorization: `Bearer ${aliceToken}x` } });
    const outputs = [
      (await h.app.inject({ url: '/api/tokens', headers: bearer(admin) })).body,
      (await h.app.inject({ url: '/api/users', headers: bearer(admin) })).body,
      (await h.app.inject({ url: '/api/audit', headers: bearer(admin) })).body,
      user.body,
      login.body,
    ];
    const hashes = await h.store.db
      .withTables<{ api_tokens: { token_hash: string } }>()
      .selectFrom('api_tokens')
      .select('token_hash')
      .execute();
    const logs = h.logs();
    expect(logs).toContain('"url":"/api/session"'); // the logger did capture these requests
    for (const text of [logs, ...outputs]) {
      expect(text).not.toContain(aliceToken);
      expect(text).not.toContain(admin);
      expect(text).not.toContain(password);
      for (const { token_hash } of hashes) expect(text).not.toContain(token_hash);
      expect(text).not.toContain('scrypt$');
    }
  });

  it('lets a session act only with its CSRF token and from its own origin', async () => {
    const password = 'another long password';
    await h.services.createUser('test', 'carol', 'operator', password);
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { name: 'carol', password },
    });
    const csrf = login.json().csrfToken as string;
    const cookie = login.cookies.find((c) => c.name === 'wr_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const cookies = { wr_session: cookie.value };
    expect((await h.app.inject({ url: '/api/posts?limit=1', cookies })).statusCode).toBe(200);
    const target = await h.store.db
      .selectFrom('posts')
      .select('id')
      .where('status', '=', 'awaiting_approval')
      .where('account_id', '=', 'review')
      .executeTakeFirstOrThrow();
    const url = `/api/posts/${target.id}/cancel`;
    const noCsrf = await h.app.inject({ method: 'POST', url, cookies, payload: {} });
    expect(noCsrf.statusCode).toBe(403);
    const wrongCsrf = await h.app.inject({
      method: 'POST',
      url,
      cookies,
      headers: { 'x-csrf-token': `${csrf}x` },
      payload: {},
    });
    expect(wrongCsrf.statusCode).toBe(403);
    const crossOrigin = await h.app.inject({
      method: 'POST',
      url,
      cookies,
      headers: { 'x-csrf-token': csrf, origin: 'https://evil.example' },
      payload: {},
    });
    expect(crossOrigin.statusCode).toBe(403);
    const forged = await h.app.inject({
      url: '/api/posts?limit=1',
      cookies: { wr_session: `${cookie.value}x` },
    });
    expect(forged.statusCode).toBe(401);
    const ok = await h.app.inject({
      method: 'POST',
      url,
      cookies,
      headers: { 'x-csrf-token': csrf, origin: 'http://localhost:80' },
      payload: {},
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('cancelled');
    const logout = await h.app.inject({
      method: 'DELETE',
      url: '/api/session',
      cookies,
      headers: { 'x-csrf-token': csrf },
    });
    expect(logout.statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/posts?limit=1', cookies })).statusCode).toBe(401);
  });

  it('refuses injection attempts in filters, names and edited text, and the store is intact', async () => {
    const operator = await h.token('operator');
    const admin = await h.token('admin');
    const before = await h.store.db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const url of [
      `/api/posts?account=${encodeURIComponent("review' OR '1'='1")}`,
      `/api/posts?account=${encodeURIComponent('x; DROP TABLE posts;--')}`,
      `/api/posts?status=${encodeURIComponent("queued') OR 1=1 --")}`,
      `/api/posts?league=${encodeURIComponent('nba; DELETE FROM posts')}`,
      `/api/posts?cursor=${encodeURIComponent("' UNION SELECT * FROM api_tokens --")}`,
      `/api/posts?limit=${encodeURIComponent('1; DROP TABLE posts')}`,
      `/api/posts/${encodeURIComponent("x' OR 1=1 --")}`,
    ]) {
      const r = await h.app.inject({ url, headers: bearer(operator) });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error).toMatch(/^(query|path)\./);
    }
    const badCursor = await h.app.inject({ url: '/api/posts?cursor=AAAA', headers: bearer(operator) });
    expect(badCursor.statusCode).toBe(422);
    const awaitingRow = await h.store.db
      .selectFrom('posts')
      .select(['id', 'text'])
      .where('status', '=', 'awaiting_approval')
      .executeTakeFirstOrThrow();
    const script = await h.app.inject({
      method: 'POST',
      url: `/api/posts/${awaitingRow.id}/edit`,
      headers: bearer(operator),
      payload: { text: `${awaitingRow.text} <script>alert(1)</script>` },
    });
    expect(script.statusCode).toBe(400);
    expect(script.json().error).toContain('body.text');
    const img = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(admin),
      payload: { name: '<img src=x onerror=alert(1)>', role: 'viewer' },
    });
    expect(img.statusCode).toBe(400);
    expect(img.body).not.toContain('<img');
    const user = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin),
      payload: { name: "robert'); DROP TABLE users;--", role: 'viewer', password: 'long enough password' },
    });
    expect(user.statusCode).toBe(400);
    const after = await h.store.db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const unchanged = await h.store.db
      .selectFrom('posts')
      .select('text')
      .where('id', '=', awaitingRow.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.text).toBe(awaitingRow.text);
    const page = await h.app.inject({ url: '/' });
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('names in the audit the operating-system user a token caller states, when it is a plain user name', async () => {
    const admin = await h.token('admin', 'shared');
    const create = (name: string, osUser: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { ...bearer(admin), 'x-wirereport-os-user': osUser },
        payload: { name, role: 'viewer' },
      });
    const alice = await create('by-alice', 'alice');
    const someone = await create('by-someone', 'alice; rm -rf /');
    expect([alice.statusCode, someone.statusCode]).toEqual([201, 201]);
    const entries = (await h.app.inject({ url: '/api/audit?limit=500', headers: bearer(admin) })).json()
      .entries as { actor: string; action: string; target: string | null }[];
    const actorFor = (created: { json(): { info: { id: string } } }) =>
      entries.find((e) => e.action === 'token.create' && e.target === created.json().info.id)?.actor;
    expect(actorFor(alice)).toMatch(/^token:tok_[\w-]+\(shared, os user alice\)$/);
    expect(actorFor(someone)).toMatch(/^token:tok_[\w-]+\(shared\)$/);
  });

  it('audits every mutating call, refused ones too', async () => {
    const admin = await h.token('admin', 'auditor');
    const entries = (await h.app.inject({ url: '/api/audit?limit=500', headers: bearer(admin) })).json()
      .entries as {
      actor: string;
      action: string;
      target: string | null;
      outcome: string;
    }[];
    expect(
      entries.some((e) => e.action === 'post.cancel' && e.actor === 'user:carol' && e.outcome === 'ok'),
    ).toBe(true);
    expect(entries.some((e) => e.action === 'token.create' && e.outcome === 'ok')).toBe(true);
    expect(
      entries.some(
        (e) => e.action.startsWith('http.POST /api/posts/:id/approve') && e.outcome === 'error:403',
      ),
    ).toBe(true);
    expect(entries.some((e) => e.action === 'session.login' && e.outcome === 'denied')).toBe(true);
  });
});

describe('operators API: rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness({ rateLimitPerMinute: 5, replay: false });
  });
  afterAll(() => h.close());

  it('limits each token on its own', async () => {
    const a = await h.token('viewer', 'a');
    const b = await h.token('viewer', 'b');
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await h.app.inject({ url: '/api/accounts', headers: bearer(a) })).statusCode);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes.slice(5)).toEqual([429, 429]);
    expect((await h.app.inject({ url: '/api/accounts', headers: bearer(b) })).statusCode).toBe(200);
    expect((await h.app.inject('/healthz')).statusCode).toBe(200);
  });
});
