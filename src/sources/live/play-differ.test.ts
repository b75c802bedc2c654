import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GameEvent } from '../../domain/index.ts';
import { parseEspnSummary } from '../espn/index.ts';
import { PlayDiffer } from './play-differ.ts';

const file = 'nba_summary_401772994_IND-NYK_2025-05-31.json';
const json = JSON.parse(readFileSync(new URL(`../../../fixtures/espn/${file}`, import.meta.url), 'utf8'));
const { events } = parseEspnSummary(json, { league: 'nba', file });
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);
const rescored = (event: GameEvent, awayScore: number, homeScore: number): GameEvent => ({
  ...event,
  awayScore,
  homeScore,
});

describe('PlayDiffer', () => {
  it('reports each play once over growing prefixes re-sent in full', () => {
    const differ = new PlayDiffer();
    const seen: string[] = [];
    for (let n = 0; n <= events.length; n += 37) seen.push(...ids(differ.next(events.slice(0, n)).added));
    seen.push(...ids(differ.next(events).added));
    expect(seen).toEqual(ids(events));
    expect(differ.next(events)).toEqual({ added: [], corrections: [], removed: [] });
  });

  it('ignores reordering and text edits, and lists new plays in feed order', () => {
    const differ = new PlayDiffer();
    differ.next(events.slice(0, 50));
    const shuffled = [...events.slice(0, 60)]
      .reverse()
      .map((e, i) => (i % 2 ? { ...e, text: `${e.text}!` } : e));
    const { added, corrections, removed } = differ.next(shuffled);
    expect(ids(added)).toEqual(ids(events.slice(50, 60)).reverse());
    expect(corrections).toEqual([]);
    expect(removed).toEqual([]);
  });

  it('reports a score correction only after it held for N consecutive polls', () => {
    const differ = new PlayDiffer({ stablePolls: 3 });
    const scoring = events.findIndex((e) => e.scoreValue > 0);
    const play = events[scoring]!;
    differ.next(events.slice(0, scoring + 5));
    const corrected = events
      .slice(0, scoring + 5)
      .map((e) => (e.id === play.id ? rescored(e, e.awayScore + 1, e.homeScore) : e));
    // A flicker of two polls that reverts is never reported.
    expect(differ.next(corrected).corrections).toEqual([]);
    expect(differ.next(corrected).corrections).toEqual([]);
    expect(differ.next(events.slice(0, scoring + 5)).corrections).toEqual([]);
    // Three stable polls are.
    expect(differ.next(corrected).corrections).toEqual([]);
    expect(differ.next(corrected).corrections).toEqual([]);
    const third = differ.next(corrected);
    expect(third.added).toEqual([]);
    expect(third.corrections).toHaveLength(1);
    expect(third.corrections[0]).toMatchObject({
      eventId: play.id,
      previous: { awayScore: play.awayScore, homeScore: play.homeScore },
      current: { awayScore: play.awayScore + 1, homeScore: play.homeScore },
      stablePolls: 3,
    });
    // Reported once: the corrected score is now the reference.
    expect(differ.next(corrected).corrections).toEqual([]);
  });

  it('restarts the count when the score changes to yet another value', () => {
    const differ = new PlayDiffer({ stablePolls: 2 });
    const play = events[10]!;
    differ.next([play]);
    expect(differ.next([rescored(play, 1, 1)]).corrections).toEqual([]);
    expect(differ.next([rescored(play, 2, 2)]).corrections).toEqual([]);
    expect(differ.next([rescored(play, 2, 2)]).corrections.map((c) => c.current)).toEqual([
      { awayScore: 2, homeScore: 2 },
    ]);
  });

  it('notices a removed play after N polls without it, once, and does not re-add it when restored', () => {
    const differ = new PlayDiffer({ stablePolls: 2 });
    const list = events.slice(0, 20);
    differ.next(list);
    const without = list.filter((_, i) => i !== 7);
    expect(differ.next(without).removed).toEqual([]);
    const gone = differ.next(without).removed;
    expect(gone.map((r) => r.eventId)).toEqual([list[7]!.id]);
    expect(differ.next(without).removed).toEqual([]);
    expect(differ.next(list)).toEqual({ added: [], corrections: [], removed: [] });
  });
});
