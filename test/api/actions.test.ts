import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextPost, markFailed } from '../../src/store/posts.ts';
import { bearer, type Harness, openHarness } from './harness.ts';

async function statusOf(h: Harness, id: string): Promise<string> {
  const row = await h.store.db
    .selectFrom('posts')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

async function awaitingOf(h: Harness, account: string): Promise<{ id: string; text: string }[]> {
  return h.store.db
    .selectFrom('posts')
    .select(['id', 'text'])
    .where('status', '=', 'awaiting_approval')
    .where('account_id', '=', account)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

describe('operators API: the post lifecycle', () => {
  let h: Harness;
  let operator: string;
  beforeAll(async () => {
    h = await openHarness();
    operator = await h.token('operator', 'alice');
  });
  afterAll(() => h.close());

  const post = (url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, payload, headers: { ...bearer(operator), ...headers } });

  it('approve queues a post and the publisher publishes it', async () => {
    const [target] = await awaitingOf(h, 'review');
    const r = await post(`/api/posts/${target!.id}/approve`, { note: 'looks right' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id: target!.id, status: 'queued' });
    let published = false;
    for (let i = 0; i < 50 && !published; i++) {
      const done = await h.engine.publisher.publishOne();
      if (!done) break;
      if (done.post.id === target!.id) published = done.outcome === 'published';
    }
    expect(published).toBe(true);
    expect(await statusOf(h, target!.id)).toBe('published');
    const outbox = await h.store.db
      .selectFrom('outbox_messages')
      .select('text')
      .where('idempotency_key', '=', target!.id)
      .execute();
    expect(outbox.map((o) => o.text)).toEqual([target!.text]);
    const story = (await h.app.inject({ url: `/api/posts/${target!.id}`, headers: bearer(operator) })).json();
    expect(story.transitions.find((t: { to: string }) => t.to === 'queued').reason).toMatch(
      /^approve by token:tok_[\w-]+\(alice\): looks right$/,
    );
    expect(story.transitions.map((t: { to: string }) => t.to)).toEqual([
      'drafted',
      'verified',
      'awaiting_approval',
      'queued',
      'publishing',
      'published',
    ]);
    // approving again is a conflict: it is not awaiting any more
    expect((await post(`/api/posts/${target!.id}/approve`)).statusCode).toBe(409);
  });

  it('replays an idempotent call and refuses the key for another body', async () => {
    const [, target] = await awaitingOf(h, 'review');
    const url = `/api/posts/${target!.id}/reject`;
    const first = await post(url, { note: 'off tone' }, { 'idempotency-key': 'k-reject-1' });
    expect(first.statusCode).toBe(200);
    expect(first.json().status).toBe('rejected');
    const again = await post(url, { note: 'off tone' }, { 'idempotency-key': 'k-reject-1' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await post(url, { note: 'another reason' }, { 'idempotency-key': 'k-reject-1' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toContain('different request');
    // the same key from another caller is another key
    const bob = await h.token('operator', 'bob');
    const bobs = await h.app.inject({
      method: 'POST',
      url,
      payload: { note: 'off tone' },
      headers: { ...bearer(bob), 'idempotency-key': 'k-reject-1' },
    });
    expect(bobs.statusCode).toBe(409); // a real second attempt: the post is rejected already
    expect(bobs.json().error).toContain('is rejected');
    const transitions = await h.store.db
      .selectFrom('post_transitions')
      .select('to_status')
      .where('post_id', '=', target!.id)
      .where('to_status', '=', 'rejected')
      .execute();
    expect(transitions).toHaveLength(1);
    expect(
      h.emitted.filter((e) => e.type === 'post.rejected' && e.id === `post.rejected:${target!.id}`),
    ).toHaveLength(1);
  });

  it('edit re-verifies: a wrong fact is refused with the verdict, a true text is stored', async () => {
    const candidates = await awaitingOf(h, 'review');
    const target = candidates.find((c) => /\d/.test(c.text))!;
    const wrong = target.text.replace(/\d+/, (n) => String(Number(n) + 7));
    const refused = await post(`/api/posts/${target.id}/edit`, { text: wrong });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().verdict.ok).toBe(false);
    expect(refused.json().verdict.reasons.length).toBeGreaterThan(0);
    expect(
      (
        await h.store.db
          .selectFrom('posts')
          .select('text')
          .where('id', '=', target.id)
          .executeTakeFirstOrThrow()
      ).text,
    ).toBe(target.text);
    const edited = `${target.text.trim()} (edited)`;
    const ok = await post(`/api/posts/${target.id}/edit`, { text: edited });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().verdict.ok).toBe(true);
    const row = await h.store.db
      .selectFrom('posts')
      .select(['text', 'writer', 'status'])
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ text: edited, writer: 'operator', status: 'awaiting_approval' });
  });

  it('cancel and retry follow the lifecycle', async () => {
    const [target] = await awaitingOf(h, 'review');
    expect((await post(`/api/posts/${target!.id}/retry`)).statusCode).toBe(409);
    expect((await post(`/api/posts/${target!.id}/cancel`)).json().status).toBe('cancelled');
    expect((await post(`/api/posts/${target!.id}/approve`)).statusCode).toBe(409);
    // a failed post: approve one, claim it and fail it as the publisher would
    const [next] = await awaitingOf(h, 'review');
    await post(`/api/posts/${next!.id}/approve`);
    const now = new Date(h.clock.now());
    let claimed = await claimNextPost(h.store.db, { now, worker: 't', leaseMs: 60_000 });
    while (claimed && claimed.id !== next!.id) {
      await markFailed(h.store.db, claimed, 'publishing', 'test', now);
      claimed = await claimNextPost(h.store.db, { now, worker: 't', leaseMs: 60_000 });
    }
    await markFailed(
      h.store.db,
      claimed!,
      'publishing',
      'refused by the platform',
      now,
      'PermanentPublishError',
    );
    expect(await statusOf(h, next!.id)).toBe('failed');
    const retried = await post(`/api/posts/${next!.id}/retry`);
    expect(retried.json()).toEqual({ id: next!.id, status: 'queued' });
    const row = await h.store.db
      .selectFrom('posts')
      .select(['last_error', 'not_before'])
      .where('id', '=', next!.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ last_error: null, not_before: null });
  });

  it('pauses and resumes an account and a platform', async () => {
    const paused = await post('/api/accounts/auto/pause');
    expect(paused.json()).toEqual({ id: 'auto', paused: true });
    expect((await post('/api/accounts/nope/pause')).statusCode).toBe(404);
    // the x platform carries only `review`; pausing it pauses that account alone
    const px = await post('/api/platforms/x/pause');
    expect(px.json().accounts).toEqual(['review']);
    const accounts = (await h.app.inject({ url: '/api/accounts', headers: bearer(operator) })).json();
    const state = Object.fromEntries(
      accounts.accounts.map((a: { id: string; paused: boolean }) => [a.id, a.paused]),
    );
    expect(state).toEqual({ auto: true, review: true, 'review-pub': false });
    expect(accounts.pausedPlatforms[0].platform).toBe('x');
    // resuming the platform resumes what it paused, not `auto`, paused on its own
    await post('/api/platforms/x/resume');
    await post('/api/platforms/mastodon/resume');
    const after = (await h.app.inject({ url: '/api/accounts', headers: bearer(operator) })).json();
    const state2 = Object.fromEntries(
      after.accounts.map((a: { id: string; paused: boolean }) => [a.id, a.paused]),
    );
    expect(state2).toEqual({ auto: true, review: false, 'review-pub': false });
    expect((await post('/api/accounts/auto/resume')).json().paused).toBe(false);
  });

  it('review timeouts take each account default action: drop rejects, publish queues and publishes', async () => {
    const review = await awaitingOf(h, 'review');
    const reviewPub = await awaitingOf(h, 'review-pub');
    expect(review.length).toBeGreaterThan(0);
    expect(reviewPub.length).toBeGreaterThan(0);
    // Every waiting post entered review at T (the game's posts were made over
    // hours of game time; this lines them up so the two timeouts can be told apart).
    const t = h.clock.now() + 1000;
    await h.store.db
      .updateTable('posts')
      .set({ updated_at: new Date(t) })
      .where('status', '=', 'awaiting_approval')
      .execute();
    h.clock.advanceTo(t + 299_000);
    expect(await h.services.expireApprovals()).toEqual([]);
    // 301 s later: only review-pub (300 s) has timed out
    h.clock.advanceTo(t + 301_000);
    const first = await h.services.expireApprovals();
    expect(new Set(first.map((d) => d.accountId))).toEqual(new Set(['review-pub']));
    expect(first.every((d) => d.action === 'publish')).toBe(true);
    for (const p of reviewPub) expect(await statusOf(h, p.id)).toBe('queued');
    for (const p of review) expect(await statusOf(h, p.id)).toBe('awaiting_approval');
    h.clock.advanceTo(h.clock.now() + 300_000);
    const second = await h.services.expireApprovals();
    expect(second.map((d) => d.postId).sort()).toEqual(review.map((p) => p.id).sort());
    for (const p of review) expect(await statusOf(h, p.id)).toBe('rejected');
    expect(h.emitted.filter((e) => e.type === 'post.rejected').length).toBeGreaterThanOrEqual(review.length);
    while (await h.engine.publisher.publishOne()) {
      // publish everything that was queued by the timeout
    }
    for (const p of reviewPub) expect(await statusOf(h, p.id)).toBe('published');
    const story = (
      await h.app.inject({ url: `/api/posts/${review[0]!.id}`, headers: bearer(operator) })
    ).json();
    expect(story.transitions.at(-1).reason).toBe('approval timed out after 600 s; default action drop');
  });
});
