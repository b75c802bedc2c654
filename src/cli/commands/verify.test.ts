import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixturePath, loadGame, NBA_FILE, NFL_FILE } from '../../verify/test-support.ts';
import { run } from './verify.ts';

const { facts } = loadGame(NBA_FILE, 'nba');
const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
const loser = winner === facts.home ? facts.away : facts.home;
const top = [...facts.players].sort((a, b) => (b.stats.points ?? 0) - (a.stats.points ?? 0))[0];
const points = top?.stats.points ?? 0;

async function cli(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: async (path) => files[path] ?? (await readFile(path, 'utf8')),
  });
  return { code, stdout, stderr };
}

const NBA = fixturePath(NBA_FILE);

describe('wirereport verify', () => {
  it('exits 0 and prints the JSON shape when every claim is supported (league from the header)', async () => {
    const text = `${winner.name} ${winner.score}, ${loser.name} ${loser.score}. ${top?.name} scored ${points} points.`;
    const { code, stdout, stderr } = await cli(['--facts', NBA, '--text', text, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(['checks', 'claims', 'ok']);
    expect(out.ok).toBe(true);
    expect(out.claims.length).toBeGreaterThanOrEqual(6);
    for (const c of out.claims) {
      expect(c).toEqual({
        kind: expect.any(String),
        text: text.slice(c.start, c.end),
        start: expect.any(Number),
        end: expect.any(Number),
        status: 'supported',
        groundedIn: expect.any(String),
      });
    }
    expect(out.checks.map((c: { check: string }) => c.check)).toEqual(['facts', 'placeholder', 'meta_text']);
  });

  it('exits 1 with the contradicted claim and its expected value; readable output without --json', async () => {
    const text = `${top?.name} scored ${points + 1} points.`;
    const json = await cli(['--facts', NBA, '--text', text, '--json', '--league', 'nba']);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out.ok).toBe(false);
    expect(out.claims.find((c: { status: string }) => c.status === 'contradicted')).toMatchObject({
      text: `${points + 1} points`,
      expected: `${top?.name} had ${points} points`,
    });
    const plain = await cli(['--facts', NBA, '--text-file', 'draft.txt'], { 'draft.txt': text });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('NOT OK');
    expect(plain.stdout).toContain(`BAD number`);
    expect(plain.stdout).toContain(`${top?.name} had ${points} points`);
  });

  it('checks the length when a platform is given, and works on the NFL summary', async () => {
    const nfl = loadGame(NFL_FILE, 'nfl').facts;
    const w = nfl.home.score > nfl.away.score ? nfl.home : nfl.away;
    const ok = await cli([
      '--facts',
      fixturePath(NFL_FILE),
      '--text',
      `${w.displayName} win.`,
      '--platform',
      'x',
    ]);
    expect(ok.code).toBe(0);
    const long = `${w.displayName} win. ${'🏈'.repeat(140)}`;
    const tooLong = await cli([
      '--facts',
      fixturePath(NFL_FILE),
      '--text',
      long,
      '--platform',
      'x',
      '--json',
    ]);
    expect(tooLong.code).toBe(1);
    expect(JSON.parse(tooLong.stdout).checks.find((c: { check: string }) => c.check === 'length').ok).toBe(
      false,
    );
  });

  it('exits 2 on bad input, naming the file and the field, without a stack trace', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--text', 'x'], {}, /--facts FILE is required/],
      [['--facts', NBA], {}, /--text TEXT or --text-file FILE/],
      [['--facts', NBA, '--text', 'a', '--text-file', 'b'], {}, /exactly one/],
      [
        ['--facts', '/nonexistent/summary.json', '--text', 'x'],
        {},
        /\/nonexistent\/summary\.json: cannot read/,
      ],
      [['--facts', 'bad.json', '--text', 'x'], { 'bad.json': '{ not json' }, /bad\.json: not valid JSON/],
      [['--facts', NBA, '--text-file', '/nonexistent/draft.txt'], {}, /draft\.txt: cannot read/],
      [['--facts', NBA, '--text', 'x', '--league', 'xfl'], {}, /unknown league/],
      [['--facts', NBA, '--text', 'x', '--bogus'], {}, /bogus/],
    ];
    for (const [argv, files, message] of cases) {
      const { code, stderr, stdout } = await cli(argv, files);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stdout).toBe('');
    }
  });

  it('exits 2 on a summary without a box score, naming the file and the field', async () => {
    const raw = JSON.parse(await readFile(NBA, 'utf8'));
    delete raw.boxscore;
    const { code, stderr } = await cli(['--facts', 'nobox.json', '--text', 'x'], {
      'nobox.json': JSON.stringify(raw),
    });
    expect(code).toBe(2);
    expect(stderr).toContain('nobox.json');
    expect(stderr).toContain('boxscore');
    const noLeague = { ...raw, boxscore: {}, header: { ...raw.header, league: undefined } };
    const league = await cli(['--facts', 'nl.json', '--text', 'x'], { 'nl.json': JSON.stringify(noLeague) });
    expect(league.code).toBe(2);
    expect(league.stderr).toMatch(/nl\.json: header\.league/);
  });
});

