import type { Kysely } from 'kysely';
import {
  hashApiToken,
  hashPassword,
  newApiToken,
  newDataKeyBase64,
  newId,
  parseDataKey,
} from '../app/crypto.ts';
import type { Account } from '../domain/account.ts';
import type { GameEvent } from '../domain/event.ts';
import type { GameFacts } from '../domain/facts.ts';
import type { PostStatus } from '../domain/post.ts';
import type { Verdict } from '../domain/verdict.ts';
import type { Voice } from '../domain/voice.ts';
import { setAccountPaused } from '../store/accounts.ts';
import {
  ActionNotAllowedError,
  applyPostAction,
  editPostText,
  expireApprovals,
  type PostAction,
} from '../store/approvals.ts';
import { audit, listAudit } from '../store/audit.ts';
import { listParts } from '../store/parts.ts';
import { listPlatformPauses, pausePlatform, resumePlatform } from '../store/pauses.ts';
import { recentTexts, StaleTransitionError } from '../store/posts.ts';
import {
  BadCursorError,
  budgetUsage,
  costSummary,
  getEventWithFacts,
  getPostStory,
  listAccountStates,
  listEvents,
  listGames,
  listPosts,
  type PostFilter,
} from '../store/queries.ts';
import type { DB } from '../store/schema.ts';
import { deleteSecret, getSecret, listSecrets, putSecret, rotateSecrets } from '../store/secrets.ts';
import { insertToken, listTokens, type Role, revokeToken } from '../store/tokens.ts';
import { disableUser, insertUser, listUsers, UserExistsError, type UserRole } from '../store/users.ts';
import {
  disableEndpoint,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  type WebhookEventType,
} from '../store/webhooks.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import type { ServerKeys } from './keys.ts';
import { engagementServices, postEngagement, UnknownAccountError } from './services-engagement.ts';

/**
 * The operators' services: every action of the control room, shared by the
 * HTTP API and the CLI (which calls them directly when no server runs).
 * Each mutating service writes its audit entry; each post action goes
 * through the post lifecycle (compare-and-set transitions).
 */

/** Why a service refused, mapped to an HTTP status by the API and to a message by the CLI. */
export const SERVICE_ERROR_KINDS = {
  not_found: 404,
  conflict: 409,
  invalid: 422,
  unavailable: 503,
} as const;
export type ServiceErrorKind = keyof typeof SERVICE_ERROR_KINDS;

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly kind: ServiceErrorKind;
  readonly details: Record<string, unknown> | undefined;
  constructor(kind: ServiceErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}

/** An event for outbound webhooks; `id` is derived from content so a repeat is delivered once. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  payload: Record<string, unknown>;
}

export interface ServiceDeps {
  db: Kysely<DB>;
  keys: ServerKeys;
  /** The configured accounts (for re-verifying edits and review timeouts). */
  accounts: readonly Account[];
  voices: ReadonlyMap<string, Voice>;
  sources: readonly { id: string; kind: string; league: string; enabled: boolean }[];
  now: () => Date;
  /** Where webhook events go. Default: nowhere. */
  emit?: (event: WebhookEvent) => Promise<void> | void;
}

