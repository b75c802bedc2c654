import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { newId, verifyPassword } from '../app/crypto.ts';
import { audit } from '../store/audit.ts';
import type { DB } from '../store/schema.ts';
import { deleteSession, findUserForLogin, insertSession } from '../store/users.ts';
import { actorOf, CSRF_COOKIE, SESSION_COOKIE } from './auth.ts';
import { route } from './route.ts';
import {
  AuditQuery,
  DeliveriesQuery,
  LoginBody,
  NameParams,
  ObjectParams,
  RotateBody,
  SecretBody,
  SecretParams,
  TokenBody,
  UserBody,
  WebhookBody,
} from './schemas.ts';
import type { Services } from './services.ts';

export interface AdminRouteOptions {
  db: Kysely<DB>;
  now: () => Date;
  /** Session lifetime. Default: 12 h. */
  sessionMs?: number;
  /** Mark cookies Secure (behind HTTPS). Default: false. */
  secureCookies?: boolean;
}

/** A hash of a random password, checked when a login names no user, so both paths take as long. */
let decoy: Promise<string> | undefined;

/** Sessions (login), tokens, users, webhooks, secrets, audit. */
export function adminRoutes(app: FastifyInstance, services: Services, options: AdminRouteOptions): void {
  const { db, now } = options;
  const sessionMs = options.sessionMs ?? 12 * 3_600_000;

  route(app, {
    method: 'POST',
    url: '/api/session',
    permission: 'public',
    tags: ['session'],
    summary:
      'Log in: sets a signed session cookie; returns the CSRF token mutating calls must echo in x-csrf-token',
    body: LoginBody,
    handler: async ({ body, reply }) => {
      const user = await findUserForLogin(db, body.name);
      decoy ??= import('../app/crypto.ts').then((c) => c.hashPassword(newId('decoy')));
      // Unknown users still pay for a hash, so timing does not reveal which names exist.
      let ok = false;
      if (user) ok = await verifyPassword(body.password, user.passwordHash);
      else await verifyPassword(body.password, await decoy);
      if (!user || !ok) {
        await audit(
          db,
          { actor: `user:${body.name}`, action: 'session.login', target: null, outcome: 'denied' },
          now(),
        );
        return reply.code(401).send({ error: 'wrong name or password' });
      }
      const sessionId = newId('ses');
      const csrfToken = newId('csrf');
      await insertSession(
        db,
        { id: sessionId, userId: user.id, csrfToken, expiresAt: new Date(now().getTime() + sessionMs) },
        now(),
      );
      await audit(
        db,
        { actor: `user:${user.name}`, action: 'session.login', target: user.id, outcome: 'ok' },
        now(),
      );
      const cookie = {
        path: '/',
        sameSite: 'strict' as const,
        secure: options.secureCookies ?? false,
        maxAge: sessionMs / 1000,
      };
      reply.setCookie(SESSION_COOKIE, sessionId, { ...cookie, httpOnly: true, signed: true });
      reply.setCookie(CSRF_COOKIE, csrfToken, { ...cookie, httpOnly: false });
      return { user: { id: user.id, name: user.name, role: user.role }, csrfToken };
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/session',
    permission: 'read',
    tags: ['session'],
    summary: 'Who is calling (token or session), with the CSRF token of a session',
    handler: async ({ principal }) => ({
      kind: principal!.kind,
      id: principal!.id,
      name: principal!.name,
      role: principal!.role,
      ...(principal!.csrfToken ? { csrfToken: principal!.csrfToken } : {}),
    }),
  });

  route(app, {
    method: 'DELETE',
    url: '/api/session',
    permission: 'read',
    tags: ['session'],
    summary: 'Log out (ends the session)',
    handler: async ({ principal, reply }) => {
      if (principal?.sessionId) await deleteSession(db, principal.sessionId);
      await audit(
        db,
        { actor: actorOf(principal), action: 'session.logout', target: principal?.id ?? null, outcome: 'ok' },
        now(),
      );
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true };
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/tokens',
    permission: 'admin',
    tags: ['access'],
    summary: 'API tokens (never their values)',
    handler: async () => ({ tokens: await services.listTokens() }),
  });
  route(app, {
    method: 'POST',
    url: '/api/tokens',
    permission: 'admin',
    tags: ['access'],
    summary: 'Create an API token; the token is in this response only',
    sensitive: true,
    body: TokenBody,
    status: 201,
    handler: ({ body, principal }) => services.createToken(actorOf(principal), body.name, body.role),
  });
  route(app, {
    method: 'DELETE',
    url: '/api/tokens/:id',
    permission: 'admin',
    tags: ['access'],
    summary: 'Revoke an API token',
    params: ObjectParams,
    handler: ({ params, principal }) => services.revokeToken(actorOf(principal), params.id),
  });

  route(app, {
    method: 'GET',
    url: '/api/users',
    permission: 'admin',
    tags: ['access'],
    summary: 'Dashboard users',
    handler: async () => ({ users: await services.listUsers() }),
  });
  route(app, {
    method: 'POST',
    url: '/api/users',
    permission: 'admin',
    tags: ['access'],
    summary: 'Create a dashboard user (password at least 12 characters, stored with scrypt)',
    body: UserBody,
    status: 201,
    handler: ({ body, principal }) =>
      services.createUser(actorOf(principal), body.name, body.role, body.password),
  });
  route(app, {
    method: 'DELETE',
    url: '/api/users/:name',
    permission: 'admin',
    tags: ['access'],
    summary: 'Disable a user and end their sessions',
    params: NameParams,
    handler: ({ params, principal }) => services.disableUser(actorOf(principal), params.name),
  });

  route(app, {
    method: 'GET',
    url: '/api/webhooks',
    permission: 'admin',
    tags: ['webhooks'],
    summary: 'Webhook endpoints',
    handler: async () => ({ endpoints: await services.listWebhooks() }),
  });
  route(app, {
    method: 'POST',
    url: '/api/webhooks',
    permission: 'admin',
    tags: ['webhooks'],
    summary: 'Add a webhook endpoint; its signing secret is in this response only',
    sensitive: true,
    body: WebhookBody,
    status: 201,
    handler: ({ body, principal }) => services.createWebhook(actorOf(principal), body.url, body.events),
  });
  route(app, {
    method: 'DELETE',
    url: '/api/webhooks/:id',
    permission: 'admin',
    tags: ['webhooks'],
    summary: 'Disable a webhook endpoint',
    params: ObjectParams,
    handler: ({ params, principal }) => services.disableWebhook(actorOf(principal), params.id),
  });
  route(app, {
    method: 'GET',
    url: '/api/webhooks/deliveries',
    permission: 'admin',
    tags: ['webhooks'],
    summary: 'Webhook deliveries, newest first',
    query: DeliveriesQuery,
    handler: async ({ query }) => ({
      deliveries: await services.listDeliveries({
        limit: query.limit,
        ...(query.endpoint ? { endpointId: query.endpoint } : {}),
      }),
    }),
  });

  route(app, {
    method: 'GET',
    url: '/api/secrets',
    permission: 'admin',
    tags: ['secrets'],
    summary: 'Secret names and the key each is sealed under (never values)',
    handler: async () => ({ secrets: await services.listSecrets() }),
  });
  route(app, {
    method: 'PUT',
    url: '/api/secrets/:name',
    permission: 'admin',
    tags: ['secrets'],
    summary: 'Store a secret, encrypted with AES-256-GCM',
    params: SecretParams,
    body: SecretBody,
    handler: ({ params, body, principal }) => services.putSecret(actorOf(principal), params.name, body.value),
  });
  route(app, {
    method: 'DELETE',
    url: '/api/secrets/:name',
    permission: 'admin',
    tags: ['secrets'],
    summary: 'Delete a secret',
    params: SecretParams,
    handler: ({ params, principal }) => services.deleteSecret(actorOf(principal), params.name),
  });
  route(app, {
    method: 'POST',
    url: '/api/secrets/rotate-key',
    permission: 'admin',
    tags: ['secrets'],
    summary:
      'Re-encrypt every secret under a new data key (given, or made); set it as WIREREPORT_SECRET_KEY before the next start',
    body: RotateBody,
    sensitive: true,
    handler: ({ body, principal }) => services.rotateKey(actorOf(principal), body.key),
  });

  route(app, {
    method: 'GET',
    url: '/api/audit',
    permission: 'admin',
    tags: ['access'],
    summary: 'The audit trail, newest first',
    query: AuditQuery,
    handler: async ({ query }) => ({
      entries: await services.listAudit({
        limit: query.limit,
        ...(query.before ? { beforeId: query.before } : {}),
        ...(query.target ? { target: query.target } : {}),
      }),
    }),
  });
}
