import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerKeys } from '../src/api/keys.ts';
import { buildServer } from '../src/api/server.ts';
import { createServices } from '../src/api/services.ts';
import { parseConfig } from '../src/app/config.ts';
import { assignArm, type Experiment, experimentsFromConfig } from '../src/feedback/experiments.ts';
import { analyseExperiments, type ExperimentReport } from '../src/feedback/experiments-analysis.ts';
import { mannWhitneyU, mean, welchTTest } from '../src/feedback/stats.ts';
import { postId } from '../src/pipeline/plan.ts';
import type { Store } from '../src/store/store.ts';
import { emojiIn } from '../src/write/testkit.ts';
import { runCli } from './support/cli.ts';
import { type TestLocation, testLocation } from './support/store.ts';

const NBA = 'fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json';
/** A replay of one game through the CLI, on a shared machine under load. */
const REPLAY_MS = 300_000;

/** Two accounts, each in one experiment; spacing 0 and a long maximum age so every post publishes. */
const CONFIG = `
voices:
  - id: hype
    persona: A loud basketball account.
    tone: hype
    emoji: ["🔥", "🏀"]
    hashtags: [NBA]
  - id: desk
    persona: A neutral desk.
    hashtags: [NBA]
accounts:
  - id: hype
    platform: bluesky
    handle: hype.example
    voice: hype
    leagues: [nba]
    minSignificance: 0.25
    spacingSeconds: 0
    maxAgeSeconds: 100000000
  - id: desk
    platform: mastodon
    handle: "@desk@example"
    voice: desk
    leagues: [nba]
    minSignificance: 0.25
    spacingSeconds: 0
    maxAgeSeconds: 100000000
experiments:
  - id: emoji
    accounts: [hype]
    start: "2025-01-01T00:00:00Z"
    arms:
      - id: control
      - id: no-emoji
        voice: { emoji: [] }
    metric: { likes: 1, reposts: 2, replies: 1 }
    minSamples: 5
    test: welch
  - id: tone
    accounts: [desk]
    start: "2025-01-01T00:00:00Z"
    arms:
      - { id: control }
      - { id: wry, voice: { tone: wry } }
      - { id: alt, phrasing: 1 }
    minSamples: 3
    test: mann-whitney
`;

interface Assignment {
  post_id: string;
  experiment_id: string;
  account_id: string;
  event_id: string;
  assigned_arm: string;
  served_arm: string | null;
  fallback: string | null;
}

async function assignments(store: Store): Promise<Assignment[]> {
  return store.db
    .selectFrom('experiment_assignments')
    .select(['post_id', 'experiment_id', 'account_id', 'event_id', 'assigned_arm', 'served_arm', 'fallback'])
    .orderBy('post_id')
    .execute();
}

