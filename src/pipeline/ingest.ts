import { createHash } from 'node:crypto';
import type { Account } from '../domain/account.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Voice } from '../domain/voice.ts';
import type { Experiment } from '../feedback/experiments.ts';
import { writePostDraft } from '../feedback/experiments-write.ts';
import { expiryFor } from '../queue/schedule.ts';
import { type Route, routeEvent } from '../signals/routing.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import { existingEventIds, insertEvents, storedEventIdsByGame, upsertGame } from '../store/events.ts';
import { type AssignmentRow, recordAssignments } from '../store/experiments.ts';
import { createParts, type NewPart } from '../store/parts.ts';
import { createPosts, type NewPost, recentTexts, type Step } from '../store/posts.ts';
import type { Store } from '../store/store.ts';
import { measure } from '../verify/checks/length.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import type { LlmWriteRequest } from '../write/llm/llm-writer.ts';
import type { Writer } from '../write/writer.ts';
import type { Clock } from './clock.ts';
import { planThread } from './thread-plan.ts';

/** Content-derived post id: the same event, account and variant always give the same id. */
export function postId(eventId: string, accountId: string, variant: number): string {
  return `p_${createHash('sha256').update(`${eventId}\u0000${accountId}\u0000${variant}`).digest('base64url').slice(0, 22)}`;
}

export interface IngestDeps {
  store: Store;
  accounts: readonly Account[];
  voices: ReadonlyMap<string, Voice>;
  writer: Writer;
  clock: Clock;
  /** A/B experiments (src/feedback/experiments.ts): covered posts are written once per arm. Default: none. */
  experiments?: readonly Experiment[];
  /** Called once per post created (for metrics, logs, live views). */
  onPost?: (post: CreatedPost) => void;
}

export interface CreatedPost {
  id: string;
  accountId: string;
  eventId: string;
  status: 'queued' | 'rejected' | 'awaiting_approval';
  text: string;
  significance: number;
  verdict: Verdict;
  /** Milliseconds from the start of ingestion of the event to the post being stored. */
  latencyMs: number;
}

export interface IngestResult {
  eventId: string;
  duplicate: boolean;
  posts: CreatedPost[];
}

/** How many recent texts per account the duplicate check compares against. */
const RECENT_TEXTS = 50;

/** Games whose stored event ids an ingestor on the embedded store keeps in memory. */
const KNOWN_GAMES = 128;

/**
 * The conductor's first half: stores events exactly once and turns each into
 * checked posts for the accounts it is routed to.
 *
 * For every event of a batch: route it to accounts, write a draft per account
 * in the account's voice, verify every claim and platform rule, and store the
 * event with its posts and their history in one transaction, so a crash
 * leaves either all of it or none. An event already stored is skipped
 * entirely: replaying or re-polling never creates a second post.
 */
export class Ingestor {
  readonly #deps: IngestDeps;
  readonly #recent = new Map<string, string[]>();
  /**
   * Stored event ids per game (least recently used first), on a store only
   * this process writes: the embedded store, which one process owns. Loaded
   * with one query the first time a game is seen, then kept by this ingestor,
   * so a batch needs no lookup before it is written about.
   */
  readonly #storedByGame = new Map<string, Set<string>>();

  constructor(deps: IngestDeps) {
    this.#deps = deps;
  }

  async #recentFor(accountId: string): Promise<string[]> {
    let texts = this.#recent.get(accountId);
    if (!texts) {
      texts = await recentTexts(this.#deps.store.db, accountId, RECENT_TEXTS);
      this.#recent.set(accountId, texts);
    }
    return texts;
  }

