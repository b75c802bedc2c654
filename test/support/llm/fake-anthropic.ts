import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scoreLinePost, tokens } from './fake-openai.ts';

/**
 * A small fake of Anthropic's Messages and Message Batches endpoints. No official machine-readable
 * description of Anthropic's API is available here, so the shapes follow the `@anthropic-ai/sdk` types
 * (Message, MessageBatch, MessageBatchIndividualResponse) rather than a validating proxy.
 */
export type MessageFault = 'ok' | 'rate_limit' | 'overloaded' | 'malformed';

export interface FakeAnthropic {
  url: string;
  faults: MessageFault[];
  /** Polls a batch answers `in_progress` before it ends. Default: 1. */
  pollsBeforeDone: number;
  /** Custom ids whose batch result is `expired`. */
  expire: Set<string>;
  calls: number;
  log: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

interface Params {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: string; content: string }[];
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  let seq = 0;
  const batches = new Map<
    string,
    { requests: { custom_id: string; params: Params }[]; polls: number; created: string }
  >();
  const message = (p: Params, fault: MessageFault) => {
    const user = JSON.parse(p.messages.find((m) => m.role === 'user')?.content ?? '{}') as Record<
      string,
      unknown
    >;
    // The request prefilled the answer with "{": continue from there, as the model does.
    const full = fault === 'malformed' ? '{Sure, here is a post' : scoreLinePost(user);
    const text = full.startsWith('{') ? full.slice(1) : full;
    const input = tokens(p.system ?? '') + p.messages.reduce((n, m) => n + tokens(m.content), 0);
    return {
      id: `msg_${++seq}`,
      type: 'message',
      role: 'assistant',
      model: p.model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: input,
        output_tokens: tokens(text),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    };
  };
  const batchObject = (id: string, base: string) => {
    const b = batches.get(id)!;
    const ended = b.polls > fake.pollsBeforeDone;
    return {
      id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: {
        processing: ended ? 0 : b.requests.length,
        succeeded: ended ? b.requests.filter((r) => !fake.expire.has(r.custom_id)).length : 0,
        errored: 0,
        canceled: 0,
        expired: ended ? b.requests.filter((r) => fake.expire.has(r.custom_id)).length : 0,
      },
      created_at: b.created,
      expires_at: new Date(Date.parse(b.created) + 86_400_000).toISOString(),
      ended_at: ended ? new Date().toISOString() : null,
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${base}/v1/messages/batches/${id}/results` : null,
    };
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    fake.log.push({ method: req.method ?? 'GET', path, headers: req.headers });
    // SDK 1.x sends the key as `authorization: Bearer`; older clients as `x-api-key`.
    if (!(req.headers['x-api-key'] || req.headers.authorization) || !req.headers['anthropic-version']) {
      return send(res, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: 'missing x-api-key or anthropic-version' },
      });
    }
    if (req.method === 'POST' && path === '/v1/messages') {
      fake.calls++;
      const fault = fake.faults.shift() ?? 'ok';
      if (fault === 'rate_limit')
        return send(
          res,
          429,
          { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
          { 'retry-after': '0' },
        );
      if (fault === 'overloaded')
        return send(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      return send(res, 200, message(JSON.parse(body) as Params, fault));
    }
    if (req.method === 'POST' && path === '/v1/messages/batches') {
      const id = `msgbatch_${++seq}`;
      const parsed = JSON.parse(body) as { requests: { custom_id: string; params: Params }[] };
      batches.set(id, { requests: parsed.requests, polls: 0, created: new Date().toISOString() });
      return send(res, 200, batchObject(id, fake.url));
    }
    const m = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/.exec(path);
    if (m && batches.has(m[1]!)) {
      const b = batches.get(m[1]!)!;
      if (req.method === 'GET' && !m[2]) {
        b.polls++;
        return send(res, 200, batchObject(m[1]!, fake.url));
      }
      if (req.method === 'GET' && m[2] === '/results') {
        const lines = b.requests.map((r) =>
          JSON.stringify({
            custom_id: r.custom_id,
            result: fake.expire.has(r.custom_id)
              ? { type: 'expired' }
              : { type: 'succeeded', message: message(r.params, 'ok') },
          }),
        );
        res.writeHead(200, { 'content-type': 'application/binary' });
        return res.end(`${lines.join('\n')}\n`);
      }
    }
    return send(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: `fake: no route ${req.method} ${path}` },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeAnthropic = {
    url: `http://127.0.0.1:${port}`,
    faults: [],
    pollsBeforeDone: 1,
    expire: new Set(),
    calls: 0,
    log: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