/** A post event for webhooks. */
export function postEvent(
  type: WebhookEventType,
  post: {
    id: string;
    accountId: string;
    text?: string;
    reason?: string;
    platformPostId?: string;
    url?: string;
  },
  at: Date,
): WebhookEvent {
  return {
    id: `${type}:${post.id}`,
    type,
    payload: { type, at: at.toISOString(), post },
  };
}

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: ServiceDeps) {
  const { db } = deps;
  const accounts = new Map(deps.accounts.map((a) => [a.id, a]));

  async function record(
    actor: string,
    action: string,
    target: string | null,
    detail?: Record<string, unknown>,
  ) {
    await audit(db, { actor, action, target, outcome: 'ok', ...(detail ? { detail } : {}) }, deps.now());
  }

  function needRing() {
    if (!deps.keys.ring)
      throw new ServiceError('unavailable', 'secrets need WIREREPORT_SECRET_KEY (base64 of 32 random bytes)');
    return deps.keys.ring;
  }

  async function emit(event: WebhookEvent): Promise<void> {
    await deps.emit?.(event);
  }

  const engagement = engagementServices(deps);

  return {
    // ---- reads -----------------------------------------------------------
    /** Posts of a page; published ones carry their latest engagement (null until read), from the store's one statement. */
    async listPosts(filter: PostFilter) {
      try {
        return await listPosts(db, filter);
      } catch (error) {
        if (error instanceof BadCursorError) throw new ServiceError('invalid', error.message);
        throw error;
      }
    },

    async getPost(id: string) {
      const story = await getPostStory(db, id);
      if (!story) throw new ServiceError('not_found', `post ${id}: not found`);
      // A thread's posts, lead (0) first, each with its verdict and platform id once out; [] when single.
      const thread = await listParts(db, id);
      return { ...story, engagement: await postEngagement(db, id), thread };
    },

    /** Engagement per account and per day of publishing (see services-engagement.ts). */
    async engagement(options: { accountId?: string; days: number }) {
      try {
        return await engagement.engagement(options);
      } catch (error) {
        if (error instanceof UnknownAccountError) throw new ServiceError('not_found', error.message);
        throw error;
      }
    },

    /** An account's best posting hours from its engagement (see services-engagement.ts). */
    async bestTimes(accountId: string, options: { days: number; minSamples: number }) {
      try {
        return await engagement.bestTimes(accountId, options);
      } catch (error) {
        if (error instanceof UnknownAccountError) throw new ServiceError('not_found', error.message);
        throw error;
      }
    },

    async listAccounts() {
      const states = await listAccountStates(db);
      const pauses = await listPlatformPauses(db);
      return { accounts: states, pausedPlatforms: pauses };
    },

    listVoices(): Voice[] {
      return [...deps.voices.values()];
    },

    listSources() {
      return deps.sources.map((s) => ({ id: s.id, kind: s.kind, league: s.league, enabled: s.enabled }));
    },

    listGames(options: { league?: string; limit: number }) {
      return listGames(db, options);
    },

    listEvents(options: { gameId?: string; league?: string; limit: number; before?: Date }) {
      return listEvents(db, options);
    },

    costs(options: { from: Date; to: Date; accountId?: string }) {
      return costSummary(db, options);
    },

    /** Today's (UTC) use of each account's budget: posts published and money spent against the limits. */
    async budgets() {
      const now = deps.now();
      const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const usage = await budgetUsage(db, since);
      return {
        since,
        accounts: deps.accounts.map((a) => {
          const u = usage.get(a.id) ?? { posts: 0, usdMicros: 0 };
          return {
            accountId: a.id,
            postsPublished: u.posts,
            postsPerDay: a.budget.postsPerDay,
            usdMicrosSpent: u.usdMicros,
            usdMicrosPerDay: a.budget.usdMicrosPerDay,
            overBudget: u.posts >= a.budget.postsPerDay || u.usdMicros >= a.budget.usdMicrosPerDay,
          };
        }),
      };
    },

    listAudit(options: { limit: number; beforeId?: number; target?: string }) {
      return listAudit(db, options);
    },

    // ---- post actions ---------------------------------------------------
    /**
     * approve, reject, cancel or retry a post. Rejections emit `post.rejected`.
     * Throws ServiceError not_found / conflict (wrong status or moved meanwhile).
     */
    async postAction(actor: string, postId: string, action: Exclude<PostAction, 'edit'>, note?: string) {
      const reason = `${action} by ${actor}${note ? `: ${note}` : ''}`;
      let status: PostStatus | null;
      try {
        status = await applyPostAction(db, postId, action, reason, deps.now());
      } catch (error) {
        if (error instanceof ActionNotAllowedError || error instanceof StaleTransitionError)
          throw new ServiceError('conflict', error.message);
        throw error;
      }
      if (status === null) throw new ServiceError('not_found', `post ${postId}: not found`);
      await record(actor, `post.${action}`, postId, { status, ...(note ? { note } : {}) });
      if (action === 'reject') {
        const story = await getPostStory(db, postId);
        await emit(
          postEvent(
            'post.rejected',
            { id: postId, accountId: story?.post.accountId ?? '', text: story?.post.text ?? '', reason },
            deps.now(),
          ),
        );
      }
      return { id: postId, status };
    },

    /**
     * Replaces a post's text after verifying it against the post's facts with
     * the verifier (facts, length, duplicates, placeholders, banned words).
     * A text that fails is refused (invalid, with the verdict) and nothing
     * changes.
     */
    async editPost(actor: string, postId: string, text: string) {
      const story = await getPostStory(db, postId);
      if (!story) throw new ServiceError('not_found', `post ${postId}: not found`);
      const status = story.post.status;
      if (status !== 'awaiting_approval' && status !== 'queued')
        throw new ServiceError(
          'conflict',
          `post ${postId} is ${status}; edit needs awaiting_approval or queued`,
        );
      const account = accounts.get(story.post.accountId);
      if (!account)
        throw new ServiceError(
          'conflict',
          `post ${postId}: account ${story.post.accountId} is not configured`,
        );
      const stored = await getEventWithFacts(db, story.post.eventId);
      if (!stored?.facts)
        throw new ServiceError(
          'conflict',
          `post ${postId}: its event kept no facts snapshot to verify against`,
        );
      const facts = stored.facts as unknown as GameFacts;
      const event = { ...stored.payload, game: facts } as unknown as GameEvent;
      const recent = (await recentTexts(db, account.id, 50)).filter((t) => t !== story.post.text);
      const verdict: Verdict = verifyDraft({
        text,
        ctx: { facts, event },
        platform: account.platform,
        recentTexts: recent,
        avoidWords: deps.voices.get(account.voiceId)?.avoidWords ?? [],
      });
      if (!verdict.ok) {
        await audit(
          db,
          {
            actor,
            action: 'post.edit',
            target: postId,
            outcome: 'refused',
            detail: { reasons: verdict.reasons },
          },
          deps.now(),
        );
        throw new ServiceError('invalid', `edited text fails verification: ${verdict.reasons.join(', ')}`, {
          verdict,
        });
      }
      const ok = await editPostText(db, postId, status, text, verdict, `text edited by ${actor}`, deps.now());
      if (!ok)
        throw new ServiceError('conflict', `post ${postId} moved while being edited; reload and retry`);
      await record(actor, 'post.edit', postId, { length: text.length });
      return { id: postId, status, verdict };
    },

    /** The review sweeper (see expireApprovals); dropped posts emit `post.rejected`. */
    async expireApprovals() {
      const now = deps.now();
      const done = await expireApprovals(db, now, deps.accounts);
      for (const d of done) {
        await audit(
          db,
          { actor: 'engine', action: `post.review_timeout.${d.action}`, target: d.postId, outcome: 'ok' },
          now,
        );
        if (d.action === 'drop')
          await emit(
            postEvent(
              'post.rejected',
              { id: d.postId, accountId: d.accountId, reason: 'review timed out' },
              now,
            ),
          );
      }
      return done;
    },

    // ---- pauses -----------------------------------------------------------
    async setAccountPaused(actor: string, accountId: string, paused: boolean) {
      const ok = await setAccountPaused(db, accountId, paused, deps.now());
      if (!ok) throw new ServiceError('not_found', `account ${accountId}: not found`);
      await record(actor, paused ? 'account.pause' : 'account.resume', accountId);
      return { id: accountId, paused };
    },

    async setPlatformPaused(actor: string, platform: string, paused: boolean) {
      const ids = paused
        ? await pausePlatform(db, platform, deps.now())
        : await resumePlatform(db, platform, deps.now());
      await record(actor, paused ? 'platform.pause' : 'platform.resume', platform, { accounts: ids });
      return { platform, paused, accounts: ids };
    },

    // ---- tokens, users ---------------------------------------------------
    /** Creates an API token. The token itself is returned once and never stored. */
    async createToken(actor: string, name: string, role: Role) {
      const token = newApiToken();
      const info = await insertToken(
        db,
        { id: newId('tok'), name, role, tokenHash: hashApiToken(token, deps.keys.pepper) },
        deps.now(),
      );
      await record(actor, 'token.create', info.id, { name, role });
      return { token, info };
    },

    listTokens() {
      return listTokens(db);
    },

    async revokeToken(actor: string, id: string) {
      if (!(await revokeToken(db, id, deps.now())))
        throw new ServiceError('not_found', `token ${id}: not found or revoked`);
      await record(actor, 'token.revoke', id);
      return { id, revoked: true };
    },

    async createUser(actor: string, name: string, role: UserRole, password: string) {
      if (password.length < 12) throw new ServiceError('invalid', 'password: at least 12 characters');
      try {
        const info = await insertUser(
          db,
          { id: newId('usr'), name, role, passwordHash: await hashPassword(password) },
          deps.now(),
        );
        await record(actor, 'user.create', info.id, { name, role });
        return info;
      } catch (error) {
        if (error instanceof UserExistsError) throw new ServiceError('conflict', error.message);
        throw error;
      }
    },

    listUsers() {
      return listUsers(db);
    },

    async disableUser(actor: string, name: string) {
      if (!(await disableUser(db, name, deps.now())))
        throw new ServiceError('not_found', `user ${name}: not found`);
      await record(actor, 'user.disable', name);
      return { name, disabled: true };
    },

    // ---- webhooks ----------------------------------------------------------
    /** Adds an endpoint; its signing secret is returned once and kept encrypted. */
    async createWebhook(actor: string, url: string, events: WebhookEventType[]) {
      const ring = needRing();
      const id = newId('whk');
      const secret = `whsec_${newApiToken().slice(3)}`;
      await putSecret(db, ring, `webhook:${id}`, secret, deps.now());
      const endpoint = await insertEndpoint(db, { id, url, events }, deps.now());
      await record(actor, 'webhook.create', id, { url, events });
      return { endpoint, secret };
    },

    listWebhooks() {
      return listEndpoints(db);
    },

    async disableWebhook(actor: string, id: string) {
      if (!(await disableEndpoint(db, id))) throw new ServiceError('not_found', `webhook ${id}: not found`);
      await record(actor, 'webhook.disable', id);
      return { id, enabled: false };
    },

    listDeliveries(options: { limit: number; endpointId?: string }) {
      return listDeliveries(db, options);
    },

    // ---- secrets -----------------------------------------------------------
    async putSecret(actor: string, name: string, value: string) {
      await putSecret(db, needRing(), name, value, deps.now());
      await record(actor, 'secret.put', name);
      return { name };
    },

    /** A secret's clear value (admin CLI only; the API never returns values). */
    async getSecret(name: string) {
      const value = await getSecret(db, needRing(), name);
      if (value === null) throw new ServiceError('not_found', `secret ${name}: not found`);
      return value;
    },

    listSecrets() {
      return listSecrets(db);
    },

    async deleteSecret(actor: string, name: string) {
      if (!(await deleteSecret(db, name))) throw new ServiceError('not_found', `secret ${name}: not found`);
      await record(actor, 'secret.delete', name);
      return { name, deleted: true };
    },

    /**
     * Re-encrypts every secret under a new data key (given as base64, or a new
     * random one). Returns the new key once: it must replace
     * WIREREPORT_SECRET_KEY before the next start.
     */
    async rotateKey(actor: string, newKeyBase64?: string) {
      const ring = needRing();
      const base64 = newKeyBase64 ?? newDataKeyBase64();
      let next: ReturnType<typeof parseDataKey>;
      try {
        next = parseDataKey(base64, 'new key');
      } catch (error) {
        throw new ServiceError('invalid', (error as Error).message);
      }
      const count = await rotateSecrets(db, ring, next, deps.now());
      // This process keeps working: the new key seals, the old one still opens.
      deps.keys.ring = { current: next, previous: [ring.current, ...(ring.previous ?? [])] };
      await record(actor, 'secret.rotate_key', null, { from: ring.current.id, to: next.id, count });
      return { keyId: next.id, key: base64, reencrypted: count };
    },
  };
}
