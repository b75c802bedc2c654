import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/support/store.ts';
import { listPosts, type PostSummary, SERIALIZED } from './queries.ts';
import type { Store } from './store.ts';

describe('listPosts: one statement, the page as JSON text', () => {
  let store: Store;
  const t0 = new Date('2025-05-31T00:00:00.000Z');
  // Texts that would break a naive split of the database's JSON array.
  const tricky = ['a, \n b', '"quoted" {braces} [brackets]', 'ünïcödé ✓ \u2028 tab\tend', '}, \n {'];
  beforeAll(async () => {
    store = await openTestStore();
    await sql`INSERT INTO accounts (id, platform, handle, config, updated_at)
      VALUES ('a1', 'x', '@a1', '{}'::jsonb, now())`.execute(store.db);
    await sql`INSERT INTO events (id, game_id, league, source, kind, sequence, occurred_at, ingested_at, significance, breaking, reasons, payload)
      VALUES ('ev-1', 'g-1', 'nba', 'test', 'score', 1, ${t0}, ${t0}, 0.5, false, '[]'::jsonb, '{}'::jsonb)`.execute(
      store.db,
    );
    // 7 posts a second apart (two of them at the same instant: the id breaks the tie), one published.
    for (let i = 0; i < 7; i++) {
      const at = new Date(t0.getTime() + Math.min(i, 5) * 1000 + 123);
      await sql`INSERT INTO posts (id, account_id, event_id, variant, status, priority, significance, text, writer, created_at, updated_at, published_at)
        VALUES (${`p_${i}`}, 'a1', 'ev-1', ${i}, ${i === 2 ? 'published' : 'queued'}, 50, 0.5,
                ${tricky[i % tricky.length]!}, 'test', ${at}, ${at}, ${i === 2 ? at : null})`.execute(
        store.db,
      );
    }
  });
  afterAll(() => store.close());

  it('gives published posts their latest engagement (null while never read) and others no field', async () => {
    const before = await listPosts(store.db, { limit: 10, status: ['published'] });
    expect(before.posts[0]!.engagement).toBeNull();
    for (const [minutes, likes] of [
      [15, 3],
      [60, 9],
    ] as const)
      await sql`INSERT INTO engagement_snapshots (post_id, collected_at, likes, reposts, replies, quotes)
        VALUES ('p_2', ${new Date(t0.getTime() + minutes * 60_000)}, ${likes}, 1, 2, NULL)`.execute(store.db);
    const page = await listPosts(store.db, { limit: 10 });
    expect(page[SERIALIZED]).toBe(JSON.stringify(page));
    const published = page.posts.find((p) => p.id === 'p_2')!;
    expect(published.engagement).toEqual({
      likes: 9,
      reposts: 1,
      replies: 2,
      quotes: null,
      collectedAt: new Date(t0.getTime() + 60 * 60_000),
    });
    expect(page.posts.filter((p) => 'engagement' in p).map((p) => p.id)).toEqual(['p_2']);
  });

  it('pages through every post once, newest first, and its JSON text is what JSON.stringify makes of it', async () => {
    const seen: PostSummary[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listPosts(store.db, { limit: 3, ...(cursor ? { cursor } : {}) });
      const text = page[SERIALIZED];
      expect(text).toBe(JSON.stringify(page));
      expect(JSON.parse(text!)).toEqual(
        JSON.parse(JSON.stringify({ posts: page.posts, nextCursor: page.nextCursor })),
      );
      seen.push(...page.posts);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.map((p) => p.id)).toEqual(['p_6', 'p_5', 'p_4', 'p_3', 'p_2', 'p_1', 'p_0']);
    const published = seen.find((p) => p.id === 'p_2')!;
    expect(published.publishedAt).toEqual(new Date(t0.getTime() + 2123));
    expect(published.createdAt).toBeInstanceOf(Date);
    expect(seen.find((p) => p.id === 'p_1')!.publishedAt).toBeNull();
    expect(seen.map((p) => p.text)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => tricky[i % tricky.length]));
  });

  it('returns an empty page, and an exact last page without a cursor', async () => {
    const none = await listPosts(store.db, { limit: 5, accountId: 'nobody' });
    expect(none.posts).toEqual([]);
    expect(none[SERIALIZED]).toBe('{"posts":[],"nextCursor":null}');
    const all = await listPosts(store.db, { limit: 7 });
    expect(all.posts).toHaveLength(7);
    expect(all.nextCursor).toBeNull();
    const published = await listPosts(store.db, { limit: 1, status: ['published'] });
    expect(published.posts.map((p) => p.id)).toEqual(['p_2']);
    expect(published.nextCursor).toBeNull();
  });
});
