import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, openHarness } from './harness.ts';

describe('operators API: reads', () => {
  let h: Harness;
  let viewer: string;
  beforeAll(async () => {
    h = await openHarness();
    viewer = await h.token('viewer');
  });
  afterAll(() => h.close());

  it('keeps health, readiness, the outbox feed and the page open', async () => {
    expect((await h.app.inject('/healthz')).json()).toEqual({ ok: true });
    expect((await h.app.inject('/readyz')).statusCode).toBe(200);
    const outbox = await h.app.inject('/api/outbox?limit=5');
    expect(outbox.statusCode).toBe(200);
    expect(outbox.json().messages.length).toBeGreaterThan(0);
    const page = await h.app.inject('/');
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    const doc = (await h.app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const list = doc.paths['/api/posts'].get;
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['status', 'account', 'league', 'from', 'to', 'cursor', 'limit']),
    );
    expect(doc.paths['/api/posts/{id}/approve'].post).toBeDefined();
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
  });

  it('lists posts newest first with filters and keyset pages that neither skip nor repeat', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/posts?account=review&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await h.app.inject({ url, headers: bearer(viewer) });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      for (const p of body.posts) {
        expect(p.accountId).toBe('review');
        all.push(p.id);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const direct = await h.store.db
      .selectFrom('posts')
      .select('id')
      .where('account_id', '=', 'review')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(all).toEqual(direct.map((r) => r.id));
    expect(pages).toBeGreaterThan(1);

    const awaiting = (
      await h.app.inject({ url: '/api/posts?status=awaiting_approval&limit=200', headers: bearer(viewer) })
    ).json();
    expect(awaiting.posts.length).toBeGreaterThan(0);
    for (const p of awaiting.posts) expect(p.status).toBe('awaiting_approval');

    const none = (await h.app.inject({ url: '/api/posts?league=nfl', headers: bearer(viewer) })).json();
    expect(none.posts).toEqual([]);
    const first = direct[direct.length - 1]!;
    const story = (await h.app.inject({ url: `/api/posts/${first.id}`, headers: bearer(viewer) })).json();
    const at = story.post.createdAt as string;
    const windowed = (
      await h.app.inject({
        url: `/api/posts?account=review&from=${encodeURIComponent(at)}&to=${encodeURIComponent(new Date(Date.parse(at) + 1).toISOString())}`,
        headers: bearer(viewer),
      })
    ).json();
    expect(windowed.posts.map((p: { id: string }) => p.id)).toContain(first.id);
    for (const p of windowed.posts) expect(p.createdAt).toBe(at);
  });

  it("tells a post's whole story: event, facts, verdict with claims, attempts, transitions", async () => {
    const published = await h.store.db
      .selectFrom('posts')
      .select('id')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const r = await h.app.inject({ url: `/api/posts/${published.id}`, headers: bearer(viewer) });
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.post.status).toBe('published');
    expect(s.event.id).toBe(s.post.eventId);
    expect(s.facts.gameId).toBe(s.event.gameId);
    expect(s.post.verdict.ok).toBe(true);
    expect(s.post.verdict.claims.length).toBeGreaterThan(0);
    expect(s.attempts[0].outcome).toBe('published');
    expect(s.transitions.map((t: { to: string }) => t.to)).toEqual([
      'drafted',
      'verified',
      'queued',
      'publishing',
      'published',
    ]);
    expect(Array.isArray(s.costs)).toBe(true);
    expect((await h.app.inject({ url: '/api/posts/p_nope', headers: bearer(viewer) })).statusCode).toBe(404);
  });

  it('lists accounts, voices, sources, games, events, budgets and costs', async () => {
    const get = async (url: string) => {
      const r = await h.app.inject({ url, headers: bearer(viewer) });
      expect(r.statusCode, url).toBe(200);
      return r.json();
    };
    const accounts = await get('/api/accounts');
    expect(accounts.accounts.map((a: { id: string }) => a.id).sort()).toEqual([
      'auto',
      'review',
      'review-pub',
    ]);
    expect(accounts.accounts.find((a: { id: string }) => a.id === 'review').awaitingApproval).toBeGreaterThan(
      0,
    );
    expect((await get('/api/voices')).voices[0].id).toBe('desk');
    expect((await get('/api/sources')).sources[0].id).toBe('espn-nba');
    expect((await get('/api/games')).games[0].id).toContain('401772994');
    expect((await get('/api/events?limit=3')).events).toHaveLength(3);
    const budgets = await get('/api/budgets');
    expect(budgets.accounts.find((a: { accountId: string }) => a.accountId === 'auto').postsPerDay).toBe(100);
    expect(Array.isArray((await get('/api/costs')).rows)).toBe(true);
  });

  it('exports Prometheus metrics to a worker token, with queue depth read from the store', async () => {
    const worker = await h.token('worker');
    expect((await h.app.inject({ url: '/metrics', headers: bearer(viewer) })).statusCode).toBe(403);
    const r = await h.app.inject({ url: '/metrics', headers: bearer(worker) });
    expect(r.statusCode).toBe(200);
    const awaiting = await h.store.db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', 'review')
      .where('status', '=', 'awaiting_approval')
      .executeTakeFirstOrThrow();
    expect(r.body).toContain(
      `wirereport_queue_depth{account="review",status="awaiting_approval"} ${Number(awaiting.n)}`,
    );
    expect(r.body).toMatch(/wirereport_events_ingested\{league="nba"\} \d+/);
    expect(r.body).toContain('wirereport_http_request_seconds_bucket');
  });
});
