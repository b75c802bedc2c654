import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.ts';
import { UserInputError } from '../app/errors.ts';
import type { LlmWriteRequest } from '../write/llm/llm-writer.ts';
import { event, game, VOICES } from '../write/testkit.ts';
import {
  armRequest,
  assignArm,
  covers,
  type Experiment,
  experimentFor,
  experimentsFromConfig,
  fallbackOrder,
} from './experiments.ts';

function experiment(overrides: Partial<Experiment> = {}): Experiment {
  return {
    id: 'exp',
    description: '',
    accounts: 'all',
    kinds: 'all',
    minSignificance: 0,
    start: 1000,
    end: null,
    arms: [
      { id: 'control', weight: 1, phrasing: 0 },
      { id: 'b', weight: 1, phrasing: 0 },
    ],
    metric: { likes: 1, reposts: 1, replies: 1, quotes: 0 },
    minSamples: 30,
    test: 'welch',
    alpha: 0.05,
    ...overrides,
  };
}

describe('assignArm', () => {
  it('is a pure function of experiment, event and account', () => {
    const e = experiment();
    for (let i = 0; i < 50; i++) {
      const a = assignArm(e, `ev${i}`, 'acct');
      expect(assignArm(experiment(), `ev${i}`, 'acct')).toBe(a);
    }
    // Another experiment id reshuffles: over 200 pairs, some assignments differ.
    const other = experiment({ id: 'other' });
    const differ = Array.from({ length: 200 }, (_, i) => `ev${i}`).filter(
      (id) => assignArm(e, id, 'acct') !== assignArm(other, id, 'acct'),
    );
    expect(differ.length).toBeGreaterThan(50);
  });

  it('follows the weights, and never assigns an arm of weight 0', () => {
    const e = experiment({
      arms: [
        { id: 'control', weight: 1, phrasing: 0 },
        { id: 'paused', weight: 0, phrasing: 0 },
        { id: 'big', weight: 3, phrasing: 0 },
      ],
    });
    const n = 4000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[assignArm(e, `espn:1:play:${i}`, `a${i % 7}`)]!++;
    expect(counts[1]).toBe(0);
    // Binomial(n, 3/4): mean 3000, standard deviation about 27; allow four of them.
    const sd = Math.sqrt(n * 0.75 * 0.25);
    expect(Math.abs(counts[2]! - n * 0.75)).toBeLessThan(4 * sd);
    expect(counts[0]! + counts[2]!).toBe(n);
  });
});

describe('covers and experimentFor', () => {
  const at = (kind: 'score' | 'final', occurredAt: number) => ({ kind, occurredAt });

  it('checks account, kind, significance and the window (start inclusive, end exclusive)', () => {
    const e = experiment({ accounts: ['a'], kinds: ['final'], minSignificance: 0.5, start: 1000, end: 2000 });
    expect(covers(e, at('final', 1000), 'a', 0.5)).toBe(true);
    expect(covers(e, at('final', 1999), 'a', 0.9)).toBe(true);
    expect(covers(e, at('final', 2000), 'a', 0.9)).toBe(false);
    expect(covers(e, at('final', 999), 'a', 0.9)).toBe(false);
    expect(covers(e, at('score', 1500), 'a', 0.9)).toBe(false);
    expect(covers(e, at('final', 1500), 'b', 0.9)).toBe(false);
    expect(covers(e, at('final', 1500), 'a', 0.49)).toBe(false);
  });

  it('gives a pair to the first experiment that covers it', () => {
    const first = experiment({ id: 'first', accounts: ['a'] });
    const second = experiment({ id: 'second' });
    expect(experimentFor([first, second], at('score', 5000), 'a', 1)?.id).toBe('first');
    expect(experimentFor([first, second], at('score', 5000), 'b', 1)?.id).toBe('second');
    expect(experimentFor([first, second], at('score', 10), 'b', 1)).toBeUndefined();
  });

  it('falls back to the control first, then the other arms in order', () => {
    const e = experiment({
      arms: ['control', 'b', 'c', 'd'].map((id) => ({ id, weight: 1, phrasing: 0 })),
    });
    expect(fallbackOrder(e, 2)).toEqual([0, 1, 3]);
    expect(fallbackOrder(e, 0)).toEqual([1, 2, 3]);
  });
});

