import { describe, expect, it } from 'vitest';
import type { Verdict } from '../domain/verdict.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import { createDeterministicWriter } from '../write/deterministic.ts';
import type { LlmWriteRequest } from '../write/llm/llm-writer.ts';
import { emojiIn, event, game, involved, player, VOICES } from '../write/testkit.ts';
import type { WriteRequest, Writer } from '../write/writer.ts';
import { assignArm, type Experiment } from './experiments.ts';
import { writeExperimentDraft, writePostDraft } from './experiments-write.ts';

const siakam = player('p1', 'Pascal Siakam', '11', { points: 31, rebounds: 7, assists: 4 });
const nba = game(
  'nba',
  { id: '18', name: 'Knicks', location: 'New York', abbreviation: 'NY', score: 102 },
  { id: '11', name: 'Pacers', location: 'Indiana', abbreviation: 'IND', score: 105 },
  [siakam],
  { period: 4, clock: '2:01' },
);
const hype = VOICES[1]!;

function request(id: string): LlmWriteRequest {
  const e = event(nba, 'score', {
    id,
    teamId: '11',
    scoreValue: 3,
    players: [involved(siakam)],
    text: 'Pascal Siakam makes 26-foot three point jumper',
  });
  return {
    event: e,
    significance: { score: 0.8, reasons: ['late'], breaking: false },
    voice: hype,
    platform: 'bluesky',
    teams: [],
    variant: 0,
    maxLength: 300,
    accountId: 'acct',
    postId: 'p_0',
  };
}

const emojiExperiment: Experiment = {
  id: 'emoji',
  description: '',
  accounts: 'all',
  kinds: 'all',
  minSignificance: 0,
  start: 0,
  end: null,
  arms: [
    { id: 'control', weight: 1, phrasing: 0 },
    { id: 'no-emoji', weight: 1, phrasing: 0, voice: { emoji: [] } },
    { id: 'alt', weight: 1, phrasing: 1, voice: { emoji: [], hashtags: [] } },
  ],
  metric: { likes: 1, reposts: 1, replies: 1, quotes: 0 },
  minSamples: 2,
  test: 'welch',
  alpha: 0.05,
};

const realVerify = (req: WriteRequest) => (text: string) =>
  verifyDraft({ text, ctx: { facts: req.event.game, event: req.event }, platform: req.platform });

/** The real verifier, and also a rejection of every text `refuse` matches (an arm we make fail). */
const verifyRefusing =
  (req: WriteRequest, refuse: (text: string) => boolean) =>
  (text: string): Verdict => {
    const v = realVerify(req)(text);
    return refuse(text) ? { ...v, ok: false, reasons: [...v.reasons, 'test:refused'] } : v;
  };

/** An event id whose assigned arm is `arm`. */
function eventAssigned(arm: number): string {
  for (let i = 0; ; i++) if (assignArm(emojiExperiment, `ev${i}`, 'acct') === arm) return `ev${i}`;
}

