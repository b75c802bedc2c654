import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { deriveKey, sha256Hex } from '../app/crypto.ts';
import type { Metrics } from '../app/metrics.ts';
import type { Account } from '../domain/account.ts';
import type { Voice } from '../domain/voice.ts';
import { audit } from '../store/audit.ts';
import { claimIdempotencyKey, completeIdempotency, releaseIdempotency } from '../store/idempotency.ts';
import { listOutbox } from '../store/outbox.ts';
import { countByStatus } from '../store/posts.ts';
import { SERIALIZED } from '../store/queries.ts';
import type { Store } from '../store/store.ts';
import {
  actorOf,
  authenticate,
  csrfRefusal,
  isMutating,
  PERMISSIONS,
  type Permission,
  type Principal,
  refuse,
  TokenCache,
} from './auth.ts';
import { dashboardRoutes } from './dashboard.ts';
import type { ServerKeys } from './keys.ts';
import type { LiveBus } from './live-bus.ts';
import { zodValidatorCompiler } from './route.ts';
import { adminRoutes } from './routes-admin.ts';
import { experimentRoutes } from './routes-experiments.ts';
import { liveRoutes } from './routes-live.ts';
import { postRoutes } from './routes-posts.ts';
import {
  createServices,
  SERVICE_ERROR_KINDS,
  ServiceError,
  type Services,
  type WebhookEvent,
} from './services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    idempotency: { principal: string; key: string } | null;
  }
  interface FastifyContextConfig {
    permission?: Permission;
    /** The reply holds a secret shown once (a new token): an idempotent replay does not repeat it. */
    sensitive?: boolean;
  }
}

export interface ServerDeps {
  store: Store;
  /** Whether the engine is ready to take work (store open, loops running). */
  ready: () => boolean;
  /** A pino logger (redacting secrets), `true` for Fastify's own, false for none. Default: false. */
  logger?: boolean | Logger;
  /** The configured accounts, voices and sources. Default: none. */
  accounts?: readonly Account[];
  voices?: ReadonlyMap<string, Voice>;
  sources?: readonly { id: string; kind: string; league: string; enabled: boolean }[];
  /** Server keys (token pepper, secret data keys). Default: a random pepper for this process, no data key. */
  keys?: ServerKeys;
  /** The engine's clock. Default: the system clock. */
  now?: () => Date;
  /** Prometheus metrics; without them /metrics is 404. */
  metrics?: Metrics;
  /** Where webhook events go (the dispatcher's emit). Default: nowhere. */
  emit?: (event: WebhookEvent) => Promise<void> | void;
  /** Requests per minute per token or session (per address when anonymous). Default: 1200 (600 anonymous). */
  rateLimitPerMinute?: number;
  /** Serve /metrics without a token (for a scraper on a private network). Default: false. */
  publicMetrics?: boolean;
  /** Secure cookies (serve behind HTTPS). Default: false. */
  secureCookies?: boolean;
  /** How long a token lookup is reused, in ms; 0 turns the cache off. Default: 2000. */
  tokenCacheMs?: number;
  /** The live event bus behind GET /api/live/stream; without it the stream is 404. */
  live?: LiveBus;
  /** The dashboard build folder. Default: web/dist. */
  dashboardDir?: string;
}

