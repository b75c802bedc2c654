import type { FastifyInstance } from 'fastify';
import { actorOf } from './auth.ts';
import { route } from './route.ts';
import {
  AccountParams,
  ActionResponse,
  BestTimesQuery,
  CostsQuery,
  EditBody,
  EngagementQuery,
  EventsQuery,
  GamesQuery,
  IdParams,
  NoteBody,
  PlatformParams,
  PostListQuery,
  PostListResponse,
} from './schemas.ts';
import type { Services } from './services.ts';

/** The newsroom: posts and their actions, accounts, voices, sources, games, events, budgets and costs. */
export function postRoutes(app: FastifyInstance, services: Services): void {
  route(app, {
    method: 'GET',
    url: '/api/posts',
    permission: 'read',
    tags: ['posts'],
    summary: 'Posts, newest first, filtered; keyset pagination with `cursor`',
    query: PostListQuery,
    response: PostListResponse,
    handler: ({ query }) =>
      services.listPosts({
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.account ? { accountId: query.account } : {}),
        ...(query.league ? { league: query.league } : {}),
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
  });

  route(app, {
    method: 'GET',
    url: '/api/posts/:id',
    permission: 'read',
    tags: ['posts'],
    summary: 'One post and its whole story: event, facts, verdict and claims, costs, attempts, transitions',
    params: IdParams,
    handler: ({ params }) => services.getPost(params.id),
  });

  for (const action of ['approve', 'reject', 'cancel', 'retry'] as const) {
    route(app, {
      method: 'POST',
      url: `/api/posts/:id/${action}`,
      permission: 'operate',
      tags: ['posts'],
      summary: {
        approve: 'Approve a post awaiting approval (it is queued)',
        reject: 'Reject a post awaiting approval',
        cancel: 'Cancel a queued or awaiting post',
        retry: 'Queue a failed post again',
      }[action],
      params: IdParams,
      body: NoteBody,
      response: ActionResponse,
      handler: ({ params, body, principal }) =>
        services.postAction(actorOf(principal), params.id, action, body.note),
    });
  }

  route(app, {
    method: 'POST',
    url: '/api/posts/:id/edit',
    permission: 'operate',
    tags: ['posts'],
    summary:
      'Replace the text of an awaiting or queued post; the new text is verified first (422 with the verdict when it fails)',
    params: IdParams,
    body: EditBody,
    handler: ({ params, body, principal }) => services.editPost(actorOf(principal), params.id, body.text),
  });

  route(app, {
    method: 'GET',
    url: '/api/accounts',
    permission: 'read',
    tags: ['accounts'],
    summary: 'Accounts with their runtime state, queue sizes, and paused platforms',
    handler: () => services.listAccounts(),
  });

  for (const paused of [true, false]) {
    const verb = paused ? 'pause' : 'resume';
    route(app, {
      method: 'POST',
      url: `/api/accounts/:id/${verb}`,
      permission: 'operate',
      tags: ['accounts'],
      summary: `${paused ? 'Pause' : 'Resume'} publishing for an account`,
      params: AccountParams,
      handler: ({ params, principal }) => services.setAccountPaused(actorOf(principal), params.id, paused),
    });
    route(app, {
      method: 'POST',
      url: `/api/platforms/:platform/${verb}`,
      permission: 'operate',
      tags: ['accounts'],
      summary: `${paused ? 'Pause' : 'Resume'} every account of a platform`,
      params: PlatformParams,
      handler: ({ params, principal }) =>
        services.setPlatformPaused(actorOf(principal), params.platform, paused),
    });
  }

  route(app, {
    method: 'GET',
    url: '/api/engagement',
    permission: 'read',
    tags: ['engagement'],
    summary:
      'Engagement read back from the platforms, per account and per day of publishing (default: the last 30 days)',
    query: EngagementQuery,
    handler: ({ query }) =>
      services.engagement({ days: query.days, ...(query.account ? { accountId: query.account } : {}) }),
  });
  route(app, {
    method: 'GET',
    url: '/api/accounts/:id/best-times',
    permission: 'read',
    tags: ['engagement'],
    summary:
      "An account's best posting hours (hour of the week in its time zone), ranked by engagement, from posts with at least `minSamples` per hour",
    params: AccountParams,
    query: BestTimesQuery,
    handler: ({ params, query }) =>
      services.bestTimes(params.id, { days: query.days, minSamples: query.minSamples }),
  });

  route(app, {
    method: 'GET',
    url: '/api/voices',
    permission: 'read',
    tags: ['config'],
    summary: 'The configured voices',
    handler: async () => ({ voices: services.listVoices() }),
  });
  route(app, {
    method: 'GET',
    url: '/api/sources',
    permission: 'read',
    tags: ['config'],
    summary: 'The configured sources',
    handler: async () => ({ sources: services.listSources() }),
  });
  route(app, {
    method: 'GET',
    url: '/api/games',
    permission: 'read',
    tags: ['games'],
    summary: 'Games stored with their latest facts',
    query: GamesQuery,
    handler: async ({ query }) => ({
      games: await services.listGames({
        limit: query.limit,
        ...(query.league ? { league: query.league } : {}),
      }),
    }),
  });
  route(app, {
    method: 'GET',
    url: '/api/events',
    permission: 'read',
    tags: ['games'],
    summary: 'Events stored, newest first',
    query: EventsQuery,
    handler: async ({ query }) => ({
      events: await services.listEvents({
        limit: query.limit,
        ...(query.game ? { gameId: query.game } : {}),
        ...(query.league ? { league: query.league } : {}),
        ...(query.before ? { before: new Date(query.before) } : {}),
      }),
    }),
  });
  route(app, {
    method: 'GET',
    url: '/api/budgets',
    permission: 'read',
    tags: ['money'],
    summary: "Today's (UTC) use of each account's budget",
    handler: () => services.budgets(),
  });
  route(app, {
    method: 'GET',
    url: '/api/costs',
    permission: 'read',
    tags: ['money'],
    summary:
      'Spending from the cost ledger by account, day, kind, provider and model (default: the last 7 days)',
    query: CostsQuery,
    handler: async ({ query }) => {
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * 86_400_000);
      return {
        from,
        to,
        rows: await services.costs({ from, to, ...(query.account ? { accountId: query.account } : {}) }),
      };
    },
  });
}
