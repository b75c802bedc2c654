#!/usr/bin/env node
// Runs the CLI with the project's own Node (24) when started by an older one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (major < 22) {
  const own = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(own)) {
    process.stderr.write(
      `wirereport needs Node 22 or newer (this is ${process.version}); run npm install first\n`,
    );
    process.exit(2);
  }
  const r = spawnSync(own, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { cli } = await import(main);
await cli();
