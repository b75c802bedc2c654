import { describe, expect, it } from 'vitest';
import {
  PermanentPublishError,
  RateLimitedError,
  TransientPublishError,
  UncertainPublishError,
} from './errors.ts';
import type { ImageAttachment, PlatformAdapter, PublishRequest } from './platform.ts';

/**
 * One conformance suite every platform adapter runs against its real local
 * peer (hono's `runTest({ newRouter })` pattern). What is checked is counted
 * on the peer, never on the adapter's word:
 *
 * - a publish makes exactly one post, with our text, under the returned id;
 * - `find` returns that post, and null for a text never sent;
 * - a thread is a reply chain of as many posts as parts, and can be continued
 *   from stored ids (`continueFrom`), `find` seeing each continuation;
 * - an image goes out with its alt text where the platform takes images;
 * - a 429 becomes RateLimitedError with the platform's retry time, and posts nothing;
 * - an aborted call throws and is not reported as success;
 * - `delete` removes the post from the peer.
 */
export interface ConformancePeer {
  /** The account's posts as the peer holds them. */
  posts(): Promise<{ id: string; text: string; replyTo?: string | null; images?: number; alt?: string[] }[]>;
  /** Makes the peer answer the next publish with a 429 asking to wait `seconds` (when the peer can). */
  rateLimitNext?(seconds: number): Promise<void> | void;
  /** Whether the peer compares ids as the adapter returns them (default true). */
  sameIds?: boolean;
  /**
   * Features the peer itself does not implement (snac has no status delete),
   * with the reason; those tests are skipped for this peer, visibly.
   */
  lacks?: Partial<Record<'delete', string>>;
}

export interface ConformanceOptions {
  name: string;
  /** Builds the adapter for one peer account; called once per test. */
  makeAdapter(): Promise<{
    adapter: PlatformAdapter;
    account: PublishRequest['account'];
    peer: ConformancePeer;
  }>;
  /** A PNG for the image test (the score card). Without it the image test is skipped for this adapter. */
  image?: () => Promise<ImageAttachment>;
}

