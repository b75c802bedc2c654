/**
 * Trims OpenAI's OpenAPI description to the paths Wire Report calls, keeping every component those paths
 * reference (transitively), so the validating proxy in `test/support/llm/prism.ts` loads a small file.
 *
 *   node scripts/trim-openai-spec.ts /work/shared/data/llm/openai_openapi.yaml fixtures/llm/openai_openapi.trimmed.yaml
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const KEEP_PATHS = [
  '/chat/completions',
  '/files',
  '/files/{file_id}/content',
  '/batches',
  '/batches/{batch_id}',
  '/batches/{batch_id}/cancel',
];

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/trim-openai-spec.ts <openapi.yaml> <out.yaml>');
  process.exit(2);
}
const spec = parse(readFileSync(input, 'utf8'), { maxAliasCount: -1 }) as {
  paths: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};
const paths: Record<string, unknown> = {};
for (const p of KEEP_PATHS) {
  if (!spec.paths[p]) throw new Error(`${input}: paths.${p} is missing`);
  paths[p] = spec.paths[p];
}
// One correction, on purpose: the description says `GET /files/{file_id}/content` answers
// application/json with a string schema, but the service (and the SDK's `files.content()`, which returns
// the raw Response) sends the file's bytes: a batch output file is JSONL, not one JSON value.
const content = (
  paths['/files/{file_id}/content'] as {
    get: { responses: Record<string, { content: Record<string, unknown> }> };
  }
).get.responses['200'];
if (!content?.content['application/json'])
  throw new Error(`${input}: /files/{file_id}/content 200 application/json expected`);
content.content = { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };
const kept = new Map<string, Set<string>>();
const visit = (node: unknown): void => {
  if (Array.isArray(node)) {
    for (const n of node) visit(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) {
      const [, , section, name] = value.split('/');
      if (!section || !name) continue;
      const set = kept.get(section) ?? new Set<string>();
      kept.set(section, set);
      if (set.has(name)) continue;
      set.add(name);
      const target = spec.components[section]?.[name];
      if (target === undefined) throw new Error(`${input}: ${value} is referenced but missing`);
      visit(target);
    } else visit(value);
  }
};
visit(paths);
const components: Record<string, Record<string, unknown>> = {};
if (spec.components.securitySchemes) components.securitySchemes = spec.components.securitySchemes;
for (const [section, names] of kept) {
  components[section] = {};
  for (const name of [...names].sort()) components[section][name] = spec.components[section]![name];
}
const { paths: _p, components: _c, tags: _t, 'x-oaiMeta': _m, webhooks: _w, ...rest } = spec;
const header = `# Trimmed from OpenAI's openapi.yaml (openai/openai-openapi, commit f85dbe22, MIT licence, (c) OpenAI)\n# by scripts/trim-openai-spec.ts: paths ${KEEP_PATHS.join(', ')} and the components they reference;\n# /files/{file_id}/content answers application/octet-stream (the JSONL bytes), not application/json.\n`;
writeFileSync(
  output,
  header + stringify({ ...rest, paths, components }, { lineWidth: 0, aliasDuplicateObjects: false }),
);
console.log(
  `${output}: ${KEEP_PATHS.length} paths, ${[...kept.values()].reduce((n, s) => n + s.size, 0)} components`,
);
