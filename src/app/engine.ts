import { hostname } from 'node:os';
import { CircuitState } from 'cockatiel';
import { Registry } from 'prom-client';
import type { Account } from '../domain/account.ts';
import { EngagementCollector } from '../feedback/collector.ts';
import { registerExperiments } from '../feedback/experiments-analysis.ts';
import type { Clock } from '../pipeline/clock.ts';
import { Ingestor } from '../pipeline/ingest.ts';
import { Publisher, type PublisherDeps } from '../pipeline/publisher.ts';
import { PublishBreakers } from '../publish/breakers.ts';
import type { CardFonts } from '../publish/card/score-card.ts';
import { createOutboxPlatform } from '../publish/outbox/outbox.ts';
import type { ImageAttachment, PlatformAdapter } from '../publish/platform.ts';
import { budgetFromSettings, type PlatformBudget } from '../publish/x/budget.ts';
import { syncAccounts } from '../store/accounts.ts';
import {
  loadReplaceablePost,
  replaceablePosts,
  replaceQueuedText,
  storeBatchRepository,
  storeCostLedger,
} from '../store/costs.ts';
import { credentialStates } from '../store/credential-state.ts';
import { eventWithFacts } from '../store/events.ts';
import { recordLimit } from '../store/limits.ts';
import { storeOutboxSink } from '../store/outbox.ts';
import { recentTexts, takeBackLeasesOfDeadWorkers } from '../store/posts.ts';
import type { KeyRing } from '../store/secrets.ts';
import { openStore, type Store } from '../store/store.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import { createDeterministicWriter } from '../write/deterministic.ts';
import { createDraftApplier } from '../write/llm/applier.ts';
import type { DraftApplier } from '../write/llm/batch-queue.ts';
import type { LlmStack } from '../write/llm/stack.ts';
import type { AppConfig } from './config.ts';
import { UserInputError } from './errors.ts';
import { createEngagementMetrics } from './metrics.ts';

/** The engine's parts, wired from a configuration. */
export interface Engine {
  config: AppConfig;
  store: Store;
  clock: Clock;
  ingestor: Ingestor;
  /** States of the publishing circuit breakers of this process (per platform and per account). */
  breakerStates(): { name: string; state: 'closed' | 'half_open' | 'open' }[];
  /** The LLM writers, when the configuration has an `llm` section; `batch.tick()` drives the batch APIs. */
  llm?: LlmStack;
  publisher: Publisher;
  /**
   * Reads engagement of published posts (src/feedback). Nothing runs until
   * `engagement.start()`; `wirereport start` starts it and stops it on shutdown.
   */
  engagement: EngagementCollector;
  close(): Promise<void>;
}

export interface EngineOptions {
  config: AppConfig;
  clock: Clock;
  /** PostgreSQL URL; default: the embedded store in `config.dataDir`. */
  databaseUrl?: string;
  /** Registry for the LLM metrics. Default: a new one. */
  registry?: Registry;
  /**
   * Plan template drafts on a thread of their own (`IngestDeps.planOnThread`).
   * Default: true (LLM writers always plan in this thread).
   */
  planOnThread?: boolean;
  /** An already opened store (tests). */
  store?: Store;
  /** Name of this worker in leases. Default: host:pid. */
  worker?: string;
  /**
   * The data keys for secrets at rest (read at every use: a rotation swaps
   * them). With them, X's rotated OAuth 2.0 tokens and Bluesky sessions are
   * kept encrypted in the store across restarts (`store/credential-state.ts`).
   * Default: none (kept in memory only).
   */
  keyRing?: () => KeyRing | undefined;
  hooks?: {
    /** A stored credential state could not be read or saved (the name of the secret and why; never a value). */
    onCredentialStateProblem?: (name: string, error: Error) => void;
    onPost?: ConstructorParameters<typeof Ingestor>[0]['onPost'];
    onPublished?: ConstructorParameters<typeof Publisher>[0]['onPublished'];
    onPublishError?: ConstructorParameters<typeof Publisher>[0]['onError'];
  };
}

/**
 * Chooses the adapter of each account. Accounts without credentials publish
 * to the outbox. Accounts with credentials get their platform's adapter
 * (`src/publish/factory.ts` lists the fields each platform takes), wrapped in
 * circuit breakers per platform and per account; rate limits the platforms
 * report are stored (so every worker respects them). X credentials may carry
 * a budget in `settings` (`budgetPostsPerDay`, `budgetUsdPerDay`,
 * `budgetPostsPerMonth`, `budgetUsdPerMonth`, `budgetReserveShare`).
 * Adapters are built once, at start: a credentials problem stops the start,
 * naming the entry.
 */
