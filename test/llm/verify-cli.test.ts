import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/verify.ts';
import { fixturePath, loadGame, NBA_FILE } from '../../src/verify/test-support.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/llm/fake-openai.ts';

const NBA = fixturePath(NBA_FILE);
const { facts } = loadGame(NBA_FILE, 'nba');
const winner = facts.home.score > facts.away.score ? facts.home : facts.away;
const loser = winner === facts.home ? facts.away : facts.home;
const text = `${winner.name} ${winner.score}, ${loser.name} ${loser.score}. A stunning comeback in front of the home crowd.`;

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  fake.faults.length = 0;
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: (path) => readFile(path, 'utf8'),
    env,
  });
  return { code, stdout, stderr };
}

const env = () => ({
  WIREREPORT_VERIFY_BASE_URL: `${fake.url}/v1`,
  WIREREPORT_VERIFY_MODEL: 'gpt-5-nano',
  WIREREPORT_VERIFY_API_KEY: 'sk-test',
  WIREREPORT_VERIFY_TIMEOUT_SECONDS: '5',
});

describe('wirereport verify --llm', () => {
  it('says how to configure a model when none is, and exits 2', async () => {
    const { code, stderr } = await cli(['--facts', NBA, '--text', text, '--llm']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no model configured.*WIREREPORT_VERIFY_MODEL/);
    const partial = await cli(['--facts', NBA, '--text', text, '--llm'], { WIREREPORT_VERIFY_MODEL: 'x' });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/WIREREPORT_VERIFY_API_KEY: required/);
    const stray = await cli(['--facts', NBA, '--text', text, '--withdraw']);
    expect(stray.code).toBe(2);
  });

  it("adds the model's placed findings as claims from the llm, with cost and latency", async () => {
    const seen: Record<string, unknown>[] = [];
    fake.respond = (request) => {
      seen.push(request);
      return JSON.stringify({
        mistakes: [
          {
            quote: 'stunning comeback',
            context: 'A stunning comeback in front',
            type: 'WORD',
            reason: 'led all game',
          },
          { quote: 'overtime thriller', type: 'WORD', reason: 'not in the text' },
        ],
      });
    };
    const before = await cli(['--facts', NBA, '--text', text, '--json']);
    expect(before.code).toBe(0);
    const { code, stdout, stderr } = await cli(['--facts', NBA, '--text', text, '--json', '--llm'], env());
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(out.ok).toBe(false);
    const llm = out.claims.filter((c: { source?: string }) => c.source === 'llm');
    expect(llm).toEqual([
      {
        kind: 'word',
        text: 'stunning comeback',
        start: text.indexOf('stunning comeback'),
        end: text.indexOf('stunning comeback') + 'stunning comeback'.length,
        status: 'contradicted',
        type: 'WORD',
        expected: 'LLM: led all game',
        source: 'llm',
      },
    ]);
    expect(out.llm).toMatchObject({ provider: 'openai-compatible', model: 'gpt-5-nano', ok: true });
    expect(out.llm.usdMicros).toBeGreaterThan(0);
    expect(out.llm.dropped).toEqual([{ quote: 'overtime thriller', why: 'not_found' }]);
    // The model saw the text, the findings and the facts as data.
    const request = seen.at(-1)!;
    expect(request.text).toBe(text);
    expect(request.findings).toEqual([]);
    expect((request.facts as { teams: unknown[] }).teams).toHaveLength(2);
    const readable = await cli(['--facts', NBA, '--text', text, '--llm'], env());
    expect(readable.stdout).toMatch(/BAD llm WORD\s+\[\d+-\d+\] "stunning comeback" — led all game/);
  });

  it('keeps the deterministic result when the provider keeps failing', async () => {
    fake.respond = () => JSON.stringify({ mistakes: [{ quote: 'stunning comeback', type: 'WORD' }] });
    fake.faults.push('server_error', 'server_error', 'server_error');
    const { code, stdout } = await cli(['--facts', NBA, '--text', text, '--json', '--llm'], env());
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.ok).toBe(true);
    expect(out.llm).toMatchObject({ ok: false, reason: 'error' });
  }, 30_000);
});
