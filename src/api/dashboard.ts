import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Serves the operators' dashboard: the React app built by Vite into
 * `web/dist` (`npm run build:web`). Files are read once, when the server is
 * built, and kept in memory with a gzip copy; only those files are served,
 * so no request path ever reaches the file system.
 *
 * Caching: `index.html` is `no-cache` (always revalidated, so a new build is
 * picked up at once); files under `assets/` carry a content hash in their
 * name and are `immutable` for a year.
 *
 * CSP: scripts and styles only from this origin (the build has no inline
 * script), connections only to this origin (the API and the live stream),
 * no framing.
 */

export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Where the build lands by default: `web/dist` at the repository root. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  cache: string;
}

/** Shown when `web/dist` holds no build: says how to make one. */
const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wire Report</title></head>
<body><h1>Wire Report</h1><p>The dashboard is not built. Run <code>npm run build:web</code> and restart the server.</p>
<p>The API is up: <a href="/docs">/docs</a>, <a href="/healthz">/healthz</a>.</p></body></html>
`;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/**
 * Reads a dashboard build into memory: URL path ("/", "/assets/index-ab12.js")
 * to its bytes, gzip copy, content type and cache policy. Empty when the
 * folder or its index.html is missing.
 */
export function loadDashboard(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(join(dir, 'index.html'))) return assets;
  for (const file of walk(dir)) {
    const rel = relative(dir, file).split(sep).join('/');
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!type) continue;
    const body = readFileSync(file);
    const compressible = /text|javascript|json|svg|manifest/.test(type) && body.length > 512;
    const asset: Asset = {
      body,
      gzip: compressible ? gzipSync(body, { level: 9 }) : null,
      type,
      cache: rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    assets.set(rel === 'index.html' ? '/' : `/${rel}`, asset);
  }
  return assets;
}

function send(req: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  reply.type(asset.type).header('cache-control', asset.cache).header('vary', 'accept-encoding');
  if (asset.type.startsWith('text/html')) reply.header('content-security-policy', DASHBOARD_CSP);
  const accepts = String(req.headers['accept-encoding'] ?? '');
  if (asset.gzip && /\bgzip\b/.test(accepts))
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

export interface DashboardOptions {
  /** The build folder. Default: {@link DEFAULT_DASHBOARD_DIR}. */
  dir?: string;
}

/** Registers GET / and GET /<file of the build> (public: the page itself holds no data). */
export function dashboardRoutes(app: FastifyInstance, options: DashboardOptions = {}): void {
  const assets = loadDashboard(options.dir ?? DEFAULT_DASHBOARD_DIR);
  const fallback: Asset = {
    body: Buffer.from(NOT_BUILT),
    gzip: null,
    type: CONTENT_TYPES['.html']!,
    cache: 'no-cache',
  };
  app.get('/', { config: { permission: 'public' } }, async (req, reply) =>
    send(req, reply, assets.get('/') ?? fallback),
  );
  for (const [path, asset] of assets) {
    if (path === '/') continue;
    app.get(path, { config: { permission: 'public', rateLimit: false } }, async (req, reply) =>
      send(req, reply, asset),
    );
  }
}
