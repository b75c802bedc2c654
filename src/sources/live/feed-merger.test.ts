import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GameEvent } from '../../domain/index.ts';
import { parseEspnSummary } from '../espn/summary.ts';
import { FeedMerger, sharedKey } from './feed-merger.ts';

const final = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/espn/nba_summary_401772994_IND-NYK_2025-05-31.json', import.meta.url),
    'utf8',
  ),
);
const { events: espn, facts } = parseEspnSummary(final, { league: 'nba' });
const scoring = espn.filter((e) => e.scoreValue > 0);
// The disagreement: the liveData feed counts this two-pointer as a three.
const disputed = scoring.findIndex((e, i) => i > 20 && e.scoreValue === 2 && e.players.length > 0);

/**
 * The liveData feed's report of the game's scoring plays: the same moments,
 * its own ids and abbreviated names, and from the disputed play on one point
 * more for that play's team (so every later score differs from ESPN's).
 */
function liveDataReport(): GameEvent[] {
  const team = scoring[disputed]!.teamId;
  const side = team === facts.away.id ? 'awayScore' : 'homeScore';
  return scoring.map((e, i) => {
    const players = e.players.map((p) => ({ ...p, name: `${p.name[0]}. ${p.name.split(' ').at(-1)}` }));
    const out: GameEvent = { ...e, id: `nbalive:${i}`, source: 'nbalive', players };
    if (i >= disputed) out[side] += 1;
    if (i === disputed) out.scoreValue = 3;
    return out;
  });
}

describe('feed merger', () => {
  it('hands each scoring moment once when the feeds disagree about a score, ESPN first', () => {
    expect(disputed).toBeGreaterThan(0);
    const merger = new FeedMerger(facts.gameId);
    const fromEspn = merger.fromEspn(espn);
    expect(fromEspn.filter((e) => e.scoreValue > 0)).toHaveLength(scoring.length);
    // Every liveData report, the shifted ones included, is a moment ESPN already brought.
    expect(merger.fromNbaLive(liveDataReport(), facts)).toEqual([]);
  });

  it('hands each scoring moment once when the feeds disagree about a score, liveData first', () => {
    const merger = new FeedMerger(facts.gameId);
    const live = liveDataReport();
    // liveData runs ahead: it brings the moments up to a little after the disputed one first.
    const ahead = live.slice(0, disputed + 5);
    const first = merger.fromNbaLive(ahead, facts);
    expect(first).toHaveLength(ahead.length);
    const fromEspn = merger.fromEspn(espn);
    const later = merger.fromNbaLive(live.slice(disputed + 5), facts);
    const handed = [...first, ...fromEspn, ...later].filter((e) => e.scoreValue > 0);
    expect(handed).toHaveLength(scoring.length);
    // The moments liveData did not bring come from ESPN, under ESPN's scores.
    const espnScoring = fromEspn.filter((e) => e.scoreValue > 0);
    expect(espnScoring.map((e) => sharedKey(e))).toEqual(
      scoring.slice(disputed + 5).map((e) => sharedKey(e)),
    );
    expect(later).toEqual([]);
    // Other plays pass through.
    expect(fromEspn.filter((e) => e.scoreValue === 0).length).toBe(
      espn.filter((e) => e.scoreValue === 0).length,
    );
  });

  it('keeps a scoring moment whose scorer differs from that of the nearby moment of the other feed', () => {
    const merger = new FeedMerger(facts.gameId);
    const play = scoring[disputed]!;
    merger.fromEspn([play]);
    const other = espn.find(
      (e) => e.players[0] && e.players[0].name !== play.players[0]?.name && e.teamId === play.teamId,
    );
    expect(other).toBeDefined();
    const distinct: GameEvent = {
      ...play,
      id: 'nbalive:x',
      source: 'nbalive',
      awayScore: play.awayScore + 40,
      players: [other!.players[0]!],
    };
    expect(merger.fromNbaLive([distinct], facts)).toHaveLength(1);
  });
});
