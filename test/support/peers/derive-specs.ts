/**
 * Derives the OpenAPI descriptions prism serves for the X and Discord peers
 * from the platforms' official ones (both MIT), and writes them under
 * fixtures/peers/. Run again when a source spec changes:
 *
 *   node test/support/peers/derive-specs.ts /work/shared/data
 *
 * - X (v2.167, pinned): only the paths the adapter uses; the OAuth 1.0a
 *   scheme (`http`/`OAuth`, which prism cannot check) declared as an
 *   `Authorization` header instead.
 * - Discord (v10): only the webhook paths, and the bot's channel messages
 *   and `/users/@me`, prefixed with /api/v10 as @discordjs/rest calls them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dataDir = process.argv[2] ?? '/work/shared/data';
const out = new URL('../../../fixtures/peers/', import.meta.url);

type Spec = {
  paths: Record<string, unknown>;
  components: { securitySchemes: Record<string, unknown> };
  servers?: unknown;
};

const x = JSON.parse(readFileSync(join(dataDir, 'x_api/x_api_v2_openapi.json'), 'utf8')) as Spec;
const xPaths = [
  '/2/tweets',
  '/2/tweets/{id}',
  '/2/users/me',
  '/2/users/{id}/tweets',
  '/2/media/upload/initialize',
  '/2/media/upload/{id}/append',
  '/2/media/upload/{id}/finalize',
  '/2/media/metadata',
];
x.paths = Object.fromEntries(xPaths.map((p) => [p, x.paths[p]]));
x.components.securitySchemes.UserToken = {
  type: 'apiKey',
  in: 'header',
  name: 'Authorization',
  description: 'OAuth 1.0a, declared as a header for prism (derived copy)',
};
x.servers = [{ url: 'http://127.0.0.1' }];
writeFileSync(new URL('x_api_v2_peer.json', out), JSON.stringify(x));

const d = JSON.parse(readFileSync(join(dataDir, 'publishers/discord_api_openapi.json'), 'utf8')) as Spec;
d.paths = Object.fromEntries(
  Object.entries(d.paths)
    .filter(
      ([p]) =>
        p.startsWith('/webhooks/{webhook_id}/{webhook_token}') ||
        p === '/channels/{channel_id}/messages' ||
        p === '/channels/{channel_id}/messages/{message_id}' ||
        p === '/users/@me',
    )
    .map(([p, v]) => [`/api/v10${p}`, v]),
);
d.servers = [{ url: 'http://127.0.0.1' }];
writeFileSync(new URL('discord_api_peer.json', out), JSON.stringify(d));
console.log(
  'wrote',
  new URL('x_api_v2_peer.json', out).pathname,
  new URL('discord_api_peer.json', out).pathname,
);
