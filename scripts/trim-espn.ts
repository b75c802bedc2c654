/**
 * Trims recorded ESPN site-API files to the facts the engine and its tests need.
 *
 * The recordings carry no licence, so only facts are committed: scores, plays,
 * box scores, identifiers, timestamps. Prose written by people (articles, news,
 * recap headlines, video descriptions) and images/links are dropped.
 *
 * Usage: node scripts/trim-espn.ts SOURCE_DIR DEST_DIR
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DROP_KEYS = new Set([
  'article',
  'news',
  'videos',
  'headlines',
  'links',
  'logos',
  'logo',
  'headshot',
  'images',
  'image',
  'broadcasts',
  'broadcast',
  'geoBroadcasts',
  'tickets',
  'odds',
  'pickcenter',
  'againstTheSpread',
  'standings',
  'injuries',
  'notes',
  'description',
  'gameNote',
  'href',
  'guid',
  'uid',
  'color',
  'alternateColor',
  'highlights',
  'ticketsInfo',
  '$ref',
  'thumbnail',
  'predictor',
  'lastFiveGames',
]);

function trim(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(trim);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (DROP_KEYS.has(k)) continue;
      out[k] = trim(v);
    }
    return out;
  }
  return value;
}

const [src, dest] = process.argv.slice(2);
if (!src || !dest) {
  console.error('usage: node scripts/trim-espn.ts SOURCE_DIR DEST_DIR');
  process.exit(2);
}
for (const name of readdirSync(src)) {
  if (!name.endsWith('.json')) continue;
  const data = JSON.parse(readFileSync(join(src, name), 'utf8'));
  const out = JSON.stringify(trim(data));
  writeFileSync(join(dest, name), `${out}\n`);
  console.log(`${name}: ${out.length} bytes`);
}
