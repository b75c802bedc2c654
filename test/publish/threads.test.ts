import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveServerKeys } from '../../src/api/keys.ts';
import { createServices } from '../../src/api/services.ts';
import { loadRecording } from '../../src/app/recordings.ts';
import type { Account } from '../../src/domain/account.ts';
import type { Voice } from '../../src/domain/voice.ts';
import { ManualClock } from '../../src/pipeline/clock.ts';
import { Ingestor } from '../../src/pipeline/ingest.ts';
import { Publisher } from '../../src/pipeline/publisher.ts';
import { UncertainPublishError } from '../../src/publish/errors.ts';
import { htmlToText } from '../../src/publish/http.ts';
import { createMastodonAdapter } from '../../src/publish/mastodon/mastodon.ts';
import type { PlatformAdapter } from '../../src/publish/platform.ts';
import { scoreGame } from '../../src/signals/score-game.ts';
import type { ScoredEvent } from '../../src/signals/scored-event.ts';
import { syncAccounts } from '../../src/store/accounts.ts';
import { listParts } from '../../src/store/parts.ts';
import type { Store } from '../../src/store/store.ts';
import { createDeterministicWriter } from '../../src/write/deterministic.ts';
import { type SnacPeer, startSnacPeer } from '../support/peers/snac.ts';
import { openTestStore, resetStore } from '../support/store.ts';

/**
 * A replayed final goes out as a thread on a real Mastodon-compatible server
 * (snac2): the lead, then every verified part as a reply to the one before,
 * counted on the server. A lost answer or a crash in the middle of the chain
 * duplicates nothing: only the one uncertain post is looked for, and only what
 * is missing is sent afterwards.
 */
const NBA = 'fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json';

let snac: SnacPeer;
let store: Store;
let final: ScoredEvent;
let n = 0;

const voice: Voice = {
  id: 'beat',
  persona: 'A Pacers beat writer.',
  tone: 'neutral',
  emoji: [],
  hashtags: [],
  useWords: [],
  avoidWords: [],
  examples: [],
  language: 'en',
};

function account(id: string): Account {
  return {
    id,
    platform: 'mastodon',
    handle: id,
    voiceId: 'beat',
    leagues: ['nba'],
    teams: ['IND'],
    minSignificance: 0,
    spacingSeconds: 0,
    maxAgeSeconds: 86_400,
    timezone: 'UTC',
    windows: [],
    budget: { postsPerDay: 100, usdMicrosPerDay: 1_000_000 },
    approval: { mode: 'auto', threshold: 1 },
    threads: { finals: true },
  };
}

beforeAll(async () => {
  [snac, store] = await Promise.all([startSnacPeer(), openTestStore()]);
  const recording = await loadRecording(NBA);
  const scored = scoreGame(recording.events).filter((s) => s.event.kind === 'final');
  expect(scored).toHaveLength(1);
  final = scored[0]!;
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([snac?.stop(), store?.close()]);
});

beforeEach(async () => {
  await resetStore(store);
});

/** One account on its own snac user, the final ingested for it, and a publisher. */
async function setUp(wrap: (real: PlatformAdapter) => PlatformAdapter = (a) => a) {
  const user = await snac.addUser(`thread${n++}`);
  const acc = account(`pacers-${n}`);
  const clock = new ManualClock(final.event.occurredAt + 60_000);
  await syncAccounts(store.db, [acc], new Date(clock.now()));
  const ingestor = new Ingestor({
    store,
    accounts: [acc],
    voices: new Map([['beat', voice]]),
    writer: createDeterministicWriter(),
    clock,
  });
  const [result] = await ingestor.ingest([final]);
  const post = result!.posts[0]!;
  expect(post.status).toBe('queued');
  const real = createMastodonAdapter({ url: snac.url, accessToken: user.token, accountId: acc.id });
  const adapter = wrap(real);
  const publisher = (worker: string) =>
    new Publisher({
      store,
      accounts: [acc],
      adapterFor: () => adapter,
      clock,
      worker,
      absentGraceMs: 0,
    });
  const onPeer = async () =>
    (await snac.statuses(user)).map((s) => ({
      id: s.id,
      text: htmlToText(s.content),
      replyTo: s.inReplyToId,
    }));
  return { user, acc, post, publisher, onPeer };
}