let counter = 0;
const unique = (label: string): string =>
  `${label} ${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

const timeout = (ms = 15_000): AbortSignal => AbortSignal.timeout(ms);

export function runConformance(options: ConformanceOptions): void {
  describe(`${options.name}: platform adapter conformance`, () => {
    it('publishes exactly one post with the text, under the returned id', async () => {
      const { adapter, account, peer } = await options.makeAdapter();
      const text = unique('Knicks 108, Pacers 125: final.');
      const before = await peer.posts();
      const result = await adapter.publish({ idempotencyKey: unique('k'), account, text }, timeout());
      expect(result.platformPostId).toBeTruthy();
      expect(result.feeUsdMicros).toBeGreaterThanOrEqual(0);
      const after = await peer.posts();
      const mine = after.filter((p) => p.text === text);
      expect(mine).toHaveLength(1);
      expect(after.length - before.length).toBe(1);
      if (peer.sameIds !== false) expect(mine[0]!.id).toBe(result.platformPostId);
    });

    it('find returns the published post, and null for a text never sent', async () => {
      const { adapter, account } = await options.makeAdapter();
      if (adapter.capabilities?.canFind === false) return;
      const request = {
        idempotencyKey: unique('k'),
        account,
        text: unique('Haliburton hits the dagger three.'),
      };
      const published = await adapter.publish(request, timeout());
      const found = await adapter.find(request, timeout());
      expect(found?.platformPostId).toBe(published.platformPostId);
      const absent = await adapter.find(
        { ...request, idempotencyKey: unique('k'), text: unique('never sent') },
        timeout(),
      );
      expect(absent).toBeNull();
    });

    it('publishes a thread as a reply chain', async () => {
      const { adapter, account, peer } = await options.makeAdapter();
      if (!adapter.capabilities?.threads) return;
      const head = unique('Final: Pacers 125, Knicks 108.');
      const parts = [unique('Siakam led Indiana with 31 points.'), unique('Brunson scored 24 for New York.')];
      const result = await adapter.publish(
        { idempotencyKey: unique('k'), account, text: head, thread: parts },
        timeout(),
      );
      expect(result.threadPostIds).toHaveLength(2);
      const posts = await peer.posts();
      const byText = new Map(posts.map((p) => [p.text, p]));
      expect(byText.get(head)?.replyTo ?? null).toBeNull();
      if (peer.sameIds !== false) {
        expect(byText.get(parts[0]!)?.replyTo).toBe(result.platformPostId);
        expect(byText.get(parts[1]!)?.replyTo).toBe(result.threadPostIds![0]);
      } else {
        expect(byText.get(parts[0]!)?.replyTo).toBeTruthy();
        expect(byText.get(parts[1]!)?.replyTo).toBeTruthy();
      }
    });

    it('continues a thread from stored ids, each continuation a reply to its parent', async () => {
      const { adapter, account, peer } = await options.makeAdapter();
      if (!adapter.capabilities?.threads) return;
      const canFind = adapter.capabilities.canFind !== false;
      const key = unique('k');
      const head = await adapter.publish(
        { idempotencyKey: key, account, text: unique('Final: Pacers 125, Knicks 108.') },
        timeout(),
      );
      const rootId = head.platformPostId;
      const first = {
        idempotencyKey: `${key}#1`,
        account,
        text: unique('Pascal Siakam led the Pacers with 31 points.'),
        continueFrom: { rootId, parentId: rootId },
      };
      if (canFind) expect(await adapter.find(first, timeout())).toBeNull();
      const one = await adapter.publish(first, timeout());
      const second = {
        idempotencyKey: `${key}#2`,
        account,
        text: unique('OG Anunoby led the Knicks with 24 points.'),
        continueFrom: { rootId, parentId: one.platformPostId },
      };
      const two = await adapter.publish(second, timeout());
      const posts = await peer.posts();
      const byText = new Map(posts.map((p) => [p.text, p]));
      expect(posts.filter((p) => p.text === first.text || p.text === second.text)).toHaveLength(2);
      if (peer.sameIds !== false) {
        expect(byText.get(first.text)?.replyTo).toBe(rootId);
        expect(byText.get(second.text)?.replyTo).toBe(one.platformPostId);
      }
      if (canFind) {
        expect((await adapter.find(first, timeout()))?.platformPostId).toBe(one.platformPostId);
        expect((await adapter.find(second, timeout()))?.platformPostId).toBe(two.platformPostId);
      }
    });

    it('attaches an image with its alt text where the platform takes images', async () => {
      const { adapter, account, peer } = await options.makeAdapter();
      if (!adapter.capabilities?.images || !options.image) return;
      const image = await options.image();
      const text = unique('Score card: Pacers 125, Knicks 108.');
      await adapter.publish({ idempotencyKey: unique('k'), account, text, images: [image] }, timeout());
      const post = (await peer.posts()).find((p) => p.text === text);
      expect(post?.images).toBe(1);
      if (post?.alt) expect(post.alt).toEqual([image.alt]);
    });

    it('turns a 429 into RateLimitedError with the retry time, and posts nothing', async () => {
      const { adapter, account, peer } = await options.makeAdapter();
      if (!peer.rateLimitNext) return;
      await peer.rateLimitNext(7);
      const before = (await peer.posts()).length;
      const start = Date.now();
      const error = await adapter
        .publish({ idempotencyKey: unique('k'), account, text: unique('rate limited') }, timeout())
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(RateLimitedError);
      const retryAt = (error as RateLimitedError).retryAt;
      expect(retryAt).toBeGreaterThanOrEqual(start + 6_000);
      expect(retryAt).toBeLessThanOrEqual(Date.now() + 8_000);
      expect((await peer.posts()).length).toBe(before);
    });

    it('never reports an aborted call as a success', async () => {
      const { adapter, account } = await options.makeAdapter();
      const controller = new AbortController();
      controller.abort(new Error('test timeout'));
      const error = await adapter
        .publish({ idempotencyKey: unique('k'), account, text: unique('aborted') }, controller.signal)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(Error);
      // Classified as something the queue handles without a blind retry.
      const ok =
        error instanceof UncertainPublishError ||
        error instanceof TransientPublishError ||
        error instanceof PermanentPublishError ||
        (error as Error).name === 'AbortError' ||
        (error as Error).message === 'test timeout';
      expect(ok, String(error)).toBe(true);
    });

    it('deletes a post from the peer', async (ctx) => {
      const { adapter, account, peer } = await options.makeAdapter();
      if (!adapter.delete) return;
      if (peer.lacks?.delete) return ctx.skip(peer.lacks.delete);
      const text = unique('to be deleted');
      const result = await adapter.publish({ idempotencyKey: unique('k'), account, text }, timeout());
      expect((await peer.posts()).some((p) => p.text === text)).toBe(true);
      await adapter.delete(result.platformPostId, timeout());
      expect((await peer.posts()).some((p) => p.text === text)).toBe(false);
    });
  });
}
