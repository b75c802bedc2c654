import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameEvent } from '../src/domain/event.ts';
import type { GameFacts } from '../src/domain/facts.ts';
import { parseEspnSummary } from '../src/sources/espn/summary.ts';
import { readFacts } from '../src/store/facts-snapshot.ts';
import { extractClaims } from '../src/verify/extract-claims.ts';
import { runCli } from './support/cli.ts';
import { type TestLocation, testLocation } from './support/store.ts';

const NBA = 'fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json';
const NFL = 'fixtures/espn/nfl_summary_401547417_GB-ATL_2023-09-17.json';
const CONFIG = 'demo/wirereport.yaml';

interface Summary {
  events: number;
  drafts: number;
  verified: number;
  rejected: Record<string, number>;
  queued: number;
  published: number;
  posts: { account: string; platform: string; text: string; eventId: string; significance: number }[];
  latencyMs: { p50: number; p95: number; p99: number };
}

describe('replay of the recorded NBA and NFL games', () => {
  let location: TestLocation;
  let first: Summary;

  beforeAll(async () => {
    location = await testLocation();
    const run = await runCli(
      ['replay', NBA, NFL, '--config', CONFIG, '--json', ...location.args],
      location.env,
    );
    expect(run.stderr).toContain('replay [');
    expect(run.code).toBe(0);
    first = run.json<Summary>();
  });
  afterAll(async () => {
    await location.dispose();
  });

  it('publishes posts for the accounts that follow each league', () => {
    expect(first.events).toBeGreaterThan(600);
    expect(first.published).toBeGreaterThan(20);
    const accounts = new Set(first.posts.map((p) => p.account));
    // NBA followers and NFL followers both got posts; the WNBA desk has no game.
    for (const id of ['nba-hype', 'pacers', 'knicks', 'nfl-desk', 'falcons']) expect(accounts).toContain(id);
    expect(accounts).not.toContain('wnba-desk');
    for (const p of first.posts) {
      if (p.account === 'falcons') expect(p.eventId).toContain('401547417');
      if (p.account === 'pacers' || p.account === 'knicks') expect(p.eventId).toContain('401772994');
    }
    expect(first.latencyMs.p50).toBeGreaterThan(0);
  });

  it('publishes nothing twice, on the outbox itself', async () => {
    const store = await location.open();
    try {
      const messages = await store.db.selectFrom('outbox_messages').selectAll().execute();
      expect(messages.length).toBe(first.published);
      const keys = new Set(messages.map((m) => `${m.account_id}\u0000${m.text}`));
      expect(keys.size).toBe(messages.length);
      const published = await store.db
        .selectFrom('posts')
        .select('id')
        .where('status', '=', 'published')
        .execute();
      expect(published.length).toBe(messages.length);
    } finally {
      await store.close();
    }
  });

  it('grounds every fact of every published post in the facts it was written from', async () => {
    const finals = new Map<string, GameFacts>();
    for (const file of [NBA, NFL]) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      const league = file.includes('nba') ? 'nba' : 'nfl';
      const parsed = parseEspnSummary(json, { league });
      finals.set(parsed.facts.gameId, parsed.facts);
    }
    const store = await location.open();
    try {
      const rows = await store.db
        .selectFrom('posts')
        .innerJoin('events', 'events.id', 'posts.event_id')
        .innerJoin('fact_snapshots', 'fact_snapshots.hash', 'events.facts_hash')
        .select([
          'posts.text',
          'events.payload',
          'fact_snapshots.facts',
          'fact_snapshots.facts_deflated',
          'events.kind',
          'events.game_id',
        ])
        .where('posts.status', '=', 'published')
        .execute();
      expect(rows.length).toBe(first.published);
      for (const row of rows) {
        const facts = readFacts(row)!;
        const event = { ...(row.payload as unknown as GameEvent), game: facts };
        const claims = extractClaims(row.text, { facts, event });
        const wrong = claims.filter((c) => c.status !== 'supported');
        expect(wrong, row.text).toEqual([]);
        if (row.kind === 'final') {
          // A final is also checked against the box score of the finished game.
          const finalFacts = finals.get(row.game_id)!;
          const againstBox = extractClaims(row.text, { facts: finalFacts });
          expect(
            againstBox.filter((c) => c.status === 'contradicted'),
            row.text,
          ).toEqual([]);
        }
      }
    } finally {
      await store.close();
    }
  });

  it('lists the stored games when no engine is running', async () => {
    const run = await runCli(['games', '--json', '--config', CONFIG, ...location.args], {
      ...location.env,
      WIREREPORT_URL: 'http://127.0.0.1:9',
    });
    expect(run.code).toBe(0);
    const body = run.json<{ source: string; games: { gameId: string; state: string; lastPlay: string }[] }>();
    expect(body.source).toMatch(/store/);
    expect(body.games.map((g) => [g.gameId, g.state]).sort()).toEqual([
      ['espn:401547417', 'post'],
      ['espn:401772994', 'post'],
    ]);
    const nfl = await runCli(['games', '--league', 'nfl', '--json', '--config', CONFIG, ...location.args], {
      ...location.env,
      WIREREPORT_URL: 'http://127.0.0.1:9',
    });
    expect(nfl.json<{ games: unknown[] }>().games).toHaveLength(1);
  });

  it('publishes nothing new when the same games are replayed on the same data', async () => {
    const again = await runCli(
      ['replay', NBA, NFL, '--config', CONFIG, '--json', ...location.args],
      location.env,
    );
    expect(again.code).toBe(0);
    const summary = again.json<Summary & { duplicateEvents: number }>();
    expect(summary.published).toBe(0);
    expect(summary.drafts).toBe(0);
    expect(summary.duplicateEvents).toBe(summary.events);
  });
});

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirereport-bad-'));

  it('truncated JSON names the file, exits 2 and writes nothing', async () => {
    const location = await testLocation();
    try {
      const file = join(dir, 'truncated.json');
      writeFileSync(file, readFileSync(NBA, 'utf8').slice(0, 5000));
      const run = await runCli(['replay', file, '--config', CONFIG, ...location.args], location.env);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('truncated.json');
      expect(run.stderr).toMatch(/invalid JSON/);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const store = await location.open();
      try {
        const events = await store.db.selectFrom('events').select('id').execute();
        expect(events).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await location.dispose();
    }
  });

  it('a summary without a box score names the field', async () => {
    const file = join(dir, 'nobox.json');
    const json = JSON.parse(readFileSync(NBA, 'utf8'));
    delete json.boxscore;
    writeFileSync(file, JSON.stringify(json));
    const run = await runCli(['replay', file, '--config', CONFIG]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nobox.json');
    expect(run.stderr).toContain('boxscore');
  });

  it('a configuration with an unknown platform names the file, line and path', async () => {
    const file = join(dir, 'bad-platform.yaml');
    writeFileSync(file, readFileSync(CONFIG, 'utf8').replace('platform: telegram', 'platform: myspace'));
    const run = await runCli(['replay', NBA, '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad-platform\.yaml:\d+: accounts\[3\]\.platform: expected one of x, bluesky/);
  });

  it('a configuration referring to a missing environment variable names it', async () => {
    const file = join(dir, 'missing-env.yaml');
    writeFileSync(
      file,
      `${readFileSync(CONFIG, 'utf8')}\ncredentials:\n  x-main:\n    platform: x\n    secrets:\n      appKey: { env: WIREREPORT_TEST_UNSET_KEY }\n`,
    );
    const run = await runCli(['replay', NBA, '--config', file], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'credentials.x-main.secrets.appKey: environment variable WIREREPORT_TEST_UNSET_KEY is not set',
    );
  });
});
