import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentFetchError, parseRetryAfter, RateLimitedError, TransientFetchError } from './errors.ts';
import { FeedFetcher } from './feed-fetcher.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A real local server answering with `handler`; returns its base URL. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const quick = { timeoutMs: 200, backoff: { initialDelayMs: 1, maxDelayMs: 5 } };

describe('FeedFetcher', () => {
  it('returns body text, parsed JSON and timing from its clock', async () => {
    const base = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
    );
    let now = 1000;
    const fetcher = new FeedFetcher({ ...quick, clock: { now: () => (now += 5) } });
    const result = await fetcher.fetchJson(`${base}/x`);
    expect(result).toMatchObject({ kind: 'ok', status: 200, text: '{"a":1}', json: { a: 1 } });
    expect(result.timing).toEqual({ startedAt: 1005, finishedAt: 1010, durationMs: 5, attempts: 1 });
  });

  it('sends the remembered ETag and Last-Modified, and reports a 304 as not modified', async () => {
    const seen: (string | undefined)[][] = [];
    const base = await serve((req, res) => {
      seen.push([req.headers['if-none-match'], req.headers['if-modified-since']]);
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Sat, 31 May 2025 20:00:00 GMT' }).end('[1]');
    });
    const fetcher = new FeedFetcher(quick);
    expect((await fetcher.fetchJson(`${base}/f`)).kind).toBe('ok');
    expect((await fetcher.fetchJson(`${base}/f`)).kind).toBe('not-modified');
    fetcher.forget(`${base}/f`);
    expect((await fetcher.fetchJson(`${base}/f`)).kind).toBe('ok');
    expect(seen).toEqual([
      [undefined, undefined],
      ['"v1"', 'Sat, 31 May 2025 20:00:00 GMT'],
      [undefined, undefined],
    ]);
  });

  it('retries 5xx and truncated JSON, then succeeds; does not remember validators of a bad body', async () => {
    let calls = 0;
    const base = await serve((req, res) => {
      calls += 1;
      if (calls === 1) return void res.writeHead(503).end('busy');
      if (calls === 2) return void res.writeHead(200, { etag: '"bad"' }).end('{"plays":[1,2');
      expect(req.headers['if-none-match']).toBeUndefined();
      res.writeHead(200).end('{"plays":[1,2,3]}');
    });
    const result = await new FeedFetcher({ ...quick, maxAttempts: 3 }).fetchJson(`${base}/r`);
    expect(result).toMatchObject({ kind: 'ok', json: { plays: [1, 2, 3] } });
    expect(result.timing.attempts).toBe(3);
  });

  it('classifies failures: timeout and 5xx transient, 404 permanent, 429 rate limited with Retry-After', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/500') return void res.writeHead(500).end();
      if (req.url === '/404') return void res.writeHead(404).end();
      res.writeHead(429, { 'retry-after': '7' }).end();
    });
    const fetcher = new FeedFetcher({ ...quick, maxAttempts: 2 });
    const hang = fetcher.fetchJson(`${base}/hang`);
    await expect(hang).rejects.toBeInstanceOf(TransientFetchError);
    await expect(hang).rejects.toMatchObject({ reason: 'timeout' });
    await expect(fetcher.fetchJson(`${base}/500`)).rejects.toMatchObject({ reason: 'server', status: 500 });
    await expect(fetcher.fetchJson(`${base}/404`)).rejects.toBeInstanceOf(PermanentFetchError);
    const limited = fetcher.fetchJson(`${base}/429`);
    await expect(limited).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limited).rejects.toMatchObject({ retryAfterMs: 7000, status: 429 });
  });

  it('opens the circuit of a failing host without touching other hosts, and half-opens later', async () => {
    let failing = true;
    let hits = 0;
    const bad = await serve((_req, res) => {
      hits += 1;
      res.writeHead(failing ? 500 : 200).end(failing ? '' : '{}');
    });
    const good = await serve((_req, res) => res.writeHead(200).end('{}'));
    const fetcher = new FeedFetcher({
      ...quick,
      maxAttempts: 1,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 50 },
    });
    for (let i = 0; i < 3; i += 1)
      await expect(fetcher.fetchJson(`${bad}/a`)).rejects.toMatchObject({ reason: 'server' });
    expect(fetcher.breakerState(bad)).toBe('open');
    await expect(fetcher.fetchJson(`${bad}/a`)).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(hits).toBe(3);
    expect((await fetcher.fetchJson(`${good}/b`)).kind).toBe('ok');
    expect(fetcher.breakerState(good)).toBe('closed');
    failing = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await fetcher.fetchJson(`${bad}/a`)).kind).toBe('ok');
    expect(fetcher.breakerState(bad)).toBe('closed');
  });

  it('limits requests in flight per host', async () => {
    let inFlight = 0;
    let peak = 0;
    const base = await serve((_req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(200).end('{}');
      }, 20);
    });
    const fetcher = new FeedFetcher({ ...quick, perHostConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => fetcher.fetchJson(`${base}/c${i}`)));
    expect(peak).toBe(3);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(parseRetryAfter('120', now, 1)).toBe(120_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:00:30 GMT', now, 1)).toBe(30_000);
    expect(parseRetryAfter(null, now, 5)).toBe(5);
    expect(parseRetryAfter('soon', now, 5)).toBe(5);
  });
});