describe('armRequest', () => {
  const g = game(
    'nba',
    { id: '1', name: 'Knicks', location: 'New York', abbreviation: 'NY', score: 10 },
    { id: '2', name: 'Pacers', location: 'Indiana', abbreviation: 'IND', score: 12 },
    [],
    { period: 1, clock: '5:00' },
  );
  const base: LlmWriteRequest = {
    event: event(g, 'score'),
    significance: { score: 0.6, reasons: [], breaking: false },
    voice: VOICES[1]!,
    platform: 'x',
    teams: [],
    variant: 3,
    maxLength: 280,
    postId: 'p_3',
  };

  it("applies the arm's voice, phrasing and instruction and keeps the rest", () => {
    const r = armRequest(base, {
      id: 'calm',
      weight: 1,
      phrasing: 1,
      voice: { emoji: [], tone: 'neutral' },
      instruction: 'end on a question',
    });
    expect(r.voice.emoji).toEqual([]);
    expect(r.voice.tone).toBe('neutral');
    expect(r.voice.hashtags).toEqual(VOICES[1]!.hashtags);
    expect(r.variant).toBe(1);
    expect(r.instruction).toBe('end on a question');
    expect(r.postId).toBe('p_3');
    expect(base.voice.emoji.length).toBeGreaterThan(0);
  });

  it('is the base request (at phrasing 0) for an arm that changes nothing', () => {
    const r = armRequest(base, { id: 'control', weight: 1, phrasing: 0 });
    expect(r).toEqual({ ...base, variant: 0 });
  });
});

const YAML = (experiments: string, extra = '') => `
voices:
  - id: v
    persona: A desk.
accounts:
  - id: a
    platform: x
    handle: "@a"
    voice: v
    leagues: [nba]
${extra}
experiments:
${experiments}`;

function parseError(text: string): string {
  try {
    parseConfig(text, { file: '/tmp/exp.yaml', env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('experiments in the configuration', () => {
  it('parses with defaults and converts times', () => {
    const cfg = parseConfig(
      YAML(`  - id: e1
    start: "2025-01-01T00:00:00Z"
    arms: [{ id: control }, { id: plain, voice: { hashtags: [] }, weight: 2 }]`),
      { file: '/tmp/exp.yaml', env: {} },
    );
    const [e] = experimentsFromConfig(cfg.experiments);
    expect(e).toMatchObject({
      id: 'e1',
      accounts: 'all',
      kinds: 'all',
      start: Date.UTC(2025, 0, 1),
      end: null,
      metric: { likes: 1, reposts: 1, replies: 1, quotes: 0 },
      minSamples: 30,
      test: 'welch',
      alpha: 0.05,
    });
    expect(e!.arms).toEqual([
      { id: 'control', weight: 1, phrasing: 0 },
      { id: 'plain', weight: 2, phrasing: 0, voice: { hashtags: [] } },
    ]);
  });

  it('refuses bad experiments, naming file, line and path', () => {
    const start = 'start: "2025-01-01T00:00:00Z"';
    expect(parseError(YAML(`  - id: e1\n    ${start}\n    arms: [{ id: control }]`))).toMatch(
      /exp\.yaml:\d+: experiments\[0\]\.arms: expected at least two arms/,
    );
    expect(
      parseError(
        YAML(`  - id: e1\n    ${start}\n    accounts: [a, nobody]\n    arms: [{ id: c }, { id: d }]`),
      ),
    ).toMatch(/exp\.yaml:\d+: experiments\[0\]\.accounts\[1\]: no account "nobody"/);
    expect(
      parseError(YAML(`  - id: e1\n    ${start}\n    arms: [{ id: c }, { id: d, instruction: "be brief" }]`)),
    ).toMatch(/experiments\[0\]\.arms\[1\]\.instruction: an instruction needs an LLM writer/);
    expect(parseError(YAML(`  - id: e1\n    ${start}\n    arms: [{ id: c }, { id: c }]`))).toMatch(
      /experiments\[0\]\.arms\[1\]\.id: duplicate arm id "c"/,
    );
    expect(
      parseError(
        YAML(`  - id: e1\n    ${start}\n    end: "2024-01-01T00:00:00Z"\n    arms: [{ id: c }, { id: d }]`),
      ),
    ).toMatch(/experiments\[0\]\.end: expected an end after the start/);
    expect(parseError(YAML(`  - id: e1\n    start: yesterday\n    arms: [{ id: c }, { id: d }]`))).toMatch(
      /experiments\[0\]\.start: /,
    );
    expect(
      parseError(YAML(`  - id: e1\n    ${start}\n    arms: [{ id: c }, { id: d, colour: red }]`)),
    ).toMatch(/experiments\[0\]\.arms\[1\]: unknown key "colour"/);
    expect(
      parseError(YAML(`  - id: e1\n    ${start}\n    arms: [{ id: c, weight: 0 }, { id: d, weight: 0 }]`)),
    ).toMatch(/experiments\[0\]\.arms: expected at least one arm with a weight above 0/);
    expect(
      parseError(
        YAML(
          `  - id: e1\n    ${start}\n    arms: [{ id: c }, { id: d }]\n  - id: e1\n    ${start}\n    arms: [{ id: c }, { id: d }]`,
        ),
      ),
    ).toMatch(/experiments\[1\]\.id: duplicate experiment id "e1"/);
  });
});
