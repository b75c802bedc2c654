import { Worker } from 'node:worker_threads';
import type { Account } from '../domain/account.ts';
import type { Voice } from '../domain/voice.ts';
import type { Experiment } from '../feedback/experiments.ts';
import type { Route } from '../signals/routing.ts';
import type { ScoredEvent } from '../signals/scored-event.ts';
import type { PlanItem, PlannedItem, Planner } from './plan.ts';

/** A route as it crosses to the planning thread: the account by id (the thread has the accounts). */
export interface RouteRef extends Omit<Route, 'account'> {
  accountId: string;
}

/** What one planner (one ingestor's settings) plans with on the thread. */
export interface PlannerSettings {
  accounts: readonly Account[];
  voices: [voiceId: string, voice: Voice][];
  experiments: readonly Experiment[];
}

/** Messages to the planning thread. */
export type ThreadRequest =
  | { kind: 'open'; planner: number; settings: PlannerSettings }
  | { kind: 'close'; planner: number }
  | {
      kind: 'plan';
      id: number;
      planner: number;
      /** Drop the planner's recent texts first (`Planner.forget`). */
      forget: boolean;
      /** Recent texts of the accounts the planner has not been sent yet. */
      seeds: [accountId: string, texts: string[]][];
      items: { scored: ScoredEvent; routes: RouteRef[] }[];
    };

/** Messages from the planning thread. */
export type ThreadReply =
  | { ready: true }
  | { id: number; plans: PlannedItem[] }
  | { id: number; error: { name: string; message: string; stack: string } };

interface Pending {
  resolve: (plans: PlannedItem[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const noop = () => {};

/**
 * The process's one planning thread (`plan-worker.ts`), shared by the
 * ingestors of the process: it starts when first needed, stays warm between
 * them, and keeps the process alive only while a request is out. If it dies
 * or hangs, the requests out fail with the reason and the next request starts
 * a new thread (`generation` tells planners to open again).
 */
class PlanningThread {
  worker: Worker | undefined;
  generation = 0;
  ready: Promise<void> = Promise.resolve();
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #readyYet = false;

  start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./plan-worker.ts', import.meta.url));
    this.generation++;
    let ready!: () => void;
    let failed!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    // Awaited only by `WorkerPlanner.start`; requests sent meanwhile wait in the thread's queue.
    this.ready.catch(noop);
    worker.on('message', (reply: ThreadReply) => {
      if ('ready' in reply) {
        this.#readyYet = true;
        if (this.#pending.size === 0) worker.unref();
        return ready();
      }
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#settle(worker, reply.id, pending);
      if ('plans' in reply) pending.resolve(reply.plans);
      else pending.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    const fail = (error: Error) => {
      failed(new Error(`draft planner thread failed: ${error.message}`, { cause: error }));
      this.#fail(worker, error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the thread exited with code ${code}`)));
    // Until it is ready and then while a request is out, the thread keeps the process alive (see request).
    this.worker = worker;
    this.#readyYet = false;
    return worker;
  }

  post(message: ThreadRequest): void {
    this.start().postMessage(message);
  }

  /** Sends a plan request and resolves with its answer; fails if none comes in `timeoutMs`. */
  request(
    message: Omit<Extract<ThreadRequest, { kind: 'plan' }>, 'id'>,
    timeoutMs: number,
  ): Promise<PlannedItem[]> {
    const worker = this.start();
    const id = this.#nextId++;
    const reply = new Promise<PlannedItem[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(worker, new Error(`no answer in ${timeoutMs / 1000} s`));
        void worker.terminate();
      }, timeoutMs);
      timer.unref();
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject, timer });
    });
    worker.postMessage({ ...message, id } satisfies ThreadRequest);
    return reply;
  }

  #settle(worker: Worker, id: number, pending: Pending): void {
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    if (this.#pending.size === 0 && this.#readyYet) worker.unref();
  }

  #fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(worker, id, pending);
      pending.reject(new Error(`draft planner thread failed: ${error.message}`, { cause: error }));
    }
  }
}

const thread = new PlanningThread();
let nextPlanner = 1;

