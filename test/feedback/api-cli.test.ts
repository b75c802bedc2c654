import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngagementCollector } from '../../src/feedback/collector.ts';
import { localTime } from '../../src/queue/schedule.ts';
import { bearer, type Harness, openHarness } from '../api/harness.ts';
import { runCli } from '../support/cli.ts';
import { memoryPlatform } from './support.ts';

/**
 * Engagement through the operators' API and CLI: the recorded game is
 * replayed, the `review` desk's posts approved and published (outbox) over
 * several hours, the collector reads their counts from a platform kept in
 * memory, and the post list,
 * the post story, /api/engagement, best times and the CLI show them.
 */

const H = 3_600_000;
let h: Harness;
let token: string;
let url: string;
/** The counts the platform reports, by post id, derived from the post's rank. */
const expected = new Map<string, { likes: number; reposts: number; replies: number; publishedAt: Date }>();

beforeAll(async () => {
  h = await openHarness();
  token = await h.token('viewer');
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const address = h.app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // The desk approves its review queue one post at a time, 37 minutes apart,
  // so the posts go out over many hours of the day.
  const waiting = await h.services.listPosts({
    limit: 200,
    accountId: 'review',
    status: ['awaiting_approval'],
  });
  for (const p of waiting.posts) {
    await h.services.postAction('test', p.id, 'approve');
    while (await h.engine.publisher.publishOne()) {}
    h.clock.advanceTo(h.clock.now() + 37 * 60_000);
  }
  const published = await h.store.db
    .selectFrom('posts')
    .select(['id', 'platform_post_id', 'published_at'])
    .where('account_id', '=', 'review')
    .where('status', '=', 'published')
    .orderBy('published_at')
    .execute();
  expect(published.length).toBeGreaterThan(8);
  const mem = memoryPlatform('x');
  for (const [n, p] of published.entries()) {
    const counts = { likes: 3 * n + 1, reposts: n % 3, replies: n % 2 };
    mem.counts.set(p.platform_post_id!, counts);
    expected.set(p.id, { ...counts, publishedAt: p.published_at! });
  }
  const review = h.config.accounts.find((a) => a.id === 'review')!;
  const collector = new EngagementCollector({
    db: h.store.db,
    accounts: [review],
    readerFor: () => mem.adapter,
    clock: h.clock,
    worker: 'api-test',
    perPlatformPerPass: 200,
  });
  // A day and an hour after the last publish: every post is read once, old enough to count.
  h.clock.advanceTo(published[published.length - 1]!.published_at!.getTime() + 25 * H);
  const pass = await collector.pass();
  expect(pass.outcomes.read).toBe(published.length);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const get = async <T>(path: string) => {
  const res = await h.app.inject({ method: 'GET', url: path, headers: bearer(token) });
  return { status: res.statusCode, body: res.json() as T };
};

const sum = (k: 'likes' | 'reposts' | 'replies') => [...expected.values()].reduce((s, e) => s + e[k], 0);

describe('engagement in the API and the CLI', () => {
  it('puts the latest counts on published posts in the list (null until read, absent when unpublished)', async () => {
    const { status, body } = await get<{
      posts: {
        id: string;
        status: string;
        engagement: { likes: number; reposts: number; replies: number } | null;
      }[];
    }>('/api/posts?limit=200');
    expect(status).toBe(200);
    for (const p of body.posts) {
      const e = expected.get(p.id);
      if (e)
        expect(p.engagement).toMatchObject({
          likes: e.likes,
          reposts: e.reposts,
          replies: e.replies,
          quotes: null,
        });
      else if (p.status === 'published') expect(p.engagement).toBeNull();
      else expect(p.engagement).toBeUndefined();
    }
    expect(body.posts.filter((p) => p.engagement).length).toBe(expected.size);
  });

  it("shows a post's snapshots and read schedule in its story", async () => {
    const [id, e] = [...expected][1]!;
    const { status, body } = await get<{
      engagement: { latest: { likes: number }; snapshots: { likes: number }[]; schedule: { state: string } };
    }>(`/api/posts/${id}`);
    expect(status).toBe(200);
    expect(body.engagement.latest.likes).toBe(e.likes);
    expect(body.engagement.snapshots.map((s) => s.likes)).toEqual([e.likes]);
    // Read at 25 h: only the 72 h read is left.
    expect(body.engagement.schedule).toMatchObject({ state: 'active', step: 4 });
  });

  it('sums engagement per account and day of publishing', async () => {
    const { body } = await get<{
      accounts: {
        accountId: string;
        posts: number;
        likes: number;
        reposts: number;
        replies: number;
        days: { posts: number }[];
      }[];
    }>('/api/engagement?account=review&days=7');
    expect(body.accounts).toHaveLength(1);
    expect(body.accounts[0]).toMatchObject({
      accountId: 'review',
      posts: expected.size,
      likes: sum('likes'),
      reposts: sum('reposts'),
      replies: sum('replies'),
    });
    expect(body.accounts[0]!.days.reduce((s, d) => s + d.posts, 0)).toBe(expected.size);
    // Every configured account when none is named; those never read have nothing.
    const all = await get<{ accounts: { accountId: string; posts: number }[] }>('/api/engagement?days=7');
    expect(all.body.accounts.map((a) => a.accountId).sort()).toEqual(
      h.config.accounts.map((a) => a.id).sort(),
    );
    expect(all.body.accounts.find((a) => a.accountId === 'auto')?.posts).toBe(0);
  });

  it('ranks the hours the posts went out in, and refuses unknown accounts and bad numbers', async () => {
    const { status, body } = await get<{
      posts: number;
      timeZone: string;
      ranking: { day: number; hour: number; posts: number; typical: number }[];
    }>('/api/accounts/review/best-times?days=7&minSamples=1');
    expect(status).toBe(200);
    expect(body.posts).toBe(expected.size);
    const hours = new Set(
      [...expected.values()].map((e) => {
        const t = localTime(e.publishedAt.getTime(), body.timeZone);
        return `${t.day}:${Math.floor(t.minute / 60)}`;
      }),
    );
    expect(new Set(body.ranking.map((r) => `${r.day}:${r.hour}`))).toEqual(hours);
    expect(body.ranking.reduce((s, r) => s + r.posts, 0)).toBe(expected.size);
    const typicals = body.ranking.map((r) => r.typical);
    expect(typicals).toEqual([...typicals].sort((a, b) => b - a));
    expect((await get('/api/accounts/nobody/best-times')).status).toBe(404);
    expect((await get('/api/accounts/review/best-times?minSamples=0')).status).toBe(400);
  });

  it('prints the same through the CLI, as text and JSON', async () => {
    const remote = { WIREREPORT_URL: url, WIREREPORT_TOKEN: token };
    const json = await runCli(['engagement', '--account', 'review', '--days', '7', '--json'], remote);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json<{ accounts: { likes: number }[] }>().accounts[0]!.likes).toBe(sum('likes'));
    const text = await runCli(['engagement', '--account', 'review', '--days', '7'], remote);
    expect(text.stdout).toContain(`review (x, UTC): ${expected.size} posts read, ${sum('likes')} likes`);
    const best = await runCli(
      ['best-times', '--account', 'review', '--days', '7', '--min-samples', '1'],
      remote,
    );
    expect(best.code, best.stderr).toBe(0);
    expect(best.stdout).toMatch(/^ +1 {2}\w{3} \d\d:00 +\d+ /m);
    const none = await runCli(
      ['best-times', '--account', 'review', '--days', '7', '--min-samples', '1000'],
      remote,
    );
    expect(none.stdout).toContain('no hour has 1000 posts yet');
    expect((await runCli(['best-times'], remote)).code).toBe(2);
    const unknown = await runCli(['best-times', '--account', 'nobody'], remote);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404');
  });
});
