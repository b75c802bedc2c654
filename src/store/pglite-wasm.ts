import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGliteOptions } from '@electric-sql/pglite';

/** A compiled WebAssembly module (the project's type libraries do not declare `WebAssembly`). */
type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };
};

/**
 * How the embedded store's WebAssembly (PostgreSQL compiled to wasm) is
 * compiled. V8 starts every wasm function on its baseline compiler (Liftoff)
 * and recompiles hot ones with its optimizing compiler (TurboFan). For
 * PGlite that recompilation is costly on a small machine: one very large
 * function (about 105 KB of wasm) takes a 600 MB compile zone for about a
 * second, so the process peaks near 800 MB before settling at 300–400 MB,
 * and the recompilation of a few hundred functions takes seconds of the
 * cores the engine works on. Baseline code alone is as fast for the
 * engine's workload (see the README's Store section for the figures).
 *
 * - `baseline` (the default): turn off wasm tier-up before PGlite's module
 *   is compiled. The flags are process-wide: wasm compiled later in this
 *   process (undici's HTTP parser) stays on the baseline compiler too.
 * - `optimizing`: leave V8's defaults.
 *
 * `WIREREPORT_PGLITE_WASM=optimizing` selects the second.
 */
export type PgliteWasmTier = 'baseline' | 'optimizing';

export function pgliteWasmTier(env: NodeJS.ProcessEnv = process.env): PgliteWasmTier {
  const value = env.WIREREPORT_PGLITE_WASM;
  if (value === undefined || value === '' || value === 'baseline') return 'baseline';
  if (value === 'optimizing') return 'optimizing';
  throw new Error(`WIREREPORT_PGLITE_WASM must be "baseline" or "optimizing" (got ${JSON.stringify(value)})`);
}

let compiled: Promise<WasmModule> | undefined;

/**
 * PGlite's WebAssembly module, compiled once per process (on the tier
 * `WIREREPORT_PGLITE_WASM` names) and shared by every store the process opens:
 * each PGlite instance would otherwise compile its own copy of the 9 MB module
 * and warm it up again.
 */
export function pgliteWasmModule(): Promise<WasmModule> {
  if (compiled) return compiled;
  if (pgliteWasmTier() === 'baseline') {
    // Both are needed: dynamic tiering recompiles hot functions, and without
    // it V8 would compile every function with TurboFan eagerly.
    setFlagsFromString('--no-wasm-dynamic-tiering');
    setFlagsFromString('--no-wasm-tier-up');
  }
  const attempt = (async () => {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    return wasm.compile(await readFile(join(dirname(entry), 'pglite.wasm')));
  })();
  compiled = attempt;
  // A failed compile (unreadable file) is not cached: the next store retries.
  attempt.catch(() => {
    if (compiled === attempt) compiled = undefined;
  });
  return attempt;
}