  /** Whether an event would be written about for any account (pure; lets replays batch quiet stretches). */
  isNewsworthy(scored: ScoredEvent): boolean {
    return routeEvent(scored.event, scored.significance, this.#deps.accounts).length > 0;
  }

  /**
   * Ingests a batch of events in one transaction: every new event is stored
   * (re-sent ones are skipped), and each is written, verified and queued for
   * the accounts it is routed to. A crash leaves all of the batch or none.
   */
  async ingest(batch: readonly ScoredEvent[]): Promise<IngestResult[]> {
    const { store, clock } = this.#deps;
    const started = performance.now();
    const known = await this.#known(batch);
    const fresh: { scored: ScoredEvent; plans: Plan[] }[] = [];
    for (const scored of batch) {
      if (known.has(scored.event.id)) continue;
      known.add(scored.event.id);
      const routes = routeEvent(scored.event, scored.significance, this.#deps.accounts);
      const plans: Plan[] = [];
      for (const route of routes) {
        const plan = await this.#plan(scored, route);
        // Remember at once, so a later event of the same batch is checked against it too.
        if (plan.verdict.ok) this.#remember(plan.post.accountId, plan.post.text);
        plans.push(plan);
      }
      fresh.push({ scored, plans });
    }
    const inserted = new Set<string>();
    if (fresh.length > 0) {
      const now = new Date(clock.now());
      await store.db.transaction().execute(async (tx) => {
        const ids = await insertEvents(
          tx,
          fresh.map((f) => ({
            event: f.scored.event,
            significance: f.scored.significance,
            withFacts: f.plans.length > 0,
          })),
          now,
        );
        const posts: NewPost[] = [];
        const assignments: AssignmentRow[] = [];
        const parts: NewPart[] = [];
        for (const f of fresh) {
          if (!ids.has(f.scored.event.id)) continue;
          inserted.add(f.scored.event.id);
          if (f.scored.event.kind === 'final') await upsertGame(tx, f.scored.event.game, now);
          for (const plan of f.plans) posts.push(plan.post);
          for (const plan of f.plans) if (plan.assignment) assignments.push(plan.assignment);
          for (const plan of f.plans) if (plan.parts) parts.push(...plan.parts);
        }
        await createPosts(tx, posts, now);
        await createParts(tx, parts);
        await recordAssignments(tx, assignments, now);
      });
    }
    this.#stored(batch);
    const latencyMs = performance.now() - started;
    const byId = new Map(fresh.map((f) => [f.scored.event.id, f]));
    return batch.map((scored) => {
      const f = byId.get(scored.event.id);
      if (!f || !inserted.has(scored.event.id))
        return { eventId: scored.event.id, duplicate: true, posts: [] };
      byId.delete(scored.event.id);
      const posts = f.plans.map(({ post, verdict }): CreatedPost => {
        const created: CreatedPost = {
          id: post.id,
          accountId: post.accountId,
          eventId: post.eventId,
          status: post.steps[post.steps.length - 1]!.status as CreatedPost['status'],
          text: post.text,
          significance: post.significance,
          verdict,
          latencyMs,
        };
        this.#deps.onPost?.(created);
        return created;
      });
      return { eventId: scored.event.id, duplicate: false, posts };
    });
  }

  /** Ids among the batch's events that are already stored. */
  async #known(batch: readonly ScoredEvent[]): Promise<Set<string>> {
    const { store } = this.#deps;
    if (store.kind !== 'pglite') {
      // Other processes write a shared PostgreSQL too: ask it.
      return existingEventIds(
        store.db,
        batch.map((s) => s.event.id),
      );
    }
    const games = this.#storedByGame;
    const missing = [...new Set(batch.map((s) => s.event.gameId))].filter((id) => !games.has(id));
    for (const [gameId, ids] of await storedEventIdsByGame(store.db, missing)) games.set(gameId, ids);
    const known = new Set<string>();
    for (const { event } of batch) {
      const ids = games.get(event.gameId);
      if (ids?.has(event.id)) known.add(event.id);
    }
    return known;
  }

  /** Records that the batch's events are stored (after its transaction committed). */
  #stored(batch: readonly ScoredEvent[]): void {
    if (this.#deps.store.kind !== 'pglite') return;
    const games = this.#storedByGame;
    for (const { event } of batch) {
      // A game forgotten meanwhile is loaded again when next seen.
      const ids = games.get(event.gameId);
      if (!ids) continue;
      ids.add(event.id);
      // Most recently used last: the first entries are the ones to forget.
      games.delete(event.gameId);
      games.set(event.gameId, ids);
    }
    for (const gameId of games.keys()) {
      if (games.size <= KNOWN_GAMES) break;
      games.delete(gameId);
    }
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
    return { post, route, verdict, ...extra };
  }
}

/** One post planned for an event: what is stored, and its experiment assignment if any. */
interface Plan {
  post: NewPost;
  route: Route;
  verdict: Verdict;
  assignment?: AssignmentRow;
  /** The posts of its thread, lead first (migration 0005); absent for a single post. */
  parts?: NewPart[];
}
