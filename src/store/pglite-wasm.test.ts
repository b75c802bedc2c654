import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pgliteWasmTier } from './pglite-wasm.ts';

const run = promisify(execFile);
const storeModule = fileURLToPath(new URL('./store.ts', import.meta.url));

/** Opens an in-memory store in a child Node with wasm compilations traced; returns the trace. */
async function traceCompilations(tier: string): Promise<string> {
  const script = `
    const { openStore } = await import(${JSON.stringify(storeModule)});
    const store = await openStore({ dataDir: 'memory' });
    await store.close();
  `;
  const { stdout } = await run(
    process.execPath,
    ['--trace-wasm-compilation-times', '--input-type=module', '-e', script],
    { env: { ...process.env, WIREREPORT_PGLITE_WASM: tier }, timeout: 90_000, maxBuffer: 256 << 20 },
  );
  return stdout;
}

interface Compilation {
  module: string;
  index: number;
  tier: string;
  bodySize: number;
}

/**
 * PGlite's compilations in a trace. The process compiles other wasm too (Node's
 * own CommonJS lexer, before the store sets its flags); PGlite's module is the
 * one with over 13,000 functions.
 */
function pgliteCompilations(trace: string): Compilation[] {
  const all = [...trace.matchAll(/Compiled function (\w+)#(\d+) using (\w+),.*?bodysize (\d+)/g)].map(
    (m): Compilation => ({
      module: m[1] ?? '',
      index: Number(m[2]),
      tier: m[3] ?? '',
      bodySize: Number(m[4]),
    }),
  );
  const pglite = new Set(all.filter((c) => c.index > 13_000).map((c) => c.module));
  expect(pglite.size).toBe(1);
  return all.filter((c) => pglite.has(c.module));
}

describe('PGlite WebAssembly tiering', () => {
  it('reads WIREREPORT_PGLITE_WASM and names the variable when it is wrong', () => {
    expect(pgliteWasmTier({})).toBe('baseline');
    expect(pgliteWasmTier({ WIREREPORT_PGLITE_WASM: 'optimizing' })).toBe('optimizing');
    expect(() => pgliteWasmTier({ WIREREPORT_PGLITE_WASM: 'turbo' })).toThrow(
      'WIREREPORT_PGLITE_WASM must be "baseline" or "optimizing" (got "turbo")',
    );
  });

  it('keeps the store on the baseline compiler by default, and tiers up when asked', async () => {
    const [byDefault, optimizing] = await Promise.all([
      traceCompilations('baseline'),
      traceCompilations('optimizing'),
    ]);
    // Opening an in-memory store runs initdb and migrations: thousands of wasm functions.
    const quiet = pgliteCompilations(byDefault);
    expect(quiet.filter((c) => c.tier === 'Liftoff').length).toBeGreaterThan(1000);
    expect(quiet.filter((c) => c.tier === 'TurboFan')).toEqual([]);
    // The same work with tier-up on recompiles the hot functions, the very large ones among them.
    const tiered = pgliteCompilations(optimizing).filter((c) => c.tier === 'TurboFan');
    expect(tiered.length).toBeGreaterThan(10);
    expect(Math.max(...tiered.map((c) => c.bodySize))).toBeGreaterThan(100_000);
  }, 120_000);
});
