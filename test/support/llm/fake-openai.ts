import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small fake of the OpenAI endpoints Wire Report calls (Chat Completions, Files, Batch), answering
 * in the shapes of OpenAI's API description with usage counts, so the proxy in front of it
 * (`prism.ts`) validates both our requests and these answers. Faults are scripted per call.
 */

/** What the next chat completion does (consumed in order; default `ok`). */
export type ChatFault =
  | 'ok'
  | 'rate_limit' // 429 with retry-after-ms
  | 'server_error' // 500
  | 'slow' // answers after `slowMs`
  | 'malformed' // 200 with text that is not the JSON object asked for
  | 'wrong'; // 200 with a post whose score is off by one (a contradicted claim)

/** How the next created batch ends. */
export type BatchOutcome = 'completed' | 'failed' | 'expired' | 'never';

export interface FakeOpenAi {
  url: string;
  faults: ChatFault[];
  batchOutcomes: BatchOutcome[];
  /** Polls a batch answers `in_progress` before its outcome. Default: 1. */
  pollsBeforeDone: number;
  slowMs: number;
  /** Every request seen: method and path. */
  log: { method: string; path: string }[];
  chatCalls: number;
  /** Writes a post from the request's JSON; default: the score line of the facts. */
  respond: (request: Record<string, unknown>) => string;
  close(): Promise<void>;
}

interface Team {
  name: string;
  score: number;
}

/** The default model: "<leader> <score>, <trailer> <score>." from the prompt's facts, as JSON. */
export function scoreLinePost(request: Record<string, unknown>, offBy = 0): string {
  const facts = request.facts as { away: Team; home: Team };
  const [a, b] = facts.home.score >= facts.away.score ? [facts.home, facts.away] : [facts.away, facts.home];
  return JSON.stringify({ text: `${a.name} ${a.score + offBy}, ${b.name} ${b.score}.` });
}

/** Roughly 4 characters a token, as English text with OpenAI's tokenizers. */
export function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function error(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  headers: Record<string, string> = {},
) {
  send(res, status, { error: { message, type, param: null, code: null } }, headers);
}

interface Chat {
  model: string;
  messages: { role: string; content: string }[];
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let seq = 0;
  const files = new Map<string, { text: string; filename: string; purpose: string }>();
  const batches = new Map<
    string,
    { body: Record<string, unknown>; outcome: BatchOutcome; polls: number; cancelled: boolean }
  >();
  const now = () => Math.floor(Date.now() / 1000);