describe('wirereport verify --facts-format rotowire', () => {
  const ROTO = new URL(
    '../../../fixtures/factuality/accuracy_shared_task_dev/shared_task.jsonl',
    import.meta.url,
  ).pathname;
  const first = JSON.parse((readFileSync(ROTO, 'utf8').split('\n')[0] as string) ?? '{}');
  const home = first.home_line as Record<string, string>;
  const vis = first.vis_line as Record<string, string>;
  const [hs, vs] = [Number(home['TEAM-PTS']), Number(vis['TEAM-PTS'])];
  const winnerName = hs > vs ? first.home_name : first.vis_name;
  const loserName = hs > vs ? first.vis_name : first.home_name;
  const truth = `The ${winnerName} beat the ${loserName} ${Math.max(hs, vs)}-${Math.min(hs, vs)}.`;

  it('exits 0 on a true line chosen by --record, and by --game-id', async () => {
    const byIndex = await cli([
      '--facts',
      ROTO,
      '--facts-format',
      'rotowire',
      '--record',
      '0',
      '--text',
      truth,
    ]);
    expect(byIndex.stderr).toBe('');
    expect(byIndex.code).toBe(0);
    const byId = await cli([
      ...['--facts', ROTO, '--facts-format', 'rotowire', '--game-id', first.shared_task_text_id],
      ...['--text', truth, '--json'],
    ]);
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout).ok).toBe(true);
  });

  it('exits 1 with typed problems and their spans', async () => {
    const text = `The ${winnerName} beat the ${loserName} ${Math.max(hs, vs) + 2}-${Math.min(hs, vs)}.`;
    const { code, stdout } = await cli([
      '--facts',
      ROTO,
      '--facts-format',
      'rotowire',
      '--record',
      '0',
      '--text',
      text,
      '--json',
    ]);
    expect(code).toBe(1);
    const bad = JSON.parse(stdout).claims.filter((c: { status: string }) => c.status !== 'supported');
    expect(bad).toEqual([
      expect.objectContaining({
        type: 'NUMBER',
        status: 'contradicted',
        text: text.slice(bad[0].start, bad[0].end),
      }),
    ]);
    // Only the wrong number of the score is the mistake; the loser's score is right.
    expect(text.slice(bad[0].start, bad[0].end)).toBe(`${Math.max(hs, vs) + 2}`);
  });

  it('exits 2 naming the file when the line is not chosen, out of range, or the format is unknown', async () => {
    const many = await cli(['--facts', ROTO, '--facts-format', 'rotowire', '--text', truth]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain(`${ROTO}: 60 records`);
    const range = await cli([
      '--facts',
      ROTO,
      '--facts-format',
      'rotowire',
      '--record',
      '99',
      '--text',
      truth,
    ]);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--record 99');
    const one = await cli(['--facts', 'one.jsonl', '--facts-format', 'rotowire', '--text', truth], {
      'one.jsonl': JSON.stringify({ ...first, vis_line: { ...vis, 'TEAM-PTS': 'many' } }),
    });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('one.jsonl: line 1: vis_line.TEAM-PTS');
    const format = await cli(['--facts', ROTO, '--facts-format', 'csv', '--text', truth]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--facts-format');
  });
});
