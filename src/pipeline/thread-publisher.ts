import type { Platform } from '../domain/platform.ts';
import type { PlatformAdapter, PublishedPost, PublishRequest } from '../publish/platform.ts';
import { type PostPart, recordPartPublished, renewLease } from '../store/parts.ts';
import type { Store } from '../store/store.ts';
import { checkLength } from '../verify/checks/length.ts';

/**
 * How a post stored with thread parts goes out on one adapter:
 * - `chain`: the adapter has threads: the lead, then each part as a reply to
 *   the one before (`publishChain`);
 * - `single`: it has none (a Discord webhook, the outbox): one message, the
 *   lead followed by as many whole parts, in order, as fit the platform's
 *   length rule (the verifier's own `checkLength`), blank lines between them;
 *   the lead alone when none fits. Every piece was verified on its own, and
 *   the text is derived from the stored parts alone, so a reconciliation
 *   looks for exactly what a publish sent.
 */
export function shapeThread(
  lead: string,
  parts: readonly PostPart[],
  adapter: Pick<PlatformAdapter, 'capabilities'>,
  platform: Platform,
): { kind: 'chain' } | { kind: 'single'; text: string; joined: number } {
  if (adapter.capabilities?.threads) return { kind: 'chain' };
  let text = lead;
  let joined = 0;
  for (const part of parts) {
    if (part.idx === 0) continue;
    const next = `${text}\n\n${part.text}`;
    if (!checkLength(next, platform).ok) break;
    text = next;
    joined++;
  }
  return { kind: 'single', text, joined };
}

/** Texts of the posts still to send (the lead unless it is out, then the parts without an id). */
export function unsentTexts(lead: string, parts: readonly PostPart[]): string[] {
  if (parts.length === 0) return [lead];
  return parts.filter((p) => !p.platformPostId).map((p) => (p.idx === 0 ? lead : p.text));
}

/** The request for one post of a chain: the lead's own, or a reply continuing from the post before. */
export function chainRequest(lead: PublishRequest, parts: readonly PostPart[], idx: number): PublishRequest {
  if (idx === 0) return lead;
  const part = parts[idx];
  const root = parts[0]?.platformPostId;
  const parent = parts[idx - 1]?.platformPostId;
  if (!part || !root || !parent)
    throw new Error(`post ${lead.idempotencyKey}: part ${idx} has no published parent to reply to`);
  return {
    idempotencyKey: `${lead.idempotencyKey}#${idx}`,
    account: lead.account,
    text: part.text,
    continueFrom: { rootId: root, parentId: parent },
  };
}

export type ChainResult =
  | { ok: true; published: PublishedPost }
  | {
      ok: false;
      error: unknown;
      /** The platform call timed out. */
      timedOut: boolean;
      /** Whether the lead is on the platform (the post must not be failed or sent from scratch again). */
      rootOut: boolean;
      /** The post stopped being this worker's (its lease was taken back): leave its state alone. */
      lost: boolean;
    };

/**
 * Publishes what is still missing of a thread, in order, one platform call
 * per post: the lead (with `lead`'s images) unless it is already out, then
 * each part as a reply to the one before (`continueFrom`). Exactly-once rests
 * on the order of writes: each post's id is stored (with its fee) as soon as
 * the platform returns it and before the next is sent, and the lease is
 * renewed before each part, so after a crash or an unknown outcome at most one
 * post of the chain is uncertain (the first without an id), which `find`
 * decides. Parts already stored are never sent again. `parts` is updated in
 * place with the ids recorded.
 */
export async function publishChain(input: {
  store: Store;
  adapter: PlatformAdapter;
  platform: Platform;
  post: { id: string; accountId: string };
  lead: PublishRequest;
  parts: PostPart[];
  worker: string;
  leaseMs: number;
  timeoutMs: number;
  now: () => Date;
}): Promise<ChainResult> {
  const { store, adapter, parts } = input;
  for (const part of parts) {
    if (part.platformPostId) continue;
    const rootOut = parts[0]?.platformPostId != null;
    if (part.idx > 0) {
      const until = new Date(input.now().getTime() + input.leaseMs);
      if (!(await renewLease(store.db, input.post.id, input.worker, until)))
        return { ok: false, error: new Error('lease taken back'), timedOut: false, rootOut, lost: true };
    }
    const signal = AbortSignal.timeout(input.timeoutMs);
    let result: PublishedPost;
    try {
      result = await adapter.publish(chainRequest(input.lead, parts, part.idx), signal);
    } catch (error) {
      return { ok: false, error, timedOut: signal.aborted, rootOut, lost: false };
    }
    await recordPart(store, input, part, result);
  }
  return { ok: true, published: chainPublished(parts) };
}

/**
 * Reconciles a thread whose outcome is unknown: asks the platform about the
 * one post that may be uncertain (the first without an id; the ones after it
 * were never sent) and records it when found. Returns `complete` when every
 * post is out, `continue` when the rest was never sent (queue the post again:
 * the next publish sends only what is missing), `absent` when the uncertain
 * post is not on the platform (the caller trusts that only after its grace).
 * Throws when the platform cannot tell.
 */
export async function reconcileChain(input: {
  store: Store;
  adapter: PlatformAdapter;
  platform: Platform;
  post: { id: string; accountId: string };
  lead: PublishRequest;
  parts: PostPart[];
  timeoutMs: number;
  now: () => Date;
}): Promise<'complete' | 'continue' | 'absent'> {
  const first = input.parts.find((p) => !p.platformPostId);
  if (!first) return 'complete';
  const request = chainRequest(input.lead, input.parts, first.idx);
  const found = await input.adapter.find(request, AbortSignal.timeout(input.timeoutMs));
  if (!found) return 'absent';
  await recordPart(input.store, input, first, found);
  return input.parts.some((p) => !p.platformPostId) ? 'continue' : 'complete';
}

/** Stores one post of the chain as published (and in `parts`). */
export async function recordPart(
  store: Store,
  input: { post: { id: string; accountId: string }; platform: Platform; now: () => Date },
  part: PostPart,
  result: PublishedPost,
): Promise<void> {
  await recordPartPublished(
    store.db,
    {
      postId: input.post.id,
      accountId: input.post.accountId,
      idx: part.idx,
      platformPostId: result.platformPostId,
      ...(result.url ? { url: result.url } : {}),
      feeUsdMicros: result.feeUsdMicros,
      platform: input.platform,
    },
    input.now(),
  );
  part.platformPostId = result.platformPostId;
  part.url = result.url ?? null;
}

/**
 * The chain as one published post (the lead's id and URL, the replies' ids in
 * order). Its fee is 0: every post's fee was recorded when it went out.
 */
export function chainPublished(parts: readonly PostPart[]): PublishedPost {
  const root = parts[0];
  if (!root?.platformPostId) throw new Error('the thread has no published lead');
  return {
    platformPostId: root.platformPostId,
    ...(root.url ? { url: root.url } : {}),
    feeUsdMicros: 0,
    threadPostIds: parts.slice(1).flatMap((p) => (p.platformPostId ? [p.platformPostId] : [])),
  };
}