describe('writeExperimentDraft', () => {
  const writer = createDeterministicWriter();
  const postIdOf = (v: number) => `p_${v}`;

  it('writes and verifies one variant per arm, each in its arm’s voice, and serves the assigned arm', async () => {
    for (const assigned of [0, 1, 2]) {
      const req = request(eventAssigned(assigned));
      const out = await writeExperimentDraft(writer, req, emojiExperiment, 'acct', realVerify(req), postIdOf);
      expect(out.variants.map((v) => v.arm)).toEqual(['control', 'no-emoji', 'alt']);
      expect(out.variants.every((v) => v.verified)).toBe(true);
      expect(emojiIn(out.variants[0]!.text).length).toBeGreaterThan(0);
      expect(emojiIn(out.variants[1]!.text)).toEqual([]);
      expect(out.variants[2]!.text).not.toContain('#');
      expect(out.assignedArm).toBe(emojiExperiment.arms[assigned]!.id);
      expect(out.servedArm).toBe(out.assignedArm);
      expect(out.fallback).toBeNull();
      expect(out.variant).toBe(assigned);
      expect(out.draft.text).toBe(out.variants[assigned]!.text);
      expect(out.variants.filter((v) => v.served).map((v) => v.arm)).toEqual([out.assignedArm]);
    }
  });

  it('falls back to the control when the assigned arm is rejected, and records why', async () => {
    const req = request(eventAssigned(1));
    // Everything without emoji is refused: the no-emoji and alt arms fail, the control stands.
    const out = await writeExperimentDraft(
      writer,
      req,
      emojiExperiment,
      'acct',
      verifyRefusing(req, (t) => emojiIn(t).length === 0),
      postIdOf,
    );
    expect(out.assignedArm).toBe('no-emoji');
    expect(out.servedArm).toBe('control');
    expect(out.variant).toBe(0);
    expect(out.verdict.ok).toBe(true);
    expect(out.fallback).toMatch(/arm no-emoji rejected \(.*test:refused.*\); served arm control/);
    expect(out.variants.map((v) => [v.arm, v.verified, v.served])).toEqual([
      ['control', true, true],
      ['no-emoji', false, false],
      ['alt', false, false],
    ]);
  });

  it('falls back past a rejected control to the next verified arm', async () => {
    const req = request(eventAssigned(1));
    // Only the alt arm (no hashtags) passes.
    const out = await writeExperimentDraft(
      writer,
      req,
      emojiExperiment,
      'acct',
      verifyRefusing(req, (t) => t.includes('#')),
      postIdOf,
    );
    expect(out.servedArm).toBe('alt');
    expect(out.variant).toBe(2);
    expect(out.draft.text).not.toContain('#');
  });

  it('serves nothing when no arm verifies: the assigned draft is returned rejected', async () => {
    const req = request(eventAssigned(2));
    const out = await writeExperimentDraft(
      writer,
      req,
      emojiExperiment,
      'acct',
      verifyRefusing(req, () => true),
      postIdOf,
    );
    expect(out.servedArm).toBeNull();
    expect(out.verdict.ok).toBe(false);
    expect(out.variant).toBe(2);
    expect(out.fallback).toMatch(/no arm's draft verified \(arm alt: .*test:refused/);
    expect(out.variants.some((v) => v.served)).toBe(false);
  });

  it("gives each arm's write its own post id and the arm's instruction", async () => {
    const seen: LlmWriteRequest[] = [];
    const recording: Writer = {
      name: 'recording',
      async write(r) {
        seen.push(r as LlmWriteRequest);
        return writer.write(r);
      },
    };
    const withInstruction: Experiment = {
      ...emojiExperiment,
      arms: [
        emojiExperiment.arms[0]!,
        { id: 'ask', weight: 1, phrasing: 0, instruction: 'end on a question' },
      ],
    };
    const req = request('ev-instr');
    await writeExperimentDraft(recording, req, withInstruction, 'acct', realVerify(req), postIdOf);
    expect(seen.map((r) => [r.postId, r.variant, r.instruction])).toEqual([
      ['p_0', 0, undefined],
      ['p_1', 0, 'end on a question'],
    ]);
  });
});

describe('writePostDraft', () => {
  const writer = createDeterministicWriter();

  it('writes one verified draft, variant 0, outside experiments', async () => {
    const req = request('ev-plain');
    const out = await writePostDraft(writer, req, realVerify(req), {
      experiments: [{ ...emojiExperiment, accounts: ['someone-else'] }],
      accountId: 'acct',
      significance: 0.8,
      postIdOf: (v) => `p_${v}`,
    });
    expect(out.variant).toBe(0);
    expect(out.assignment).toBeUndefined();
    expect(out.verdict.ok).toBe(true);
  });

  it('records the assignment under the post id of the served variant', async () => {
    const req = request(eventAssigned(2));
    const out = await writePostDraft(writer, req, realVerify(req), {
      experiments: [emojiExperiment],
      accountId: 'acct',
      significance: 0.8,
      postIdOf: (v) => `post-${v}`,
    });
    expect(out.variant).toBe(2);
    expect(out.assignment).toMatchObject({
      postId: 'post-2',
      experimentId: 'emoji',
      accountId: 'acct',
      eventId: req.event.id,
      assignedArm: 'alt',
      servedArm: 'alt',
      fallback: null,
    });
  });
});
