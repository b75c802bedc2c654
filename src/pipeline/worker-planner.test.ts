import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { loadRecording } from '../app/recordings.ts';
import { experimentsFromConfig } from '../feedback/experiments.ts';
import { routeEvent } from '../signals/routing.ts';
import { scoreGame } from '../signals/score-game.ts';
import { createDeterministicWriter } from '../write/deterministic.ts';
import { DraftPlanner, type PlanItem } from './plan.ts';
import { WorkerPlanner } from './worker-planner.ts';

const config = loadConfig('demo/wirereport.yaml', { env: {} });
const experiments = experimentsFromConfig(config.experiments ?? []);
const recordings = await Promise.all(
  [
    'fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json',
    'fixtures/espn/nfl_summary_401547417_GB-ATL_2023-09-17.json',
  ].map((file) => loadRecording(file)),
);
const items: PlanItem[] = recordings
  .flatMap((r) => scoreGame(r.events))
  .map((scored) => ({ scored, routes: routeEvent(scored.event, scored.significance, config.accounts) }))
  .filter((item) => item.routes.length > 0);

/** Batches of a few items each, as an ingestor sends them. */
function batches(of: readonly PlanItem[], size: number): PlanItem[][] {
  const out: PlanItem[][] = [];
  for (let i = 0; i < of.length; i += size) out.push(of.slice(i, i + size));
  return out;
}

describe('the planning thread', () => {
  it('plans exactly what the planner in this thread plans, in the order asked', async () => {
    expect(items.length).toBeGreaterThan(30);
    const recent = ['Knicks and Pacers tip off tonight.'];
    const here = new DraftPlanner({
      voices: config.voices,
      writer: createDeterministicWriter(),
      experiments,
      recentTexts: () => recent,
    });
    const reads: string[] = [];
    const there = new WorkerPlanner({
      accounts: config.accounts,
      voices: config.voices,
      experiments,
      recentTexts: async (accountId) => {
        reads.push(accountId);
        return recent;
      },
    });
    try {
      const expected = [];
      for (const batch of batches(items, 3)) expected.push(await here.plan(batch));
      // Every request is sent before any answer is awaited: each must still see the texts of those before.
      const planned = await Promise.all(batches(items, 3).map((batch) => there.plan(batch)));
      expect(planned).toEqual(expected);
      expect(
        expected
          .flat()
          .flatMap((i) => i.plans)
          .filter((p) => p.verdict.ok).length,
      ).toBeGreaterThan(20);
      // Each account's recent texts were read once, then kept on the thread.
      expect(reads.length).toBe(new Set(reads).size);

      // After forget, they are read again.
      there.forget();
      const before = reads.length;
      await there.plan(items.slice(0, 1));
      expect(reads.length).toBe(before + items[0]!.routes.length);
    } finally {
      await there.close();
    }
  }, 60_000);

  it('fails a request that cannot be planned with its reason, and plans the next', async () => {
    const planner = new WorkerPlanner({
      accounts: config.accounts,
      voices: new Map([...config.voices].slice(1)),
      recentTexts: async () => [],
    });
    try {
      const missing = [...config.voices.keys()][0]!;
      const bad = items.find((item) => item.routes.some((r) => r.account.voiceId === missing))!;
      const good = items.find((item) => item.routes.every((r) => r.account.voiceId !== missing))!;
      await expect(planner.plan([bad])).rejects.toThrow(`no voice ${missing}`);
      const plans = await planner.plan([good]);
      expect(plans[0]!.plans.length).toBe(good.routes.length);
    } finally {
      await planner.close();
    }
  }, 60_000);

  it('does not keep the process alive once idle', async () => {
    // A process that started the thread and planned once must end on its own when its work is done.
    const dir = mkdtempSync(join(tmpdir(), 'wirereport-planner-'));
    const file = join(dir, 'idle.mjs');
    writeFileSync(
      file,
      `
      import { WorkerPlanner } from ${JSON.stringify(new URL('./worker-planner.ts', import.meta.url).href)};
      const planner = new WorkerPlanner({ accounts: [], voices: new Map(), recentTexts: async () => [] });
      await planner.start();
      console.log(JSON.stringify(await planner.plan([])));
    `,
    );
    const started = Date.now();
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [file], { stdio: 'pipe' });
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the process was still running after 20 s'));
      }, 20_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        rmSync(dir, { recursive: true, force: true });
        resolve({ code, stdout });
      });
    });
    expect(result).toEqual({ code: 0, stdout: '[]\n' });
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