const OutboxQuery = z.strictObject({
  account: z.string().max(100).optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'expected 1-200 visible ASCII characters');

/** The permission a route needs: its own, else `read` under /api/ (deny by default), else public. */
function permissionOf(req: FastifyRequest): Permission {
  const declared = req.routeOptions.config?.permission;
  if (declared) return declared;
  return req.url.startsWith('/api/') ? 'read' : 'public';
}

/**
 * The engine's HTTP face: health and readiness, the operators' REST API
 * (documented at /docs), Prometheus metrics, the outbox feed and the
 * dashboard page.
 *
 * Every request part is parsed with zod (bad input: 400 naming the field).
 * Authentication: `Authorization: Bearer <token>` or a session cookie from
 * POST /api/session; roles admin > operator > viewer, and worker (reads and
 * metrics). Cookie sessions must echo their CSRF token on mutating calls.
 * Mutating calls honour `Idempotency-Key` (same key and body: the stored
 * reply; another body: 409), are rate limited per caller and audited.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const now = deps.now ?? (() => new Date());
  const keys: ServerKeys = deps.keys ?? { pepper: randomBytes(32) };
  const db = deps.store.db;
  const services: Services = createServices({
    db,
    keys,
    accounts: deps.accounts ?? [],
    voices: deps.voices ?? new Map(),
    sources: deps.sources ?? [],
    now,
    ...(deps.emit ? { emit: deps.emit } : {}),
  });
  const logger = deps.logger ?? false;
  const app: FastifyInstance = Fastify({
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger as FastifyBaseLogger }),
    bodyLimit: 256 * 1024,
    trustProxy: false,
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Read models that carry their JSON text already (the post list) are sent as that text.
  app.setSerializerCompiler(() => (data) => {
    const text = (data as { [SERIALIZED]?: unknown } | null)?.[SERIALIZED];
    return typeof text === 'string' ? text : JSON.stringify(data);
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('idempotency', null);

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (error instanceof ServiceError) {
      return reply
        .code(SERVICE_ERROR_KINDS[error.kind])
        .send({ error: error.message, ...(error.details ?? {}) });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'internal error' });
    }
    return reply.code(status).send({ error: error.message });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );

  // Security headers on every reply; API replies are never cached.
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Token lookups are cached for a moment (default 2 s): two queries less per
  // request. A revocation through this server clears the cache at once; one
  // made by another process takes effect within the TTL.
  const tokenCache = new TokenCache(deps.tokenCacheMs ?? 2000);
  app.addHook('onResponse', async (req) => {
    if (req.method === 'DELETE' && req.routeOptions.url === '/api/tokens/:id') tokenCache.clear();
  });

  const sessionKey = deriveKey(keys.pepper, 'session-cookie');
  app.register(cookie, { secret: sessionKey.toString('base64'), hook: 'onRequest' });

  // Who is calling, and may they? Runs before body parsing, so refusals never read a body.
  app.addHook('onRequest', async (req, reply) => {
    const permission = permissionOf(req);
    if (permission === 'public' && !req.url.startsWith('/api/session')) return;
    if (permission === 'metrics' && deps.publicMetrics) return;
    req.principal = await authenticate(req, db, keys.pepper, now(), tokenCache);
    if (permission === 'public') return;
    if (!req.principal)
      return refuse(reply, 401, 'authentication required: Authorization: Bearer <token> or a session');
    const allowed = PERMISSIONS[permission] as readonly string[];
    if (!allowed.includes(req.principal.role))
      return refuse(reply, 403, `role ${req.principal.role} may not do this (needs ${allowed.join(' or ')})`);
    const csrf = csrfRefusal(req, req.principal);
    if (csrf) return refuse(reply, 403, csrf);
  });

  app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    max: (req) =>
      req.principal ? (deps.rateLimitPerMinute ?? 1200) : Math.ceil((deps.rateLimitPerMinute ?? 1200) / 2),
    keyGenerator: (req) => (req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      error: `rate limited: ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  // Idempotency: after validation (the body is parsed), before the handler.
  app.addHook('preHandler', async (req, reply) => {
    if (!isMutating(req.method) || !req.principal) return;
    const header = req.headers['idempotency-key'];
    if (header === undefined) return;
    const parsed = IdempotencyKey.safeParse(header);
    if (!parsed.success)
      return reply.code(400).send({ error: `header.idempotency-key: ${parsed.error.issues[0]!.message}` });
    const principal = `${req.principal.kind}:${req.principal.id}`;
    const claim = await claimIdempotencyKey(
      db,
      {
        principal,
        key: parsed.data,
        method: req.method,
        path: req.url,
        bodyHash: sha256Hex(JSON.stringify(req.body ?? null)),
      },
      now(),
    );
    switch (claim.kind) {
      case 'new':
        req.idempotency = { principal, key: parsed.data };
        return;
      case 'replay':
        reply.header('idempotent-replayed', 'true');
        return reply.code(claim.statusCode).send(claim.response);
      case 'mismatch':
        return reply.code(409).send({ error: 'Idempotency-Key was used for a different request' });
      case 'in_progress':
        return reply.code(409).send({ error: 'a request with this Idempotency-Key is still in progress' });
      default: {
        const never: never = claim;
        throw new Error(`unknown claim ${JSON.stringify(never)}`);
      }
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = null;
    if (reply.statusCode >= 500 || reply.statusCode === 429) {
      // Not an answer to the request: the client may try again with the same key.
      await releaseIdempotency(db, idem.principal, idem.key);
    } else {
      let body: unknown = null;
      try {
        body = typeof payload === 'string' ? JSON.parse(payload) : null;
      } catch {
        body = null;
      }
      // A secret shown once is never kept: a replay says so instead of repeating it.
      if (req.routeOptions.config?.sensitive && reply.statusCode < 300)
        body = { secretWithheld: true, note: 'the first reply to this key held a secret shown only once' };
      await completeIdempotency(db, idem.principal, idem.key, reply.statusCode, body);
    }
    return payload;
  });

  // Refused or failed mutating calls are audited here; successful ones by the services.
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? req.url.split('?')[0] ?? '';
    deps.metrics?.recordHttp(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    if (!isMutating(req.method) || reply.statusCode < 400 || route === '/api/session') return;
    const params = (req.params ?? {}) as Record<string, string>;
    try {
      await audit(
        db,
        {
          actor: actorOf(req.principal),
          action: `http.${req.method} ${route}`,
          target: params.id ?? params.name ?? params.platform ?? null,
          outcome: `error:${reply.statusCode}`,
        },
        now(),
      );
    } catch (error) {
      req.log.error({ err: error }, 'audit write failed');
    }
  });

  app.register(swagger, {
    openapi: {
      info: {
        title: 'Wire Report operators API',
        version: '1.0.0',
        description:
          'Operate the newsroom: posts and their lifecycle, accounts, budgets, access, webhooks and secrets. Mutating calls accept an Idempotency-Key header.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'wr_session' },
        },
      },
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs' });

  app.register(async (api) => {
    api.get('/healthz', { config: { permission: 'public', rateLimit: false } }, async () => ({ ok: true }));

    api.get('/readyz', { config: { permission: 'public', rateLimit: false } }, async (_req, reply) => {
      if (!deps.ready()) return reply.code(503).send({ ok: false, reason: 'starting' });
      try {
        await countByStatus(db);
        return { ok: true, store: deps.store.kind };
      } catch (error) {
        return reply.code(503).send({ ok: false, reason: `store: ${(error as Error).message}` });
      }
    });

    if (deps.metrics) {
      const registry = deps.metrics.registry;
      api.get('/metrics', { config: { permission: 'metrics', rateLimit: false } }, async (_req, reply) =>
        reply.type(registry.contentType).send(await registry.metrics()),
      );
    }

    // The outbox feed and counts stay public: they show what was published
    // (public anyway) and the placeholder dashboard reads them without a login.
    api.get('/api/outbox', { config: { permission: 'public' } }, async (req, reply) => {
      const parsed = OutboxQuery.safeParse(req.query);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return reply.code(400).send({ error: `query.${issue.path.join('.')}: ${issue.message}` });
      }
      const q = parsed.data;
      const messages = await listOutbox(db, {
        limit: q.limit,
        ...(q.account ? { accountId: q.account } : {}),
        ...(q.after !== undefined ? { afterId: q.after } : {}),
      });
      return { messages };
    });

    api.get('/api/posts/counts', { config: { permission: 'public' } }, async () => ({
      counts: await countByStatus(db),
    }));

    dashboardRoutes(api, deps.dashboardDir ? { dir: deps.dashboardDir } : {});
    if (deps.live) liveRoutes(api, { bus: deps.live });

    postRoutes(api, services);
    experimentRoutes(api, { db, now });
    adminRoutes(api, services, { db, now, ...(deps.secureCookies ? { secureCookies: true } : {}) });
  });

  return app;
}
