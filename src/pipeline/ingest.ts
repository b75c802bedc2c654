import type { Account } from '../domain/account.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Voice } from '../domain/voice.ts';
import type { Experiment } from '../feedback/experiments.ts';
import { type Route, routeEvent } from '../signals/routing.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import { existingEventIds, insertEvents, storedEventIdsByGame, upsertGame } from '../store/events.ts';
import { type AssignmentRow, recordAssignments } from '../store/experiments.ts';
import type { FactsSnapshot } from '../store/facts-snapshot.ts';
import { createParts, type NewPart } from '../store/parts.ts';
import { createPosts, type NewPost, recentTexts } from '../store/posts.ts';
import type { Store } from '../store/store.ts';
import type { Writer } from '../write/writer.ts';
import type { Clock } from './clock.ts';
import { DraftPlanner, type Plan, type Planner, RECENT_TEXTS } from './plan.ts';
import { WorkerPlanner } from './worker-planner.ts';

export interface IngestDeps {
  store: Store;
  accounts: readonly Account[];
  voices: ReadonlyMap<string, Voice>;
  writer: Writer;
  clock: Clock;
  /** A/B experiments (src/feedback/experiments.ts): covered posts are written once per arm. Default: none. */
  experiments?: readonly Experiment[];
  /**
   * Plan drafts (write and verify them) on a thread of their own
   * (`WorkerPlanner`), while this one stores. Only for the template writer,
   * which needs nothing but the event: LLM writers call out, spend budget and
   * record costs in the store. Default: false (in this thread).
   */
  planOnThread?: boolean;
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

/** Games whose stored event ids an ingestor on the embedded store keeps in memory. */
const KNOWN_GAMES = 128;

/** A batch on its way: being planned, or planned and waiting for its turn to be stored. */
export interface PreparedBatch {
  readonly batch: readonly ScoredEvent[];
  /** `performance.now()` when its ingestion started. */
  readonly started: number;
  /** The planner generation it was planned in: a batch that failed to store since makes it plan again. */
  generation: number;
  readonly planned: Promise<Fresh[]>;
  /** Set once planning is over: lets a commit take along the batches behind it that are ready too. */
  outcome?: { fresh: Fresh[] } | { error: unknown };
}

/** A batch waiting to be stored, with its caller's promise. */
interface Queued {
  prepared: PreparedBatch;
  resolve: (results: IngestResult[]) => void;
  reject: (error: unknown) => void;
}

/** Most batches stored in one transaction. */
const MAX_GROUP = 16;

/** A new event of a batch with its planned posts and the facts they rest on, as stored (null: no posts). */
interface Fresh {
  scored: ScoredEvent;
  plans: Plan[];
  snapshot: FactsSnapshot | null;
}

const noop = () => {};

/**
 * The conductor's first half: stores events exactly once and turns each into
 * checked posts for the accounts it is routed to.
 *
 * For every event of a batch: route it to accounts, write a draft per account
 * in the account's voice, verify every claim and platform rule, and store the
 * event with its posts and their history in one transaction, so a crash
 * leaves either all of it or none. An event already stored is skipped
 * entirely: replaying or re-polling never creates a second post.
 *
 * Ingestion is two stages, each taking batches in the order they came:
 * `prepare` routes and plans (writes and verifies), `commit` stores. So while
 * one batch is stored the next ones can be planned (on the planner's thread
 * when `planOnThread`). `ingest` is both.
 */
export class Ingestor {
  readonly #deps: IngestDeps;
  readonly #planner: Planner;
  /**
   * Stored event ids per game (least recently used first), on a store only
   * this process writes: the embedded store, which one process owns. Loaded
   * with one query the first time a game is seen, then kept by this ingestor,
   * so a batch needs no lookup before it is written about.
   */
  readonly #storedByGame = new Map<string, Set<string>>();
  /** Events planned and not yet stored (or failed): a batch prepared meanwhile skips them. */
  readonly #inFlight = new Set<string>();
  /** Bumped when a batch fails to store: batches planned before then are planned again. */
  #generation = 0;
  #preparing: Promise<unknown> = Promise.resolve();
  /** Batches waiting to be stored, in the order committed; `#draining` while one loop stores them. */
  readonly #queue: Queued[] = [];
  #draining: Promise<void> | undefined;

