import { describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../publish/platform.ts';
import type { PostPart } from '../store/parts.ts';
import { loadGame, NBA_FILE } from '../verify/test-support.ts';
import { verifyDraft } from '../verify/verify-draft.ts';
import { VOICES } from '../write/testkit.ts';
import type { WriteRequest } from '../write/writer.ts';
import { planThread } from './thread-plan.ts';
import { shapeThread } from './thread-publisher.ts';

const { events } = loadGame(NBA_FILE, 'nba');
const final = events.find((e) => e.kind === 'final')!;
const request: WriteRequest = {
  event: final,
  significance: { score: 1, breaking: true, reasons: [] },
  voice: VOICES[0]!,
  platform: 'mastodon',
  teams: [],
  variant: 0,
  maxLength: 500,
};
const leadText = 'Final: Pacers beat the Knicks, 125-108.';
const lead = {
  text: leadText,
  templateId: 'final.beat',
  verdict: verifyDraft({ text: leadText, ctx: { facts: final.game, event: final }, platform: 'mastodon' }),
};
const plan = (extra: Partial<Parameters<typeof planThread>[0]> = {}) =>
  planThread({
    account: { threads: { finals: true } },
    request,
    lead,
    ctx: { facts: final.game, event: final },
    recentTexts: [],
    voice: { avoidWords: [] },
    ...extra,
  });

describe('planning a thread', () => {
  it('only for accounts that want threads of finals, and only after the lead passed', () => {
    expect(lead.verdict.ok).toBe(true);
    expect(plan({ account: {} })).toBeNull();
    expect(plan({ account: { threads: { finals: false } } })).toBeNull();
    expect(plan({ lead: { ...lead, verdict: { ...lead.verdict, ok: false } } })).toBeNull();
    const other = events.find((e) => e.kind !== 'final')!;
    expect(plan({ request: { ...request, event: other } })).toBeNull();
  });

  it('keeps every verified part, the lead as part 0', () => {
    const p = plan()!;
    expect(p.verdict.ok).toBe(true);
    expect(p.parts.map((x) => x.idx)).toEqual([0, 1, 2, 3]);
    expect(p.parts[0]!.text).toBe(leadText);
    expect(p.note).toBe('thread of 4 post(s)');
  });

  it('drops a part that fails a check other than the facts, and numbers the rest without gaps', () => {
    const p = plan({ voice: { avoidWords: ['Anunoby'] } })!;
    expect(p.verdict.ok).toBe(true);
    expect(p.parts.map((x) => x.idx)).toEqual([0, 1, 2]);
    expect(p.parts.some((x) => x.text.includes('Anunoby'))).toBe(false);
    expect(p.note).toMatch(/dropped part 2 \(thread\.performers\): banned_terms/);
  });

  it('rejects the whole post when a part contradicts the facts', () => {
    // The facts checked say Siakam scored 29: the part written from the event (31) contradicts them.
    const facts = structuredClone(final.game);
    const siakam = facts.players.find((x) => x.name === 'Pascal Siakam')!;
    siakam.stats.points = 29;
    const p = plan({ ctx: { facts, event: { ...final, game: facts } } })!;
    expect(p.verdict.ok).toBe(false);
    expect(p.verdict.reasons.some((r) => r.startsWith('thread:contradicted'))).toBe(true);
    expect(p.parts).toEqual([]);
    expect(p.note).toMatch(/contradicts the facts/);
  });
});

describe('a thread on a platform without threads', () => {
  const part = (idx: number, text: string): PostPart => ({
    idx,
    text,
    templateId: null,
    verdict: null,
    platformPostId: null,
    url: null,
    publishedAt: null,
  });
  const parts = [
    part(0, 'lead'),
    part(1, 'a'.repeat(900)),
    part(2, 'b'.repeat(900)),
    part(3, 'c'.repeat(300)),
  ];
  const flat: Pick<PlatformAdapter, 'capabilities'> = {
    capabilities: { threads: false, images: true, canFind: false },
  };

  it('goes out as a chain where the adapter has threads', () => {
    expect(
      shapeThread('lead', parts, { capabilities: { ...flat.capabilities!, threads: true } }, 'discord'),
    ).toEqual({
      kind: 'chain',
    });
  });

  it('is one message: the lead and the whole parts that fit, in order, else the lead alone', () => {
    const discord = shapeThread('Lead text.', parts, flat, 'discord');
    expect(discord).toEqual({
      kind: 'single',
      text: `Lead text.\n\n${'a'.repeat(900)}\n\n${'b'.repeat(900)}`,
      joined: 2,
    });
    expect(shapeThread('Lead text.', parts, flat, 'x')).toEqual({
      kind: 'single',
      text: 'Lead text.',
      joined: 0,
    });
  });
});
