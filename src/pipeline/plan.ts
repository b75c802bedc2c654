import { createHash } from 'node:crypto';
import type { Verdict } from '../domain/verdict.ts';
import type { Voice } from '../domain/voice.ts';
import type { Experiment } from '../feedback/experiments.ts';
import { writePostDraft } from '../feedback/experiments-write.ts';
import { expiryFor } from '../queue/schedule.ts';
import type { Route } from '../signals/routing.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import type { AssignmentRow } from '../store/experiments.ts';
import { type FactsSnapshot, snapshotOf } from '../store/facts-snapshot.ts';
import type { NewPart } from '../store/parts.ts';
import type { NewPost, Step } from '../store/posts.ts';
import { measure } from '../verify/checks/length.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import type { LlmWriteRequest } from '../write/llm/llm-writer.ts';
import type { Writer } from '../write/writer.ts';
import { planThread } from './thread-plan.ts';

/**
 * Planning: an event routed to accounts becomes one checked post per account
 * (written in the account's voice, every claim verified, its thread and
 * experiment arms decided), ready to store. It reads nothing but its inputs
 * and the accounts' recent texts, so it can run off the thread that owns the
 * store (`plan-worker.ts`).
 */

/** Content-derived post id: the same event, account and variant always give the same id. */
export function postId(eventId: string, accountId: string, variant: number): string {
  return `p_${createHash('sha256').update(`${eventId}\u0000${accountId}\u0000${variant}`).digest('base64url').slice(0, 22)}`;
}

/** How many recent texts per account the duplicate check compares against. */
export const RECENT_TEXTS = 50;

/** One post planned for an event: what is stored, and its experiment assignment and thread if any. */
export interface Plan {
  post: NewPost;
  verdict: Verdict;
  assignment?: AssignmentRow;
  /** The posts of its thread, lead first (migration 0005); absent for a single post. */
  parts?: NewPart[];
}

/** An event's plans, one per route, and its facts as they will be stored. */
export interface PlannedItem {
  plans: Plan[];
  snapshot: FactsSnapshot;
}

/** One event to plan, with the accounts it was routed to. */
export interface PlanItem {
  scored: ScoredEvent;
  routes: readonly Route[];
}

export interface DraftPlannerDeps {
  voices: ReadonlyMap<string, Voice>;
  writer: Writer;
  /** A/B experiments: covered posts are written once per arm. Default: none. */
  experiments?: readonly Experiment[];
  /** The account's most recent texts, newest first, for the duplicate check (read once per account). */
  recentTexts: (accountId: string) => string[] | Promise<string[]>;
}

/**
 * Plans posts event by event, in order: each accepted draft joins its
 * account's recent texts at once, so a later event (of the same batch or the
 * next) is checked against it too.
 */
export class DraftPlanner implements Planner {
  readonly #deps: DraftPlannerDeps;
  readonly #recent = new Map<string, string[]>();

  constructor(deps: DraftPlannerDeps) {
    this.#deps = deps;
  }

  /** Plans every item in order: the posts of each item, one per route, and its facts snapshot. */
  async plan(items: readonly PlanItem[]): Promise<PlannedItem[]> {
    const out: PlannedItem[] = [];
    for (const { scored, routes } of items) {
      const plans: Plan[] = [];
      for (const route of routes) {
        const plan = await this.#plan(scored, route);
        if (plan.verdict.ok) this.#remember(plan.post.accountId, plan.post.text);
        plans.push(plan);
      }
      out.push({ plans, snapshot: snapshotOf(scored.event.game) });
    }
    return out;
  }

  /**
   * Drops the recent texts: the next plan reads them again. Called when a
   * batch that was planned could not be stored, so its texts are not taken
   * for posts that exist.
   */
  forget(): void {
    this.#recent.clear();
  }

  async close(): Promise<void> {}

  async #recentFor(accountId: string): Promise<string[]> {
    let texts = this.#recent.get(accountId);
    if (!texts) {
      texts = [...(await this.#deps.recentTexts(accountId))];
      this.#recent.set(accountId, texts);
    }
    return texts;
  }

  #remember(accountId: string, text: string): void {
    const texts = this.#recent.get(accountId);
    if (!texts) return;
    texts.unshift(text);
    if (texts.length > RECENT_TEXTS) texts.length = RECENT_TEXTS;
  }