  constructor(deps: IngestDeps) {
    this.#deps = deps;
    const recent = (accountId: string) => recentTexts(deps.store.db, accountId, RECENT_TEXTS);
    this.#planner = deps.planOnThread
      ? new WorkerPlanner({
          accounts: deps.accounts,
          voices: deps.voices,
          ...(deps.experiments ? { experiments: deps.experiments } : {}),
          recentTexts: recent,
        })
      : new DraftPlanner({
          voices: deps.voices,
          writer: deps.writer,
          ...(deps.experiments ? { experiments: deps.experiments } : {}),
          recentTexts: recent,
        });
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
  ingest(batch: readonly ScoredEvent[]): Promise<IngestResult[]> {
    return this.commit(this.prepare(batch));
  }

  /**
   * Starts a batch's ingestion: its new events are routed and their posts
   * planned, after the batches prepared before it. Nothing is stored until
   * `commit`; every prepared batch must be committed, in the order prepared,
   * or discarded.
   */
  prepare(batch: readonly ScoredEvent[]): PreparedBatch {
    const started = performance.now();
    const generation = this.#generation;
    const planned = this.#preparing.then(() => this.#plan(batch));
    this.#preparing = planned.then(noop, noop);
    const prepared: PreparedBatch = { batch, started, generation, planned };
    planned.then(
      (fresh) => {
        prepared.outcome = { fresh };
      },
      (error: unknown) => {
        prepared.outcome = { error };
      },
    );
    return prepared;
  }

  /**
   * Stores a prepared batch (after the batches committed before it) and
   * returns what became of each event. Fails as the planning or the store
   * failed; after a store failure the batches planned meanwhile are planned
   * again before they are stored.
   *
   * Batches committed while the store is busy are stored together, in one
   * transaction, when it is free (a group commit: one transaction's fixed cost
   * for many). If that transaction fails, each is stored alone, so one bad
   * batch fails only its own caller.
   */
  commit(prepared: PreparedBatch): Promise<IngestResult[]> {
    return new Promise<IngestResult[]>((resolve, reject) => {
      this.#queue.push({ prepared, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Readies the planner (starts its thread, when it has one) so the first batch does not wait for it. */
  async start(): Promise<void> {
    await this.#planner.start?.();
  }

  /** Drops a prepared batch without storing it (its caller gave up, say after an earlier batch failed). */
  async discard(prepared: PreparedBatch): Promise<void> {
    const fresh = await prepared.planned.catch(() => []);
    for (const f of fresh) this.#inFlight.delete(f.scored.event.id);
  }

  /** Stops the planner's thread, after the batches out. */
  async close(): Promise<void> {
    await this.#draining;
    await this.#planner.close();
  }

  /** Stores the queue's batches until it is empty; then (in the same turn) lets the next commit start again. */
  async #drain(): Promise<void> {
    const queue = this.#queue;
    for (;;) {
      if (queue.length === 0) {
        this.#draining = undefined;
        return;
      }
      // The oldest batch waits for its plans; those behind it that are planned already come along.
      await queue[0]!.prepared.planned.catch(noop);
      // Plans answered by the planning thread meanwhile arrive as messages, which wait for a turn
      // of the event loop (storing yields only to promise callbacks): take that turn first.
      if (queue.length > 1) await new Promise(setImmediate);
      const group = [queue.shift()!];
      while (group.length < MAX_GROUP && queue[0]?.prepared.outcome) group.push(queue.shift()!);
      const stored: Queued[] = [];
      for (const entry of group) {
        const outcome = entry.prepared.outcome!;
        if ('error' in outcome) entry.reject(outcome.error);
        else stored.push(entry);
      }
      if (stored.length === 0) continue;
      try {
        const results = await this.#commit(stored.map((e) => e.prepared));
        for (const [i, entry] of stored.entries()) entry.resolve(results[i]!);
      } catch (error) {
        if (stored.length === 1) {
          stored[0]!.reject(error);
          continue;
        }
        for (const entry of stored) {
          try {
            entry.resolve((await this.#commit([entry.prepared]))[0]!);
          } catch (alone) {
            entry.reject(alone);
          }
        }
      }
    }
  }

  async #plan(batch: readonly ScoredEvent[]): Promise<Fresh[]> {
    const known = await this.#known(batch);
    const fresh: { scored: ScoredEvent; routes: Route[] }[] = [];
    for (const scored of batch) {
      const id = scored.event.id;
      if (known.has(id) || this.#inFlight.has(id)) continue;
      this.#inFlight.add(id);
      fresh.push({ scored, routes: routeEvent(scored.event, scored.significance, this.#deps.accounts) });
    }
    try {
      const items = fresh.filter((f) => f.routes.length > 0);
      const planned = items.length > 0 ? await this.#planner.plan(items) : [];
      const byEvent = new Map(items.map((item, i) => [item.scored.event.id, planned[i]]));
      return fresh.map(({ scored }) => {
        const item = byEvent.get(scored.event.id);
        return item
          ? { scored, plans: item.plans, snapshot: item.snapshot }
          : { scored, plans: [], snapshot: null };
      });
    } catch (error) {
      for (const f of fresh) this.#inFlight.delete(f.scored.event.id);
      throw error;
    }
  }

  /** Stores several prepared batches in one transaction; the results of each, in order. */
  async #commit(batches: readonly PreparedBatch[]): Promise<IngestResult[][]> {
    const { store, clock } = this.#deps;
    const planned: Fresh[][] = [];
    for (const prepared of batches) {
      let fresh = await prepared.planned;
      if (prepared.generation !== this.#generation) {
        // A batch before it failed to store after it was planned: its texts may have counted as recent.
        for (const f of fresh) this.#inFlight.delete(f.scored.event.id);
        fresh = await this.#plan(prepared.batch);
        prepared.outcome = { fresh };
        prepared.generation = this.#generation;
      }
      planned.push(fresh);
    }
    const all = planned.flat();
    const inserted = new Set<string>();
    try {
      if (all.length > 0) {
        const now = new Date(clock.now());
        await store.db.transaction().execute(async (tx) => {
          const ids = await insertEvents(
            tx,
            all.map((f) => ({
              event: f.scored.event,
              significance: f.scored.significance,
              snapshot: f.snapshot,
            })),
            now,
          );
          const posts: NewPost[] = [];
          const assignments: AssignmentRow[] = [];
          const parts: NewPart[] = [];
          for (const f of all) {
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
    } catch (error) {
      // Their plans' texts were taken as recent: forget them, and plan what was planned since again.
      this.#generation++;
      this.#planner.forget();
      throw error;
    } finally {
      for (const f of all) this.#inFlight.delete(f.scored.event.id);
    }
    const storedAt = performance.now();
    return batches.map((prepared, i) => {
      this.#stored(prepared.batch);
      return this.#results(prepared.batch, planned[i]!, inserted, storedAt - prepared.started);
    });
  }

  #results(
    batch: readonly ScoredEvent[],
    fresh: readonly Fresh[],
    inserted: ReadonlySet<string>,
    latencyMs: number,
  ): IngestResult[] {
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
}