  const completion = (chat: Chat, content: string) => {
    const promptTokens = chat.messages.reduce((n, m) => n + tokens(m.content) + 4, 3);
    const out = tokens(content);
    return {
      id: `chatcmpl-${++seq}`,
      object: 'chat.completion',
      created: now(),
      model: `${chat.model}-2026-01-01`,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: out,
        total_tokens: promptTokens + out,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
    };
  };
  const answer = (chat: Chat, fault: ChatFault) => {
    const user = JSON.parse(chat.messages.find((m) => m.role === 'user')?.content ?? '{}') as Record<
      string,
      unknown
    >;
    if (fault === 'malformed') return completion(chat, 'Sure! Here is a post about the game.');
    if (fault === 'wrong') return completion(chat, scoreLinePost(user, 1));
    return completion(chat, fake.respond(user));
  };
  const batchObject = (id: string) => {
    const b = batches.get(id)!;
    const base = {
      id,
      object: 'batch',
      endpoint: b.body.endpoint,
      input_file_id: b.body.input_file_id,
      completion_window: b.body.completion_window,
      created_at: now(),
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: null,
    };
    const lines = files
      .get(String(b.body.input_file_id))!
      .text.split('\n')
      .filter((l) => l.trim());
    const done = b.polls > fake.pollsBeforeDone;
    if (b.cancelled && done) return { ...base, status: 'cancelled', cancelled_at: now() };
    if (!done || b.outcome === 'never')
      return { ...base, status: b.cancelled ? 'cancelling' : 'in_progress', in_progress_at: now() };
    if (b.outcome === 'failed') {
      return {
        ...base,
        status: 'failed',
        failed_at: now(),
        errors: {
          object: 'list',
          data: [{ code: 'invalid_json_line', message: 'the fake refuses this batch', line: 1, param: null }],
        },
      };
    }
    const finished = b.outcome === 'expired' ? lines.slice(0, Math.floor(lines.length / 2)) : lines;
    const output = finished.map((line) => {
      const req = JSON.parse(line) as { custom_id: string; body: Chat };
      return JSON.stringify({
        id: `batch_req_${++seq}`,
        custom_id: req.custom_id,
        response: { status_code: 200, request_id: `req_${seq}`, body: answer(req.body, 'ok') },
        error: null,
      });
    });
    const outId = `file-out-${id}`;
    files.set(outId, { text: `${output.join('\n')}\n`, filename: 'output.jsonl', purpose: 'batch_output' });
    const counts = {
      total: lines.length,
      completed: finished.length,
      failed: lines.length - finished.length,
    };
    let errorFileId: string | undefined;
    if (b.outcome === 'expired') {
      const expired = lines.slice(finished.length).map((line) =>
        JSON.stringify({
          id: `batch_req_${++seq}`,
          custom_id: (JSON.parse(line) as { custom_id: string }).custom_id,
          response: null,
          error: {
            code: 'batch_expired',
            message: 'This request could not be executed before the completion window expired.',
          },
        }),
      );
      errorFileId = `file-err-${id}`;
      files.set(errorFileId, {
        text: `${expired.join('\n')}\n`,
        filename: 'errors.jsonl',
        purpose: 'batch_output',
      });
    }
    return {
      ...base,
      status: b.outcome === 'expired' ? 'expired' : 'completed',
      output_file_id: outId,
      ...(errorFileId ? { error_file_id: errorFileId } : {}),
      request_counts: counts,
      ...(b.outcome === 'expired' ? { expired_at: now() } : { completed_at: now() }),
    };
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v1/, '');
    fake.log.push({ method: req.method ?? 'GET', path });
    const body = await readBody(req);
    try {
      if (req.method === 'POST' && path === '/chat/completions') {
        fake.chatCalls++;
        const fault = fake.faults.shift() ?? 'ok';
        const chat = JSON.parse(body.toString('utf8')) as Chat;
        if (fault === 'rate_limit')
          return error(res, 429, 'Rate limit reached', 'requests', { 'retry-after-ms': '5' });
        if (fault === 'server_error') return error(res, 500, 'The server had an error', 'server_error');
        if (fault === 'slow') await new Promise((r) => setTimeout(r, fake.slowMs));
        return send(res, 200, answer(chat, fault));
      }
      if (req.method === 'POST' && path === '/files') {
        const form = await new Request('http://fake/files', {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? '' },
          body,
        }).formData();
        const file = form.get('file') as File;
        const id = `file-${++seq}`;
        const text = await file.text();
        files.set(id, { text, filename: file.name, purpose: String(form.get('purpose')) });
        return send(res, 200, {
          id,
          object: 'file',
          bytes: Buffer.byteLength(text),
          created_at: now(),
          filename: file.name,
          purpose: String(form.get('purpose')),
          status: 'processed',
          expires_at: now() + 30 * 86_400,
        });
      }
      const content = /^\/files\/([^/]+)\/content$/.exec(path);
      if (req.method === 'GET' && content) {
        const f = files.get(content[1]!);
        if (!f) return error(res, 404, 'No such file', 'invalid_request_error');
        // The real service sends JSONL as a binary download; the description says application/json.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(f.text);
      }
      if (req.method === 'POST' && path === '/batches') {
        const id = `batch_${++seq}`;
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        if (!files.has(String(parsed.input_file_id)))
          return error(res, 400, 'No such input file', 'invalid_request_error');
        batches.set(id, {
          body: parsed,
          outcome: fake.batchOutcomes.shift() ?? 'completed',
          polls: 0,
          cancelled: false,
        });
        return send(res, 200, { ...batchObject(id), status: 'validating' });
      }
      const batch = /^\/batches\/([^/]+)(\/cancel)?$/.exec(path);
      if (batch && batches.has(batch[1]!)) {
        const b = batches.get(batch[1]!)!;
        if (req.method === 'POST' && batch[2]) {
          b.cancelled = true;
          return send(res, 200, { ...batchObject(batch[1]!), status: 'cancelling' });
        }
        if (req.method === 'GET' && !batch[2]) {
          b.polls++;
          return send(res, 200, batchObject(batch[1]!));
        }
      }
      return error(res, 404, `fake: no route ${req.method} ${path}`, 'invalid_request_error');
    } catch (e) {
      return error(res, 500, `fake: ${(e as Error).message}`, 'server_error');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeOpenAi = {
    url: `http://127.0.0.1:${port}`,
    faults: [],
    batchOutcomes: [],
    pollsBeforeDone: 1,
    slowMs: 2_000,
    log: [],
    chatCalls: 0,
    respond: (r) => scoreLinePost(r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
