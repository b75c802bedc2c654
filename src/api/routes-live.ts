import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LiveBus, LiveMessage } from './live-bus.ts';
import { route } from './route.ts';

export interface LiveRouteOptions {
  bus: LiveBus;
  /** Milliseconds between keep-alive comments on an idle stream. Default: 15000. */
  heartbeatMs?: number;
}

const StreamQuery = z.strictObject({
  /** Resume after this event id (as EventSource's Last-Event-ID does). */
  after: z.coerce.number().int().min(0).optional(),
});

const LastEventId = z.coerce.number().int().min(0);

/** One SSE frame: `id`, `event` (the type) and the JSON message as `data`. */
export function sseFrame(message: LiveMessage): string {
  return `id: ${message.id}\nevent: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;
}

/**
 * GET /api/live/stream: the engine's events as server-sent events (drafts
 * stored, posts published, publish errors), for any
 * authenticated reader. A client resuming with `Last-Event-ID` (or
 * `?after=`) first gets the retained events it missed. The first frame is a
 * `hello` with the latest id. Streams are ended when the server closes, so
 * shutdown never waits on an open dashboard.
 */
export function liveRoutes(app: FastifyInstance, options: LiveRouteOptions): void {
  const { bus } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const open = new Set<ServerResponse>();

  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  route(app, {
    method: 'GET',
    url: '/api/live/stream',
    permission: 'read',
    rateLimit: false,
    tags: ['live'],
    summary:
      'Live events as server-sent events (post, published, publish_error); resumes after Last-Event-ID',
    query: StreamQuery,
    handler: async ({ query, req, reply }) => {
      const header = req.headers['last-event-id'];
      const fromHeader = typeof header === 'string' ? LastEventId.safeParse(header) : undefined;
      const after = fromHeader?.success ? fromHeader.data : query.after;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
      });
      open.add(res);
      const backlog = after === undefined ? [] : bus.since(after);
      const latest = bus.since().at(-1)?.id ?? 0;
      res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ latest })}\n\n`);
      for (const m of backlog) res.write(sseFrame(m));
      const unsubscribe = bus.subscribe((m) => {
        res.write(sseFrame(m));
      });
      const beat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
      beat.unref();
      const done = () => {
        clearInterval(beat);
        unsubscribe();
        open.delete(res);
      };
      req.raw.once('close', done);
      res.once('close', done);
    },
  });
}
