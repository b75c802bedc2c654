import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listOutbox } from '../store/outbox.ts';
import { countByStatus } from '../store/posts.ts';
import type { Store } from '../store/store.ts';
import { DASHBOARD_HTML } from './dashboard.ts';

export interface ServerDeps {
  store: Store;
  /** Whether the engine is ready to take work (store open, loops running). */
  ready: () => boolean;
  logger?: boolean | object;
}

const OutboxQuery = z.strictObject({
  account: z.string().max(100).optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * The engine's HTTP face: health, readiness, what was published, and the
 * dashboard page. Every input is parsed with zod; bad input is a 400 naming
 * the field.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_req, reply) => {
    if (!deps.ready()) return reply.code(503).send({ ok: false, reason: 'starting' });
    try {
      await countByStatus(deps.store.db);
      return { ok: true, store: deps.store.kind };
    } catch (error) {
      return reply.code(503).send({ ok: false, reason: `store: ${(error as Error).message}` });
    }
  });

  app.get('/api/outbox', async (req, reply) => {
    const parsed = OutboxQuery.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({ error: `query.${issue.path.join('.')}: ${issue.message}` });
    }
    const q = parsed.data;
    const messages = await listOutbox(deps.store.db, {
      limit: q.limit,
      ...(q.account ? { accountId: q.account } : {}),
      ...(q.after !== undefined ? { afterId: q.after } : {}),
    });
    return { messages };
  });

  app.get('/api/posts/counts', async () => ({ counts: await countByStatus(deps.store.db) }));

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(DASHBOARD_HTML));

  return app;
}
