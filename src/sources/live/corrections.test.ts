import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEspnSummary } from '../espn/index.ts';
import { correctionEvents } from './corrections.ts';
import { PlayDiffer } from './play-differ.ts';

const final = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url),
    'utf8',
  ),
);
const { events, facts } = parseEspnSummary(final, { league: 'nba' });

describe('correctionEvents', () => {
  it('folds the follow-on changes of later plays into one correction per re-valued play', () => {
    const differ = new PlayDiffer({ stablePolls: 1 });
    differ.next(events.slice(0, 200));
    const k = events.findIndex((e, i) => i > 100 && e.kind === 'score' && e.scoreValue === 2);
    // The scorer makes play k a three: it and every later play gain a home point.
    const edited = events.slice(0, 200).map((e, i) => (i >= k ? { ...e, homeScore: e.homeScore + 1 } : e));
    const diff = differ.next(edited);
    expect(diff.corrections.length).toBe(200 - k);
    const out = correctionEvents(diff.corrections, facts, 1234);
    expect(out).toHaveLength(1);
    const [event] = out;
    expect(event).toMatchObject({
      id: `${events[k]!.id}:correction:${events[k]!.awayScore}-${events[k]!.homeScore + 1}`,
      kind: 'score_correction',
      occurredAt: 1234,
      awayScore: facts.away.score,
      homeScore: facts.home.score,
      game: facts,
      detail: {
        correctedEventId: events[k]!.id,
        previousHomeScore: events[k]!.homeScore,
        correctedHomeScore: events[k]!.homeScore + 1,
        homeShift: 1,
        awayShift: 0,
        playPeriod: events[k]!.period,
        playClock: events[k]!.clock,
      },
    });
  });

  it('keeps two re-valued plays apart when their shifts differ', () => {
    const differ = new PlayDiffer({ stablePolls: 1 });
    differ.next(events.slice(0, 300));
    const a = events.findIndex((e, i) => i > 100 && e.kind === 'score');
    const b = events.findIndex((e, i) => i > 200 && e.kind === 'score');
    const edited = events.slice(0, 300).map((e, i) => ({
      ...e,
      homeScore: e.homeScore + (i >= a ? 1 : 0) + (i >= b ? 1 : 0),
    }));
    const out = correctionEvents(differ.next(edited).corrections, facts, 0);
    expect(out.map((e) => e.detail.correctedEventId)).toEqual([events[a]!.id, events[b]!.id]);
    expect(out.map((e) => e.detail.homeShift)).toEqual([1, 2]);
  });
});