describe('experiments over a replayed game', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirereport-exp-'));
  const file = join(dir, 'wirereport.yaml');
  writeFileSync(file, CONFIG);
  const experiments = new Map<string, Experiment>(
    experimentsFromConfig(parseConfig(CONFIG, { file, env: {} }).experiments).map((e) => [e.id, e]),
  );
  let location: TestLocation;
  let first: Assignment[];

  const replay = async (where: TestLocation) => {
    const run = await runCli(['replay', NBA, '--config', file, '--json', ...where.args], where.env);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    return run.json<{ published: number; drafts: number }>();
  };
  const withStore = async <T>(fn: (store: Store) => Promise<T>): Promise<T> => {
    const store = await location.open();
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    location = await testLocation();
    const summary = await replay(location);
    expect(summary.published).toBeGreaterThan(20);
    first = await withStore(assignments);
  }, REPLAY_MS);
  afterAll(async () => {
    await location?.dispose();
  });

  it('serves every arm across events, on the arm the hash assigns', () => {
    for (const [id, e] of experiments) {
      const rows = first.filter((a) => a.experiment_id === id);
      expect(new Set(rows.map((a) => a.event_id)).size).toBe(rows.length);
      for (const arm of e.arms)
        expect(rows.filter((a) => a.served_arm === arm.id).length, `${id}/${arm.id}`).toBeGreaterThan(0);
      for (const a of rows) {
        expect(a.assigned_arm).toBe(e.arms[assignArm(e, a.event_id, a.account_id)]!.id);
        // A fallback (the assigned arm's draft was rejected) is recorded with its reason.
        expect(a.fallback !== null).toBe(a.served_arm !== a.assigned_arm);
        if (a.fallback !== null) expect(a.fallback).toContain(`arm ${a.assigned_arm}`);
      }
    }
    // Each account is in its own experiment only.
    expect(first.filter((a) => a.experiment_id === 'emoji').every((a) => a.account_id === 'hype')).toBe(true);
    expect(first.filter((a) => a.experiment_id === 'tone').every((a) => a.account_id === 'desk')).toBe(true);
  });

  it('publishes only verified variants, one post per event and account, under the served arm', async () => {
    await withStore(async (store) => {
      const posts = await store.db
        .selectFrom('posts')
        .innerJoin('experiment_assignments as a', 'a.post_id', 'posts.id')
        .select([
          'posts.id',
          'posts.event_id',
          'posts.account_id',
          'posts.variant',
          'posts.status',
          'posts.text',
        ])
        .select(['posts.verdict', 'a.experiment_id', 'a.served_arm'])
        .execute();
      expect(posts.length).toBe(first.length);
      const published = posts.filter((p) => p.status === 'published');
      expect(published.length).toBeGreaterThan(10);
      for (const p of posts) {
        const e = experiments.get(p.experiment_id)!;
        // No arm verified: the post is stored rejected, never published.
        if (p.served_arm === null) expect(p.status).toBe('rejected');
        if (p.served_arm !== null) {
          expect(e.arms[p.variant]!.id).toBe(p.served_arm);
        }
        expect(p.id).toBe(postId(p.event_id, p.account_id, p.variant));
      }
      const variants = await store.db.selectFrom('experiment_variants').selectAll().execute();
      for (const p of published) {
        expect((p.verdict as { ok: boolean }).ok).toBe(true);
        const mine = variants.filter((v) => v.post_id === p.id);
        expect(mine.map((v) => v.arm).sort()).toEqual(
          experiments
            .get(p.experiment_id)!
            .arms.map((a) => a.id)
            .sort(),
        );
        const served = mine.filter((v) => v.served);
        expect(served).toHaveLength(1);
        expect(served[0]!.verified).toBe(true);
        expect(served[0]!.arm).toBe(p.served_arm);
        expect(served[0]!.text).toBe(p.text);
      }
      // The alternatives were never published: one post per (event, account) in the experiments.
      const perPair = await store.db
        .selectFrom('posts')
        .select(['event_id', 'account_id', sql<number>`count(*)::int`.as('n')])
        .where('account_id', 'in', ['hype', 'desk'])
        .groupBy(['event_id', 'account_id'])
        .having(sql`count(*)`, '>', 1)
        .execute();
      expect(perPair).toEqual([]);
      // The arms differ as configured: no emoji in the no-emoji variants, emoji in most control ones.
      const emoji = variants.filter((v) =>
        first.some((a) => a.post_id === v.post_id && a.experiment_id === 'emoji'),
      );
      for (const v of emoji.filter((x) => x.arm === 'no-emoji')) expect(emojiIn(v.text)).toEqual([]);
      const controls = emoji.filter((x) => x.arm === 'control');
      expect(controls.filter((v) => emojiIn(v.text).length > 0).length).toBeGreaterThan(controls.length / 2);
    });
  });

  it(
    'keeps every assignment when the game is replayed on the same store',
    async () => {
      const again = await replay(location);
      expect(again.drafts).toBe(0);
      expect(again.published).toBe(0);
      expect(await withStore(assignments)).toEqual(first);
    },
    REPLAY_MS,
  );

  it(
    'assigns the same arms on another store (a second worker or a replay elsewhere)',
    async () => {
      const other = await testLocation();
      try {
        await replay(other);
        const store = await other.open();
        try {
          const second = await assignments(store);
          const key = (a: Assignment) => [a.post_id, a.experiment_id, a.assigned_arm, a.served_arm].join('|');
          expect(second.map(key)).toEqual(first.map(key));
        } finally {
          await store.close();
        }
      } finally {
        await other.dispose();
      }
    },
    REPLAY_MS,
  );

  describe('analysis of engagement', () => {
    /** Expected metric values per experiment and arm, from the rows inserted below. */
    const expected = new Map<string, Map<string, number[]>>();
    const published = new Map<string, number>();

    beforeAll(async () => {
      await withStore(async (store) => {
        const rows = await store.db
          .selectFrom('experiment_assignments as a')
          .innerJoin('posts', 'posts.id', 'a.post_id')
          .select(['a.post_id', 'a.experiment_id', 'a.served_arm', 'posts.published_at'])
          .where('posts.status', '=', 'published')
          .orderBy('a.post_id')
          .execute();
        let skipped = false;
        for (const [i, r] of rows.entries()) {
          const key = `${r.experiment_id}/${r.served_arm}`;
          published.set(key, (published.get(key) ?? 0) + 1);
          // One published control post of 'emoji' has no snapshot yet: it is published, not measured.
          if (!skipped && r.experiment_id === 'emoji' && r.served_arm === 'control') {
            skipped = true;
            continue;
          }
          const at = r.published_at!.getTime();
          const latest = {
            likes: ((i * 7) % 11) + (r.served_arm === 'no-emoji' ? 6 : 0),
            reposts: (i * 3) % 5,
            replies: i % 4,
            quotes: i % 3,
          };
          await store.db
            .insertInto('engagement_snapshots')
            .values([
              // An older, larger reading: only the latest counts.
              {
                post_id: r.post_id,
                collected_at: new Date(at + 60_000),
                likes: 999,
                reposts: 999,
                replies: 999,
                quotes: 999,
              },
              { post_id: r.post_id, collected_at: new Date(at + 3_600_000), ...latest },
            ])
            .execute();
          const e = experiments.get(r.experiment_id)!;
          const value =
            e.metric.likes * latest.likes +
            e.metric.reposts * latest.reposts +
            e.metric.replies * latest.replies +
            e.metric.quotes * latest.quotes;
          const arms = expected.get(r.experiment_id) ?? new Map<string, number[]>();
          arms.set(r.served_arm!, [...(arms.get(r.served_arm!) ?? []), value]);
          expected.set(r.experiment_id, arms);
        }
        expect(skipped).toBe(true);
      });
    }, 120_000);

    const check = (reports: ExperimentReport[]) => {
      expect(reports.map((r) => r.id)).toEqual(['emoji', 'tone']);
      for (const r of reports) {
        const e = experiments.get(r.id)!;
        const samples = expected.get(r.id)!;
        const control = samples.get('control') ?? [];
        expect(r.state).toBe('running');
        expect(r.arms.map((a) => a.arm)).toEqual(e.arms.map((a) => a.id));
        for (const a of r.arms) {
          const xs = samples.get(a.arm) ?? [];
          expect(a.published).toBe(published.get(`${r.id}/${a.arm}`) ?? 0);
          expect(a.measured).toBe(xs.length);
          expect(a.served).toBe(
            first.filter((x) => x.experiment_id === r.id && x.served_arm === a.arm).length,
          );
          expect(a.assigned).toBe(
            first.filter((x) => x.experiment_id === r.id && x.assigned_arm === a.arm).length,
          );
          expect(a.mean).toBeCloseTo(mean(xs), 9);
          if (a.control) {
            expect(a.comparison).toEqual({ status: 'control' });
            continue;
          }
          expect(a.lift).toBeCloseTo((mean(xs) - mean(control)) / mean(control), 9);
          if (xs.length < e.minSamples || control.length < e.minSamples) {
            expect(a.comparison.status).toBe('not enough samples');
            continue;
          }
          const t = e.test === 'welch' ? welchTTest(xs, control) : mannWhitneyU(xs, control);
          expect(a.comparison).toMatchObject({
            status: 'tested',
            test: e.test,
            significant: t.pValue < e.alpha,
          });
          if (a.comparison.status === 'tested') {
            expect(a.comparison.statistic).toBeCloseTo(t.statistic, 9);
            expect(a.comparison.pValue).toBeCloseTo(t.pValue, 9);
          }
        }
      }
      // The emoji experiment has enough samples on both arms to be tested.
      const noEmoji = reports[0]!.arms[1]!;
      expect(noEmoji.comparison.status).toBe('tested');
    };

    it('reports per arm the published posts, the latest engagement, the lift and the test', async () => {
      check(await withStore((store) => analyseExperiments(store.db, Date.now())));
    });

    it('says "not enough samples" below the minimum', async () => {
      await withStore(async (store) => {
        await sql`UPDATE experiments SET definition = jsonb_set(definition, '{minSamples}', '1000') WHERE id = 'emoji'`.execute(
          store.db,
        );
        try {
          const [emoji] = await analyseExperiments(store.db, Date.now());
          const measured = expected.get('emoji')!;
          expect(emoji!.arms[1]!.comparison).toEqual({
            status: 'not enough samples',
            minSamples: 1000,
            measured: measured.get('no-emoji')!.length,
            controlMeasured: measured.get('control')!.length,
          });
        } finally {
          await sql`UPDATE experiments SET definition = jsonb_set(definition, '{minSamples}', '5') WHERE id = 'emoji'`.execute(
            store.db,
          );
        }
      });
    });

    it('answers GET /api/experiments and /api/experiments/:id for a viewer', async () => {
      await withStore(async (store) => {
        const keys = resolveServerKeys(
          { WIREREPORT_SECRET_KEY: randomBytes(32).toString('base64') },
          'memory',
        );
        const now = () => new Date();
        const services = createServices({
          db: store.db,
          keys,
          accounts: [],
          voices: new Map(),
          sources: [],
          now,
        });
        const { token } = await services.createToken('test', 'viewer', 'viewer');
        const app = buildServer({ store, ready: () => true, keys, now });
        try {
          const auth = { authorization: `Bearer ${token}` };
          const list = await app.inject({ method: 'GET', url: '/api/experiments', headers: auth });
          expect(list.statusCode).toBe(200);
          const reports = list.json<{ experiments: ExperimentReport[] }>().experiments;
          check(reports);
          const one = await app.inject({ method: 'GET', url: '/api/experiments/tone', headers: auth });
          expect(one.statusCode).toBe(200);
          expect(one.json<{ experiment: ExperimentReport }>().experiment).toEqual(reports[1]);
          const missing = await app.inject({ method: 'GET', url: '/api/experiments/nope', headers: auth });
          expect(missing.statusCode).toBe(404);
          expect(missing.json<{ error: string }>().error).toContain('nope');
          const bad = await app.inject({ method: 'GET', url: '/api/experiments/Bad%20Id', headers: auth });
          expect(bad.statusCode).toBe(400);
          expect((await app.inject({ method: 'GET', url: '/api/experiments' })).statusCode).toBe(401);
        } finally {
          await app.close();
        }
      });
    });

    it('prints them with wirereport experiments [id] [--json]', async () => {
      const env = { ...location.env, WIREREPORT_URL: undefined };
      const all = await runCli(['experiments', '--json', '--local', '--config', file, ...location.args], env);
      expect(all.code).toBe(0);
      check(all.json<{ experiments: ExperimentReport[] }>().experiments);
      const one = await runCli(['experiments', 'emoji', '--local', '--config', file, ...location.args], env);
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(/^emoji \(running/);
      expect(one.stdout).toMatch(/\n {2}control\* +\d+/);
      expect(one.stdout).toMatch(/\n {2}no-emoji +\d+ .* p = \d/);
      const missing = await runCli(
        ['experiments', 'nope', '--local', '--config', file, ...location.args],
        env,
      );
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('no experiment "nope"');
      const bad = await runCli(['experiments', 'Bad Id', '--local', '--config', file, ...location.args], env);
      expect(bad.code).toBe(2);
    });
  });
});