/** Every part of the post is on the peer exactly once, each replying to the one before. */
async function expectChainOnPeer(
  postId: string,
  onPeer: () => Promise<{ id: string; text: string; replyTo: string | null | undefined }[]>,
) {
  const parts = await listParts(store.db, postId);
  const posts = await onPeer();
  expect(posts).toHaveLength(parts.length);
  const { text: leadText } = (await store.db
    .selectFrom('posts')
    .select('text')
    .where('id', '=', postId)
    .executeTakeFirstOrThrow()) as { text: string };
  let parent: string | null = null;
  for (const part of parts) {
    const text = part.idx === 0 ? leadText : part.text;
    const mine = posts.filter((p) => p.text === text);
    expect(mine, text).toHaveLength(1);
    expect(mine[0]!.id).toBe(part.platformPostId);
    expect(mine[0]!.replyTo ?? null).toBe(parent);
    parent = mine[0]!.id;
  }
}

describe('a final as a thread on snac2', () => {
  it('is written with verified parts and published as a reply chain, in order', async () => {
    const { post, publisher, onPeer } = await setUp();
    const parts = await listParts(store.db, post.id);
    // The lead and the parts the facts allow: both teams' performers and the numbers.
    expect(parts.map((p) => p.idx)).toEqual([0, 1, 2, 3]);
    expect(parts[1]!.text).toMatch(/^Pascal Siakam led the Pacers with 31 points/);
    expect(parts[2]!.text).toMatch(/Knicks/);
    for (const p of parts) expect(p.verdict?.ok).toBe(true);
    const outcome = await publisher('w1').publishOne();
    expect(outcome?.outcome).toBe('published');
    await expectChainOnPeer(post.id, onPeer);
    const row = await store.db
      .selectFrom('posts')
      .select(['status', 'platform_post_id'])
      .where('id', '=', post.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('published');
    expect(row.platform_post_id).toBe((await listParts(store.db, post.id))[0]!.platformPostId);
    // The post detail of the API shows the thread, with each post's platform id and verdict.
    const services = createServices({
      db: store.db,
      keys: resolveServerKeys({}, 'memory'),
      accounts: [],
      voices: new Map(),
      sources: [],
      now: () => new Date(),
    });
    const detail = await services.getPost(post.id);
    expect(detail.thread.map((p) => p.idx)).toEqual([0, 1, 2, 3]);
    const peerIds = new Set((await onPeer()).map((p) => p.id));
    for (const p of detail.thread) {
      expect(peerIds.has(p.platformPostId!)).toBe(true);
      expect(p.verdict?.ok).toBe(true);
    }
  });

  it('a lost answer in the middle of the chain is reconciled, and only the missing parts are sent', async () => {
    let lose = true;
    const { post, publisher, onPeer } = await setUp((real) => ({
      ...real,
      async publish(request, signal) {
        const result = await real.publish(request, signal);
        // The server took part 2, but its answer never arrives.
        if (lose && request.idempotencyKey.endsWith('#2')) {
          lose = false;
          throw new UncertainPublishError('connection reset after sending');
        }
        return result;
      },
    }));
    const first = await publisher('w1').publishOne();
    expect(first?.outcome).toBe('unconfirmed');
    expect((await onPeer()).length).toBe(3); // lead, part 1, part 2 (unknown to us)
    const counts = await publisher('w1').reconcile();
    expect(counts).toEqual({ published: 0, requeued: 1, pending: 0 });
    const parts = await listParts(store.db, post.id);
    expect(parts.filter((p) => p.platformPostId).map((p) => p.idx)).toEqual([0, 1, 2]);
    const second = await publisher('w1').publishOne();
    expect(second?.outcome).toBe('published');
    await expectChainOnPeer(post.id, onPeer);
  });

  it('a worker that dies mid-thread is taken back; its successor sends nothing twice', async () => {
    let hang = true;
    const { post, publisher, onPeer } = await setUp((real) => ({
      ...real,
      async publish(request, signal) {
        const result = await real.publish(request, signal);
        // The process dies right after the server took part 1: no answer, no more writes.
        if (hang && request.idempotencyKey.endsWith('#1')) {
          hang = false;
          return new Promise(() => {});
        }
        return result;
      },
    }));
    void publisher('dead').publishOne();
    // Wait for the dead worker to have sent part 1.
    for (let i = 0; i < 100 && (await onPeer()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await onPeer()).length).toBe(2);
    // The successor (after a restart on the embedded store) takes everything back, reconciles, publishes.
    const successor = publisher('successor');
    expect((await successor.sweep({ everything: true })).takenBack).toBe(1);
    expect(await successor.reconcile()).toEqual({ published: 0, requeued: 1, pending: 0 });
    const outcome = await successor.publishOne();
    expect(outcome?.outcome).toBe('published');
    await expectChainOnPeer(post.id, onPeer);
  });
});