  async #plan(scored: ScoredEvent, route: Route): Promise<Plan> {
    const { account } = route;
    const voice = this.#deps.voices.get(account.voiceId);
    if (!voice) throw new Error(`account ${account.id}: no voice ${account.voiceId}`);
    const limit = measure('', account.platform).limit;
    const expiresAt = new Date(expiryFor(scored.event.kind, scored.event.occurredAt, account));
    // LLM writers repair a draft with a contradicted claim once (template drafts pass through as before).
    const recent = await this.#recentFor(account.id);
    const request: LlmWriteRequest = {
      event: scored.event,
      significance: { ...scored.significance, score: route.significance },
      voice,
      platform: account.platform,
      teams: account.teams,
      variant: 0,
      maxLength: limit,
      accountId: account.id,
      postId: postId(scored.event.id, account.id, 0),
      deadline: expiresAt.getTime(),
    };
    // Under an experiment, one variant per arm is written and verified, and one is served.
    const {
      draft,
      verdict: leadVerdict,
      variant,
      assignment,
    } = await writePostDraft(
      this.#deps.writer,
      request,
      (text) =>
        verifyDraft({
          text,
          ctx: { facts: scored.event.game, event: scored.event },
          platform: account.platform,
          recentTexts: recent,
          avoidWords: voice.avoidWords,
        }),
      {
        experiments: this.#deps.experiments,
        accountId: account.id,
        significance: route.significance,
        postIdOf: (v) => postId(scored.event.id, account.id, v),
      },
    );
    const id = postId(scored.event.id, account.id, variant);
    // A final's thread (accounts with threads.finals): its parts are verified one by one, and one
    // that contradicts the facts rejects the post (thread-plan.ts).
    const thread = planThread({
      account,
      request,
      lead: { text: draft.text, templateId: draft.templateId, verdict: leadVerdict },
      ctx: { facts: scored.event.game, event: scored.event },
      recentTexts: recent,
      voice,
    });
    const verdict = thread?.verdict ?? leadVerdict;
    const steps: Step[] = [{ status: 'drafted', reason: `written by ${draft.writer} (${draft.templateId})` }];
    if (!verdict.ok) {
      steps.push({ status: 'rejected', reason: verdict.reasons.join(', ') || 'verification failed' });
    } else {
      const supported = verdict.claims.filter((c) => c.status === 'supported').length;
      const note = thread ? `; ${thread.note}` : '';
      steps.push({ status: 'verified', reason: `${supported} claim(s) supported, all checks passed${note}` });
      const review =
        account.approval.mode === 'review' ||
        (account.approval.mode === 'review_above' && route.significance >= account.approval.threshold);
      steps.push(
        review
          ? { status: 'awaiting_approval', reason: `approval mode ${account.approval.mode}` }
          : { status: 'queued', reason: `auto approval; ${route.reason}` },
      );
    }
    const post: NewPost = {
      id,
      accountId: account.id,
      eventId: scored.event.id,
      variant,
      priority: route.priority,
      significance: route.significance,
      text: draft.text,
      writer: draft.writer,
      templateId: draft.templateId,
      verdict,
      steps,
      notBefore: null,
      expiresAt,
    };
    const parts = verdict.ok ? (thread?.parts ?? []).map((p) => ({ ...p, postId: id })) : [];
    const extra = { ...(assignment ? { assignment } : {}), ...(parts.length > 0 ? { parts } : {}) };
    return { post, verdict, ...extra };
  }
}

/** Plans posts for events, in the order asked; `DraftPlanner` in-process, `WorkerPlanner` on a thread. */
export interface Planner {
  /** Readies what planning needs (a thread) before the first batch. */
  start?(): Promise<void>;
  plan(items: readonly PlanItem[]): Promise<PlannedItem[]>;
  /** Drops what was remembered of plans that were never stored (see `DraftPlanner.forget`). */
  forget(): void;
  close(): Promise<void>;
}
