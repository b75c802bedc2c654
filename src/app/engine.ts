import { hostname } from 'node:os';
import type { Account } from '../domain/account.ts';
import type { Clock } from '../pipeline/clock.ts';
import { Ingestor } from '../pipeline/ingest.ts';
import { Publisher } from '../pipeline/publisher.ts';
import { createOutboxPlatform } from '../publish/outbox/outbox.ts';
import type { PlatformAdapter } from '../publish/platform.ts';
import { syncAccounts } from '../store/accounts.ts';
import { storeOutboxSink } from '../store/outbox.ts';
import { openStore, type Store } from '../store/store.ts';
import { createDeterministicWriter } from '../write/deterministic.ts';
import type { AppConfig } from './config.ts';
import { UserInputError } from './errors.ts';

/** The engine's parts, wired from a configuration. */
export interface Engine {
  config: AppConfig;
  store: Store;
  clock: Clock;
  ingestor: Ingestor;
  publisher: Publisher;
  close(): Promise<void>;
}

export interface EngineOptions {
  config: AppConfig;
  clock: Clock;
  /** PostgreSQL URL; default: the embedded store in `config.dataDir`. */
  databaseUrl?: string;
  /** An already opened store (tests). */
  store?: Store;
  /** Name of this worker in leases. Default: host:pid. */
  worker?: string;
  hooks?: {
    onPost?: ConstructorParameters<typeof Ingestor>[0]['onPost'];
    onPublished?: ConstructorParameters<typeof Publisher>[0]['onPublished'];
    onPublishError?: ConstructorParameters<typeof Publisher>[0]['onError'];
  };
}

/**
 * Chooses the adapter of each account. Accounts without credentials publish
 * to the outbox. Real platform adapters are not part of this build yet, so an
 * account with credentials is refused at start rather than silently sent to
 * the outbox.
 */
function adapters(config: AppConfig, outbox: PlatformAdapter): (account: Account) => PlatformAdapter {
  for (const account of config.accounts) {
    if (account.credentials !== undefined) {
      throw new UserInputError(
        `${config.file}: accounts.${account.id}.credentials: publishing to ${account.platform} is not available in this version; remove "credentials" to publish to the outbox`,
      );
    }
  }
  return () => outbox;
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
    const outbox = createOutboxPlatform(storeOutboxSink(store.db), () => clock.now());
    const adapterFor = adapters(config, outbox);
    const ingestor = new Ingestor({
      store,
      accounts: config.accounts,
      voices: config.voices,
      writer: createDeterministicWriter(),
      clock,
      ...(options.hooks?.onPost ? { onPost: options.hooks.onPost } : {}),
    });
    const publisher = new Publisher({
      store,
      accounts: config.accounts,
      adapterFor,
      clock,
      worker: options.worker ?? `${hostname()}:${process.pid}`,
      leaseMs: config.publishLeaseSeconds * 1000,
      ...(options.hooks?.onPublished ? { onPublished: options.hooks.onPublished } : {}),
      ...(options.hooks?.onPublishError ? { onError: options.hooks.onPublishError } : {}),
    });
    // On the embedded store the data lock proves no other process is publishing:
    // whatever was publishing belonged to a process that died. Take it back now.
    if (store.kind === 'pglite') await publisher.sweep({ everything: true });
    return {
      config,
      store,
      clock,
      ingestor,
      publisher,
      close: () => (options.store ? Promise.resolve() : store.close()),
    };
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
}
