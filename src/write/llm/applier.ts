import type { GameEvent } from '../../domain/event.ts';
import type { Platform } from '../../domain/platform.ts';
import type { Verdict } from '../../domain/verdict.ts';
import type { BatchItem, DraftApplier } from './batch-queue.ts';

/** A queued post a batch draft may replace, with what verifying the draft needs. */
export interface ReplaceableTarget {
  postId: string;
  accountId: string;
  platform: Platform;
  event: GameEvent;
}

export interface DraftApplierDeps {
  /** Posts among the ids still queued, unleased and never attempted (`replaceablePosts` in store/costs.ts). */
  replaceable(postIds: readonly string[]): Promise<Set<string>>;
  /** The post's event and facts, when still replaceable (`loadReplaceablePost`). */
  load(postId: string): Promise<ReplaceableTarget | undefined>;
  /** Recent texts of the account, for the duplicate check (`recentTexts` in store/posts.ts). */
  recentTexts(accountId: string): Promise<string[]>;
  /** The account's voice's avoided words. */
  avoidWords(accountId: string): readonly string[];
  /** The verifier (`verifyDraft`). */
  verify(input: {
    text: string;
    ctx: { facts: GameEvent['game']; event: GameEvent };
    platform: Platform;
    recentTexts: string[];
    avoidWords: string[];
  }): Verdict;
  /** Replaces the text when still replaceable (`replaceQueuedText`). */
  replace(
    postId: string,
    draft: { text: string; writer: string; templateId: string; verdict: Verdict },
    reason: string,
    now: Date,
  ): Promise<boolean>;
  now(): number;
}

/**
 * The conductor side of the batch path, as plain functions handed in (the write stage itself never
 * speaks SQL): a batch draft replaces a queued post's template text only when it passes the same
 * verification every draft passes; a draft that fails is dropped and the template text stands.
 */
export function createDraftApplier(deps: DraftApplierDeps): DraftApplier {
  return {
    stillReplaceable: (postIds) => deps.replaceable(postIds),
    async apply(item: BatchItem, text: string, writer: string) {
      const target = await deps.load(item.postId);
      if (!target) return 'gone';
      const recent = (await deps.recentTexts(target.accountId)).filter((t) => t !== text);
      const verdict = deps.verify({
        text,
        ctx: { facts: target.event.game, event: target.event },
        platform: target.platform,
        recentTexts: recent,
        avoidWords: [...deps.avoidWords(target.accountId)],
      });
      if (!verdict.ok) return 'rejected';
      const replaced = await deps.replace(
        item.postId,
        { text, writer, templateId: `llm.cheap.${target.event.kind}:batch`, verdict },
        `batch draft by ${writer} replaces the template text (${verdict.claims.filter((c) => c.status === 'supported').length} claim(s) supported)`,
        new Date(deps.now()),
      );
      return replaced ? 'applied' : 'gone';
    },
  };
}
