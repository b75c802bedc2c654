import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.ts';
import { createEngine, type Engine } from '../../src/app/engine.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { pollState, postSnapshots } from '../../src/store/engagement.ts';
import type { Store } from '../../src/store/store.ts';
import { seedPosts } from '../publish/seed.ts';
import { type BlueskyPeer, startBlueskyPeer } from '../support/peers/bluesky.ts';
import { type SnacPeer, startSnacPeer } from '../support/peers/snac.ts';
import { openTestStore } from '../support/store.ts';

/**
 * The engine's engagement collector against real peers: a post published on
 * snac2 (Mastodon API) is liked, boosted and answered by another user there,
 * and the collector stores those counts; on Bluesky's reference PDS without
 * an AppView the read is not served, and the failing reads stay out of
 * publishing's way.
 */

const MIN = 60_000;
let snac: SnacPeer;
let bluesky: BlueskyPeer;
let store: Store;
let engine: Engine;
const registry = new Registry();
const clock = new ManualClock(Date.now());
let fan: { name: string; token: string };

beforeAll(async () => {
  // One after the other: the PDS start keeps this process busy, and snac's readiness check runs here too.
  snac = await startSnacPeer();
  bluesky = await startBlueskyPeer();
  store = await openTestStore();
  const desk = await snac.addUser('desk');
  fan = await snac.addUser('fan');
  const sky = await bluesky.createAccount('desk');
  const yaml = `
voices:
  - id: desk
    persona: A neutral desk.
accounts:
  - { id: masto, platform: mastodon, handle: "@desk", voice: desk, leagues: [nba], spacingSeconds: 0, credentials: masto }
  - { id: sky, platform: bluesky, handle: "${sky.identifier}", voice: desk, leagues: [nba], spacingSeconds: 0, credentials: sky }
  - { id: quiet, platform: x, handle: "@quiet", voice: desk, leagues: [nba], spacingSeconds: 0 }
credentials:
  masto: { platform: mastodon, secrets: { accessToken: { env: MASTO_TOKEN } }, settings: { url: "${snac.url}" } }
  sky: { platform: bluesky, secrets: { password: { env: SKY_PASSWORD } }, settings: { service: "${bluesky.service}" } }
`;
  const config = parseConfig(yaml, {
    file: 'engagement-peers.yaml',
    env: { MASTO_TOKEN: desk.token, SKY_PASSWORD: sky.password },
  });
  engine = await createEngine({ config, clock, store, registry, worker: 'peer-test' });
  await seedPosts(store.db, config.accounts, 6, 'peers', new Date(clock.now()));
  while (await engine.publisher.publishOne()) {}
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await store?.close();
  await Promise.allSettled([snac?.stop(), bluesky?.stop()]);
});

/** A call of the fan on snac's Mastodon API, retried while snac's own delivery catches up (it answers 404 meanwhile). */
async function asFan(path: string, body?: Record<string, string>): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${snac.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fan.token}`,
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body: new URLSearchParams(body).toString() } : {}),
      signal: AbortSignal.timeout(5000),
    });
    if (res.ok) return (await res.json()) as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`snac ${path}: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function published(accountId: string) {
  return store.db
    .selectFrom('posts')
    .select(['id', 'platform_post_id'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
}

describe('engagement against real peers', () => {
  it('stores the likes, boosts and replies a post got on snac2', async () => {
    const posts = await published('masto');
    expect(posts).toHaveLength(2);
    const liked = posts[0]!;
    // snac lets a local user favourite another's post once it has seen the post and follows its author.
    const headers = { authorization: `Bearer ${fan.token}` };
    const seen = await fetch(`${snac.url}/api/v1/statuses/${liked.platform_post_id}`, { headers });
    const author = ((await seen.json()) as { account: { id: string } }).account.id;
    await asFan(`/api/v1/accounts/${author}/follow`);
    await asFan(`/api/v1/statuses/${liked.platform_post_id}/favourite`);
    await asFan(`/api/v1/statuses/${liked.platform_post_id}/reblog`);
    await asFan('/api/v1/statuses', { status: 'What a finish!', in_reply_to_id: liked.platform_post_id! });

    // Published just now: scheduled, nothing due yet.
    const first = await engine.engagement.pass();
    expect(first.enrolled).toBe(4); // masto and sky; the outbox account has nothing to read
    expect(first.claimed).toBe(0);
    clock.advanceTo(clock.now() + 15 * MIN);
    await engine.engagement.pass();
    const [snap] = await postSnapshots(store.db, liked.id);
    expect(snap).toMatchObject({ likes: 1, reposts: 1, replies: 1, quotes: null });
    const [untouched] = await postSnapshots(store.db, posts[1]!.id);
    expect(untouched).toMatchObject({ likes: 0, reposts: 0, replies: 0 });
    expect(await pollState(store.db, liked.id)).toMatchObject({ state: 'active', step: 1, polls: 1 });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/wirereport_engagement_polls_total\{platform="mastodon",outcome="ok"\} 2/);
    // Read from the store on scrape: four posts scheduled (masto and sky), the sky ones due again soon.
    expect(metrics).toMatch(
      /wirereport_engagement_polls_scheduled\{platform="mastodon",when="scheduled"\} 2/,
    );
    expect(metrics).toMatch(/wirereport_engagement_polls_scheduled\{platform="mastodon",when="due"\} 0/);
  });

  it("keeps Bluesky's unserved reads (no AppView) away from publishing", async () => {
    const sky = await published('sky');
    expect(sky).toHaveLength(2);
    // The 15-minute reads ran in the test above and failed: a bare PDS cannot
    // serve getPosts (it answers 502, no AppView to proxy to).
    for (const p of sky) {
      const state = await pollState(store.db, p.id);
      expect(state?.lastError).toMatch(/getPosts: 502|engagement is not available/);
      expect(await postSnapshots(store.db, p.id)).toEqual([]);
    }
    // Fail the reads until the collector's breaker for the account opens...
    for (let n = 0; n < 4; n++) {
      clock.advanceTo(clock.now() + 10 * MIN);
      await engine.engagement.pass();
    }
    expect(engine.engagement.breakerStates()).toContainEqual({ name: 'account:sky', state: 'open' });
    // ...publishing's breakers know nothing of it, and the next post goes out.
    expect(engine.breakerStates().filter((b) => b.state !== 'closed')).toEqual([]);
    await seedPosts(
      store.db,
      [engine.config.accounts.find((a) => a.id === 'sky')!],
      1,
      'later',
      new Date(clock.now()),
    );
    expect((await engine.publisher.publishOne())?.outcome).toBe('published');
    expect(await registry.metrics()).toMatch(
      /wirereport_engagement_polls_total\{platform="bluesky",outcome="error"\} \d+/,
    );
  });
});