async function adapters(
  config: AppConfig,
  outbox: PlatformAdapter,
  store: Store,
  clock: Clock,
  credentialStateFor?: ReturnType<typeof credentialStates>,
): Promise<{
  adapterFor: (account: Account) => PlatformAdapter;
  budgetFor: (account: Account) => PlatformBudget | null;
  breakers: PublishBreakers;
  /** The account's adapter without publishing's breakers (engagement reads have their own). */
  readerFor: (account: Account) => PlatformAdapter | undefined;
}> {
  const breakers = new PublishBreakers({ now: () => clock.now() });
  const built = new Map<string, PlatformAdapter>();
  const raw = new Map<string, PlatformAdapter>();
  const budgets = new Map<string, PlatformBudget | null>();
  // The platforms' SDKs are loaded only when some account publishes to one
  // (an outbox-only engine, the demo's, never pays their memory).
  const { createPlatformAdapter } = config.accounts.some((a) => a.credentials !== undefined)
    ? await import('../publish/factory.ts')
    : { createPlatformAdapter: undefined };
  for (const account of config.accounts) {
    if (account.credentials === undefined) continue;
    const credentials = config.credentials.get(account.credentials);
    if (!credentials) {
      throw new UserInputError(
        `${config.file}: accounts.${account.id}.credentials: no entry "${account.credentials}"`,
      );
    }
    try {
      const credentialState = credentialStateFor?.(credentials.platform, credentials.name);
      const adapter = createPlatformAdapter!(account, credentials, {
        ...(credentialState ? { credentialState } : {}),
        now: () => clock.now(),
        onRateLimit: (o) => {
          // Best effort: a lost observation costs at most one 429, which the publisher records itself.
          recordLimit(store.db, { ...o, accountId: account.id }, new Date(clock.now())).catch(() => {});
        },
      });
      built.set(account.id, breakers.wrap(adapter, account.id));
      raw.set(account.id, adapter);
      budgets.set(
        account.id,
        credentials.platform === 'x'
          ? budgetFromSettings(credentials.settings, `credentials.${credentials.name}`)
          : null,
      );
    } catch (error) {
      throw new UserInputError(`${config.file}: accounts.${account.id}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return {
    breakers,
    adapterFor: (account) => built.get(account.id) ?? outbox,
    budgetFor: (account) => budgets.get(account.id) ?? null,
    readerFor: (account) => raw.get(account.id),
  };
}

/**
 * The draft applier over the store: a batch result replaces the template text
 * of a still-queued post only when the new text verifies (against the
 * account's recent texts and avoided words).
 */
export function storeDraftApplier(config: AppConfig, store: Store, now: () => number): DraftApplier {
  const accounts = new Map(config.accounts.map((a) => [a.id, a]));
  return createDraftApplier({
    replaceable: (ids) => replaceablePosts(store.db, ids),
    load: (id) => loadReplaceablePost(store.db, id),
    recentTexts: (accountId) => recentTexts(store.db, accountId, 50),
    avoidWords: (accountId) => config.voices.get(accounts.get(accountId)?.voiceId ?? '')?.avoidWords ?? [],
    verify: verifyDraft,
    replace: (id, draft, reason, at) => replaceQueuedText(store.db, id, draft, reason, at),
    now,
  });
}

/**
 * The LLM stack as the engine runs it: the store's cost ledger and batch
 * repository, and a draft applier that swaps a batch result in for the
 * template text of a still-queued post only when the new text verifies.
 */
async function wireLlm(config: AppConfig, store: Store, clock: Clock, registry: Registry): Promise<LlmStack> {
  // The providers' SDKs are loaded only when an LLM is configured.
  const [{ createLlmStack }, { createVerdictReviewer }] = await Promise.all([
    import('../write/llm/stack.ts'),
    import('../verify/llm/verdict-review.ts'),
  ]);
  const llm = config.llm!;
  const now = () => clock.now();
  const applier = storeDraftApplier(config, store, now);
  return createLlmStack(llm, {
    ledger: storeCostLedger(store.db),
    registry,
    now,
    batches: { repo: storeBatchRepository(store.db), applier },
    // llm.verify: the LLM pass after the deterministic verifier (src/verify/llm/).
    reviewer: (caller, verify) => createVerdictReviewer(caller, { allowWithdraw: verify.allowWithdraw }),
  });
}

/**
 * Score cards for finals: rendered once per event from the facts the post was
 * written from, attached where the platform takes images, with alt text.
 * Without the card fonts the posts go out without a card.
 */
export function scoreCards(store: Store): PublisherDeps['imagesFor'] {
  const cards = new Map<string, Promise<ImageAttachment[]>>();
  let fonts: CardFonts | null | undefined;
  return async (post) => {
    let card = cards.get(post.eventId);
    if (!card) {
      card = (async () => {
        const event = await eventWithFacts(store.db, post.eventId);
        if (event?.kind !== 'final' || !event.facts) return [];
        // The renderer (satori, resvg) is loaded with the first final that gets a card.
        const { loadCardFonts, renderScoreCard } = await import('../publish/card/score-card.ts');
        if (fonts === undefined) {
          try {
            fonts = loadCardFonts();
          } catch {
            fonts = null;
          }
        }
        if (!fonts) return [];
        return [await renderScoreCard(event.facts, fonts)];
      })();
      cards.set(post.eventId, card);
      if (cards.size > 64) cards.delete(cards.keys().next().value!);
    }
    return card;
  };
}

/** Whether a lease owner ("host:pid") is a process of this host that no longer runs. */
function deadLocalWorker(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { config, clock } = options;
  const store =
    options.store ??
    (await openStore(
      options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: config.dataDir },
    ));
  try {
    await syncAccounts(store.db, config.accounts, new Date(clock.now()));
    const experiments = await registerExperiments(store.db, config.experiments, new Date(clock.now()));
    const outbox = createOutboxPlatform(storeOutboxSink(store.db), () => clock.now());
    const { adapterFor, budgetFor, breakers, readerFor } = await adapters(
      config,
      outbox,
      store,
      clock,
      credentialStates(
        store.db,
        options.keyRing,
        () => new Date(clock.now()),
        options.hooks?.onCredentialStateProblem,
      ),
    );
    const registry = options.registry ?? new Registry();
    const llm = config.llm ? await wireLlm(config, store, clock, registry) : undefined;
    const ingestor = new Ingestor({
      store,
      accounts: config.accounts,
      voices: config.voices,
      writer: llm?.writer ?? createDeterministicWriter(),
      // The template writer needs nothing but the event: its drafts are planned on a second core.
      planOnThread: !llm && options.planOnThread !== false,
      clock,
      experiments,
      ...(options.hooks?.onPost ? { onPost: options.hooks.onPost } : {}),
    });
    await ingestor.start();
    const publisher = new Publisher({
      store,
      accounts: config.accounts,
      adapterFor,
      budgetFor,
      clock,
      worker: options.worker ?? `${hostname()}:${process.pid}`,
      leaseMs: config.publishLeaseSeconds * 1000,
      ...(options.hooks?.onPublished ? { onPublished: options.hooks.onPublished } : {}),
      ...(options.hooks?.onPublishError ? { onError: options.hooks.onPublishError } : {}),
      imagesFor: scoreCards(store),
    });
    // On the embedded store the data lock proves no other process is publishing:
    // whatever was publishing belonged to a process that died. Take it back now.
    if (store.kind === 'pglite') await publisher.sweep({ everything: true });
    // On PostgreSQL other workers may be alive; only a worker of this host whose
    // process no longer runs is certainly dead, and its posts are taken back now.
    else await takeBackLeasesOfDeadWorkers(store.db, deadLocalWorker, new Date(clock.now()));
    await publisher.reconcile();
    const engagementMetrics = createEngagementMetrics(registry, store.db, () => new Date(clock.now()));
    const engagement = new EngagementCollector({
      db: store.db,
      accounts: config.accounts,
      readerFor,
      clock,
      worker: options.worker ?? `${hostname()}:${process.pid}`,
      publishingBroken: (platform, accountId) => {
        const state = breakers.state(platform as Account['platform'], accountId);
        return state.platform === CircuitState.Open || state.account === CircuitState.Open;
      },
      onPoll: engagementMetrics.recordPoll,
    });
    return {
      config,
      store,
      clock,
      ingestor,
      publisher,
      engagement,
      ...(llm ? { llm } : {}),
      breakerStates: () => breakers.states(),
      close: async () => {
        await engagement.stop();
        await ingestor.close();
        if (!options.store) await store.close();
      },
    };
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
}