export interface WorkerPlannerDeps {
  accounts: readonly Account[];
  voices: ReadonlyMap<string, Voice>;
  experiments?: readonly Experiment[];
  /** An account's most recent texts, newest first (read from the store once per account and thread). */
  recentTexts: (accountId: string) => Promise<string[]>;
  /** How long one request may take before the thread is taken for hung and replaced. Default: 60 s. */
  timeoutMs?: number;
}

/**
 * Plans drafts with the template writer on the process's planning thread:
 * writing and verifying are most of an event's CPU time, and this way they run
 * on a second core while the calling thread stores the batches planned before.
 * Requests are answered in the order they are made, as `DraftPlanner` would.
 */
export class WorkerPlanner implements Planner {
  readonly #deps: WorkerPlannerDeps;
  readonly #id = nextPlanner++;
  /** The thread generation this planner was opened on (0: none yet). */
  #openedOn = 0;
  /** Accounts whose recent texts the thread has been sent. */
  readonly #seeded = new Set<string>();
  #forget = false;
  #forgets = 0;
  /** Requests leave one after the other, in call order. */
  #sending: Promise<unknown> = Promise.resolve();
  readonly #out = new Set<Promise<unknown>>();
  #closed = false;

  constructor(deps: WorkerPlannerDeps) {
    this.#deps = deps;
  }

  /** Starts the thread now (instead of at the first request) and waits until it can plan. */
  async start(): Promise<void> {
    if (this.#closed) throw new Error('the draft planner is closed');
    this.#open();
    await thread.ready;
  }

  plan(items: readonly PlanItem[]): Promise<PlannedItem[]> {
    const posted = this.#sending.then(() => this.#post(items));
    this.#sending = posted.then(noop, noop);
    const reply = posted.then((sent) => sent.reply);
    const settled = reply.then(noop, noop);
    this.#out.add(settled);
    void settled.then(() => this.#out.delete(settled));
    return reply;
  }

  forget(): void {
    this.#forgets++;
    this.#seeded.clear();
    this.#forget = true;
  }

  /** Waits for the requests out, then frees this planner's state on the thread (which stays for others). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#out);
    if (this.#openedOn === thread.generation && thread.worker)
      thread.post({ kind: 'close', planner: this.#id });
    this.#openedOn = 0;
  }

  /** Registers this planner's settings with the current thread, once per thread. */
  #open(): void {
    thread.start();
    if (this.#openedOn === thread.generation) return;
    const { accounts, voices, experiments } = this.#deps;
    thread.post({
      kind: 'open',
      planner: this.#id,
      settings: { accounts, voices: [...voices], experiments: experiments ?? [] },
    });
    this.#openedOn = thread.generation;
    // A new thread knows no account's recent texts yet.
    this.#seeded.clear();
    this.#forget = false;
  }

  async #post(items: readonly PlanItem[]): Promise<{ reply: Promise<PlannedItem[]> }> {
    if (this.#closed) throw new Error('the draft planner is closed');
    let seeds: [string, string[]][];
    for (;;) {
      this.#open();
      const generation = thread.generation;
      const forgets = this.#forgets;
      const unseeded = new Set<string>();
      for (const { routes } of items)
        for (const { account } of routes) if (!this.#seeded.has(account.id)) unseeded.add(account.id);
      seeds = await Promise.all(
        [...unseeded].map(async (id): Promise<[string, string[]]> => [id, await this.#deps.recentTexts(id)]),
      );
      // The thread was replaced, or told to forget, while the texts were read: read them again.
      if (thread.generation === generation && thread.worker && this.#forgets === forgets) break;
    }
    for (const [id] of seeds) this.#seeded.add(id);
    const forget = this.#forget;
    this.#forget = false;
    const reply = thread.request(
      {
        kind: 'plan',
        planner: this.#id,
        forget,
        seeds,
        items: items.map(({ scored, routes }) => ({
          scored,
          routes: routes.map(({ account, ...route }) => ({ ...route, accountId: account.id })),
        })),
      },
      this.#deps.timeoutMs ?? 60_000,
    );
    return { reply };
  }
}
