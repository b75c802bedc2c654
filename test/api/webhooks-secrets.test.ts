import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerKeys } from '../../src/api/keys.ts';
import { createServices, postEvent } from '../../src/api/services.ts';
import { WebhookDispatcher } from '../../src/api/webhooks.ts';
import { parseDataKey, verifyWebhookSignature } from '../../src/app/crypto.ts';
import { getSecret, UnknownKeyError } from '../../src/store/secrets.ts';
import type { Store } from '../../src/store/store.ts';
import { listDeliveries } from '../../src/store/webhooks.ts';
import { openTestStore } from '../support/store.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('webhooks and secrets', () => {
  let store: Store;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let failNext = 0;
  const keyA = randomBytes(32).toString('base64');
  const keys = resolveServerKeys({ WIREREPORT_SECRET_KEY: keyA }, 'memory');
  let clock = Date.parse('2025-05-31T12:00:00Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    store = await openTestStore();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end('busy');
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

  it('signs deliveries that a receiver verifies, retries a 503 and records each delivery', async () => {
    const services = createServices({
      db: store.db,
      keys,
      accounts: [],
      voices: new Map(),
      sources: [],
      now,
    });
    const { endpoint, secret } = await services.createWebhook('test', url, ['post.published', 'post.failed']);
    expect(secret).toMatch(/^whsec_/);
    const dispatcher = new WebhookDispatcher({ db: store.db, ring: keys.ring!, now, backoffMs: () => 5_000 });
    const published = postEvent(
      'post.published',
      { id: 'p_1', accountId: 'nba-desk', platformPostId: 'x1' },
      now(),
    );
    await dispatcher.emit(published);
    await dispatcher.emit(published); // the same event twice is one delivery
    await dispatcher.emit(postEvent('post.rejected', { id: 'p_2', accountId: 'nba-desk' }, now())); // not subscribed
    failNext = 1;
    expect(await dispatcher.deliverDue()).toBe(1);
    expect(received).toHaveLength(1);
    let [d] = await listDeliveries(store.db, { limit: 10 });
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, endpointId: endpoint.id });
    expect(await dispatcher.deliverDue()).toBe(0); // not due for 5 s
    clock += 5_000;
    expect(await dispatcher.deliverDue()).toBe(1);
    [d] = await listDeliveries(store.db, { limit: 10 });
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });

    const last = received.at(-1)!;
    const header = String(last.headers['x-wirereport-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(last.headers['x-wirereport-event']).toBe('post.published');
    expect(verifyWebhookSignature(secret, last.body, header, clock / 1000)).toBe(true);
    expect(verifyWebhookSignature(secret, last.body.replace('x1', 'x2'), header, clock / 1000)).toBe(false);
    expect(verifyWebhookSignature('whsec_wrong', last.body, header, clock / 1000)).toBe(false);
    expect(verifyWebhookSignature(secret, last.body, header, clock / 1000 + 3600)).toBe(false); // too old
    expect(JSON.parse(last.body)).toMatchObject({
      id: 'post.published:p_1',
      type: 'post.published',
      post: { id: 'p_1' },
    });
    // the secret is not stored in clear
    const raw = await sql<{ t: string }>`SELECT row_to_json(s)::text AS t FROM secrets s`.execute(store.db);
    for (const r of raw.rows) expect(r.t).not.toContain(secret);
  });

  it('gives up on a 4xx at once and after the last attempt on errors', async () => {
    const services = createServices({
      db: store.db,
      keys,
      accounts: [],
      voices: new Map(),
      sources: [],
      now,
    });
    await services.createWebhook('test', 'http://127.0.0.1:1/closed', ['post.failed']);
    const dispatcher = new WebhookDispatcher({
      db: store.db,
      ring: keys.ring!,
      now,
      maxAttempts: 2,
      backoffMs: () => 0,
      timeoutMs: 2000,
    });
    await dispatcher.emit(postEvent('post.failed', { id: 'p_3', accountId: 'a' }, now()));
    await dispatcher.deliverDue(); // to the open endpoint (delivered) and the closed one (retry)
    await dispatcher.deliverDue(); // closed one: second and last attempt
    const rows = await listDeliveries(store.db, { limit: 10 });
    const closed = rows.find((r) => r.eventId === 'post.failed:p_3' && r.status !== 'delivered')!;
    expect(closed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(closed.lastError).toMatch(/fetch failed|ECONNREFUSED|TypeError/);
  });

  it('rotating the key re-encrypts every secret: readable under the new key, not under the old one', async () => {
    const services = createServices({
      db: store.db,
      keys,
      accounts: [],
      voices: new Map(),
      sources: [],
      now,
    });
    await services.putSecret('test', 'credentials.x.apiKey', 'x-api-key-value');
    await services.putSecret('test', 'credentials.bluesky.password', 'app-password-1234');
    const before = await services.listSecrets();
    const oldId = parseDataKey(keyA).id;
    expect(before.every((s) => s.keyId === oldId)).toBe(true);
    // A dispatcher of this running process, reading the process's current ring (as `start` wires it).
    const dispatcher = new WebhookDispatcher({ db: store.db, ring: () => keys.ring, now });
    const rotated = await services.rotateKey('test');
    expect(rotated.reencrypted).toBe(before.length);
    // It still signs after the rotation, without a restart.
    const hook = (await services.listWebhooks()).find((w) => w.url === url)!;
    const deliveredBefore = received.length;
    await dispatcher.emit(postEvent('post.published', { id: 'p_after_rotation', accountId: 'a' }, now()));
    await dispatcher.deliverDue();
    expect(received.length).toBe(deliveredBefore + 1);
    const hookSecretName = `webhook:${hook.id}`;
    const signing = await getSecret(store.db, keys.ring!, hookSecretName);
    const last = received.at(-1)!;
    expect(
      verifyWebhookSignature(
        signing!,
        last.body,
        String(last.headers['x-wirereport-signature']),
        clock / 1000,
      ),
    ).toBe(true);
    const after = await services.listSecrets();
    expect(after.every((s) => s.keyId === rotated.keyId)).toBe(true);
    // a process started with only the new key reads everything
    const fresh = resolveServerKeys({ WIREREPORT_SECRET_KEY: rotated.key }, 'memory');
    expect(await getSecret(store.db, fresh.ring!, 'credentials.x.apiKey')).toBe('x-api-key-value');
    expect(await getSecret(store.db, fresh.ring!, 'credentials.bluesky.password')).toBe('app-password-1234');
    // the webhook secret moved too, so signing keeps working
    const hookSecret = await getSecret(
      store.db,
      fresh.ring!,
      (await services.listSecrets()).find((s) => s.name.startsWith('webhook:'))!.name,
    );
    expect(hookSecret).toMatch(/^whsec_/);
    // the old key alone no longer opens them
    const old = resolveServerKeys({ WIREREPORT_SECRET_KEY: keyA }, 'memory');
    await expect(getSecret(store.db, old.ring!, 'credentials.x.apiKey')).rejects.toThrow(UnknownKeyError);
    // tampering is detected
    await sql`UPDATE secrets SET ciphertext = 'AAAA' || substr(ciphertext, 5) WHERE name = 'credentials.x.apiKey'`.execute(
      store.db,
    );
    await expect(getSecret(store.db, fresh.ring!, 'credentials.x.apiKey')).rejects.toThrow();
  });
});
