import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../app/config.ts';
import { createEngine } from '../../app/engine.ts';
import { UserInputError } from '../../app/errors.ts';
import { loadRecording } from '../../app/recordings.ts';
import { ManualClock, ScaledClock } from '../../pipeline/clock.ts';
import {
  mergeTimelines,
  publishUntil,
  type ReplayStats,
  replayAtFullSpeed,
  replayScaled,
} from '../../pipeline/replay.ts';
import { type CliIo, progressReporter } from '../io.ts';
import { DEFAULT_CONFIG } from './defaults.ts';

const USAGE = 'usage: wirereport replay FILE... [--config FILE] [--speed N|max] [--data DIR] [--json]';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[idx]! * 100) / 100;
}

/** The summary printed by `replay --json` (its last line on stdout). */
export function summarize(
  stats: ReplayStats,
  texts: Map<string, { platform: string; eventSignificance: number }>,
) {
  const rejected: Record<string, number> = {};
  let verified = 0;
  let queued = 0;
  for (const p of stats.posts) {
    if (p.status === 'rejected') {
      for (const r of p.verdict.reasons.length ? p.verdict.reasons : ['verification failed'])
        rejected[r] = (rejected[r] ?? 0) + 1;
    } else {
      verified++;
      if (p.status === 'queued') queued++;
    }
  }
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  return {
    events: stats.events,
    duplicateEvents: stats.duplicates,
    drafts: stats.posts.length,
    verified,
    rejected,
    queued,
    published: stats.published,
    expired: stats.expired,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) },
    texts,
  };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      speed: { type: 'string', default: 'max' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UserInputError(`replay: no recording given\n${USAGE}`);
  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  if (speed !== 'max' && (!Number.isFinite(speed) || speed <= 0)) {
    throw new UserInputError(`--speed: expected a positive number or "max", got "${values.speed}"`);
  }
  const recordings = [];
  for (const file of positionals) recordings.push(await loadRecording(file));
  const timeline = mergeTimelines(recordings.map((r) => r.events));
  if (timeline.length === 0) throw new UserInputError(`${positionals.join(', ')}: no events to replay`);

  const temporary = values.data === undefined && !io.env.DATABASE_URL;
  const dataDir = values.data ?? (temporary ? mkdtempSync(join(tmpdir(), 'wirereport-replay-')) : undefined);
  const config = loadConfig(values.config ?? DEFAULT_CONFIG, {
    env: io.env,
    ...(dataDir ? { dataDir } : {}),
  });
  const start = timeline[0]!.occurredAt;
  const manual = speed === 'max' ? new ManualClock(start) : undefined;
  const scaled = speed === 'max' ? undefined : new ScaledClock(start, speed);
  const clock = manual ?? scaled!;
  const published: { id: string; accountId: string; platformPostId: string }[] = [];
  const engine = await createEngine({
    config,
    clock,
    ...(io.env.DATABASE_URL ? { databaseUrl: io.env.DATABASE_URL } : {}),
    hooks: { onPublished: (p) => published.push(p) },
  });
  const progress = progressReporter(io, 'replay');
  let stats: ReplayStats;
  try {
    io.stderr(
      `replaying ${timeline.length} events from ${recordings.length} file(s) at ${speed === 'max' ? 'full speed' : `${speed}x`} into ${engine.store.location}\n`,
    );
    const onProgress = (p: { done: number; total: number }) =>
      progress(p.done, p.total, `published ${published.length}`);
    if (manual) {
      stats = await replayAtFullSpeed(timeline, manual, {
        ingestor: engine.ingestor,
        publisher: engine.publisher,
        onProgress,
      });
    } else {
      // Scaled time: ingest on schedule while a loop publishes what falls due.
      let running = true;
      const loop = (async () => {
        while (running) {
          const r = await engine.publisher.publishOne();
          if (!r) {
            await engine.publisher.sweep();
            await engine.publisher.reconcile();
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      })();
      stats = await replayScaled(timeline, scaled!, { ingestor: engine.ingestor, onProgress });
      running = false;
      await loop;
      // Finish the queue without waiting out the remaining spacing in real time:
      // a second engine on a manual clock picks up where the scaled one stopped.
      await engine.close();
      const rest = new ManualClock(clock.now());
      const tailEngine = await createEngine({
        config,
        clock: rest,
        ...(io.env.DATABASE_URL ? { databaseUrl: io.env.DATABASE_URL } : {}),
        hooks: { onPublished: (p) => published.push(p) },
      });
      try {
        const tail: ReplayStats = { ...stats, published: 0, expired: 0 };
        await publishUntil(tailEngine.publisher, rest, Number.POSITIVE_INFINITY, tail, {});
        stats.expired += tail.expired;
      } finally {
        await tailEngine.close();
      }
    }
    stats.published = published.length;
    const publishedIds = new Set(published.map((p) => p.id));
    const accounts = new Map(config.accounts.map((a) => [a.id, a]));
    const posts = stats.posts
      .filter((p) => publishedIds.has(p.id))
      .map((p) => ({
        id: p.id,
        account: p.accountId,
        platform: accounts.get(p.accountId)?.platform ?? 'outbox',
        text: p.text,
        eventId: p.eventId,
        significance: p.significance,
      }));
    const summary = { ...summarize(stats, new Map()), posts };
    delete (summary as { texts?: unknown }).texts;
    if (values.json) {
      io.stdout(`${JSON.stringify(summary)}\n`);
    } else {
      io.stdout(
        `events ${summary.events} (already stored ${summary.duplicateEvents}), drafts ${summary.drafts}, verified ${summary.verified}, ` +
          `rejected ${Object.values(summary.rejected).reduce((a, b) => a + b, 0)}, queued ${summary.queued}, published ${summary.published}, expired ${summary.expired}\n` +
          `ingestion to queued: p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms, p99 ${summary.latencyMs.p99} ms\n`,
      );
      for (const p of posts) io.stdout(`[${p.account} on ${p.platform}] ${p.text}\n`);
    }
    return 0;
  } finally {
    await engine.close();
    if (temporary && dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
