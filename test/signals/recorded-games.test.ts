// biome-ignore-all lint/suspicious/noExplicitAny: tests read the raw ESPN JSON to derive expectations
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScoredEvent } from '../../src/signals/index.ts';
import { GameTracker, scoreGame } from '../../src/signals/index.ts';
import { parseEspnSummary } from '../../src/sources/espn/summary.ts';

const NBA = 'nba_summary_401772994_IND-NYK_2025-05-31.json';
const NFL = 'nfl_summary_401547417_GB-ATL_2023-09-17.json';

function raw(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/espn/${name}`, import.meta.url), 'utf8'));
}
function rawPlays(json: any): any[] {
  return json.plays ?? json.drives.previous.flatMap((d: any) => d.plays);
}

/** Swing per play id, in percentage points, straight from `winprobability[]` in play order. */
function rawSwings(json: any): Map<string, number> {
  const wp = new Map<string, number>(json.winprobability.map((w: any) => [w.playId, w.homeWinPercentage]));
  const out = new Map<string, number>();
  let previous: number | undefined;
  for (const play of rawPlays(json)) {
    const now = wp.get(play.id);
    if (now === undefined) continue;
    if (previous !== undefined) out.set(play.id, (now - previous) * 100);
    previous = now;
  }
  return out;
}

const playId = (eventId: string) => eventId.split(':')[3]!;
const rank = (scored: ScoredEvent[], id: string) =>
  [...scored].sort((a, b) => b.significance.score - a.significance.score).findIndex((s) => s.event.id === id);

describe.each([
  ['NBA', NBA],
  ['NFL', NFL],
])('win probability on the %s recording', (_name, file) => {
  const json = raw(file);
  const { events } = parseEspnSummary(json, {});
  const scored = scoreGame(events);
  const swings = rawSwings(json);

  it('carries the home win probability and the swing since the previous play into each event', () => {
    const wp = new Map<string, number>(json.winprobability.map((w: any) => [w.playId, w.homeWinPercentage]));
    let checked = 0;
    for (const e of events) {
      const id = playId(e.id);
      if (!wp.has(id)) continue;
      // Rounded to one decimal of a percent.
      expect(Math.abs(Number(e.detail.homeWinPct) - wp.get(id)! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
      if (swings.has(id))
        expect(Math.abs(Number(e.detail.homeWinSwing) - swings.get(id)!)).toBeLessThanOrEqual(0.051);
      checked++;
    }
    expect(checked).toBe(rawPlays(json).filter((p: any) => wp.has(p.id)).length);
    expect(checked).toBeGreaterThan(150);
  });

  it('ranks the biggest swings among scoring plays in the top tenth of the game', () => {
    const scoring = new Set(
      rawPlays(json)
        .filter((p: any) => p.scoringPlay)
        .map((p: any) => p.id),
    );
    const biggest = [...swings]
      .filter(([id]) => scoring.has(id))
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, 4);
    expect(biggest.length).toBe(4);
    for (const [id, swing] of biggest) {
      const event = events.find((e) => playId(e.id) === id)!;
      const at = rank(scored, event.id);
      expect(at, `${event.text} (${swing.toFixed(1)} points)`).toBeLessThan(scored.length / 10);
      const s = scored.find((x) => x.event.id === event.id)!.significance;
      const toward = swing > 0 ? event.game.home.name : event.game.away.name;
      expect(s.reasons).toContain(
        `win probability swung ${Math.round(Math.abs(swing))} points to the ${toward}`,
      );
    }
  });

  it('weighs a scoring play by its swing: of two equal plays, the bigger swing scores higher', () => {
    const byKind = new Map<string, ScoredEvent[]>();
    for (const s of scored) {
      if (!swings.has(playId(s.event.id)) || s.event.id.split(':').length > 4) continue;
      if (s.event.kind === 'play') continue;
      // Same kind, points and period: only the swing (and the clock) differs.
      const key = `${s.event.kind}:${s.event.scoreValue}:${s.event.period}`;
      byKind.set(key, [...(byKind.get(key) ?? []), s]);
    }
    let pairs = 0;
    for (const group of byKind.values()) {
      const sorted = group.sort(
        (a, b) =>
          Math.abs(Number(b.event.detail.homeWinSwing)) - Math.abs(Number(a.event.detail.homeWinSwing)),
      );
      const [top, bottom] = [sorted[0]!, sorted.at(-1)!];
      const gap =
        Math.abs(Number(top.event.detail.homeWinSwing)) - Math.abs(Number(bottom.event.detail.homeWinSwing));
      if (gap < 5 || top.event.period >= 4) continue;
      expect(top.significance.score, `${top.event.text} vs ${bottom.event.text}`).toBeGreaterThan(
        bottom.significance.score,
      );
      pairs++;
    }
    expect(pairs).toBeGreaterThan(0);
  });
});

describe('garbage time on the NBA recording', () => {
  const json = raw(NBA);
  const { events } = parseEspnSummary(json, {});
  const scored = scoreGame(events);
  const wp = new Map<string, number>(json.winprobability.map((w: any) => [w.playId, w.homeWinPercentage]));

  it('scores plays in a decided 4th quarter (a side 97% or more to win) low, below the early swings', () => {
    const decided = scored.filter((s) => {
      const p = wp.get(playId(s.event.id));
      return (
        s.event.period === 4 &&
        p !== undefined &&
        Math.max(p, 1 - p) >= 0.97 &&
        ['score', 'turnover', 'run', 'lead_change', 'tie'].includes(s.event.kind)
      );
    });
    expect(decided.length).toBeGreaterThan(20);
    for (const s of decided) {
      expect(s.significance.score, s.event.text).toBeLessThan(0.1);
      expect(s.significance.reasons.at(-1)).toMatch(/^garbage time: the Pacers are 9\d% to win$/);
    }
    const earlyBigSwings = scored.filter(
      (s) =>
        s.event.kind === 'score' && s.event.period < 4 && Math.abs(Number(s.event.detail.homeWinSwing)) >= 5,
    );
    expect(earlyBigSwings.length).toBeGreaterThan(3);
    const worstEarly = Math.min(...earlyBigSwings.map((s) => s.significance.score));
    expect(Math.max(...decided.map((s) => s.significance.score))).toBeLessThan(worstEarly);
  });
});

describe('NFL rules on the Packers at Falcons recording', () => {
  const json = raw(NFL);
  const { events } = parseEspnSummary(json, {});
  const scored = scoreGame(events);
  const byPlay = new Map(
    scored.filter((s) => s.event.id.split(':').length === 4).map((s) => [playId(s.event.id), s]),
  );
  const drives: any[] = json.drives.previous;
  const name = (teamId: string) => (teamId === '1' ? 'Falcons' : 'Packers');
  const nullified = (p: any) =>
    /No Play/.test(
      String(p.text)
        .split(/REVERSED\.\s*/)
        .at(-1) ?? '',
    );
  const snap = (p: any) =>
    !/punt|field goal|kickoff|timeout|penalty|two-minute|end of|end period/i.test(p.type.text);

  it('calls the last fourth-down snap of each drive that ended on downs a stop, for the defense', () => {
    const downs = drives.filter((d) => d.result === 'DOWNS');
    expect(downs.length).toBe(2);
    for (const d of downs) {
      const last = d.plays.filter((p: any) => p.start?.down === 4 && snap(p) && !nullified(p)).at(-1);
      const s = byPlay.get(last.id)!;
      expect(s.event.detail.fourthDown).toBe('stopped');
      expect(s.significance.reasons[0]).toMatch(
        new RegExp(`^the ${name(d.team.id)} stopped on fourth down with `),
      );
    }
    // The Packers' last snap, with 0:42 left and a point down, is the game-sealing stop.
    const sealing = byPlay.get(downs.at(-1).plays.at(-1).id)!;
    expect(sealing.event.clock).toBe('0:42');
    expect(sealing.significance.score).toBeGreaterThanOrEqual(0.8);
  });

  it('finds every fourth-down conversion the feed states (a first down or a touchdown after a 4th-down snap)', () => {
    const expected = rawPlays(json)
      .filter((p: any) => p.start?.down === 4 && snap(p) && !nullified(p))
      .filter(
        (p: any) =>
          /touchdown/i.test(p.type.text) || (p.end?.down === 1 && p.end?.team?.id === p.start?.team?.id),
      )
      .map((p: any) => p.id);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const found = [...byPlay.values()]
      .filter((s) => s.event.detail.fourthDown === 'converted')
      .map((s) => playId(s.event.id));
    expect(found).toEqual(expected);
    for (const id of found) {
      expect(
        byPlay
          .get(id)!
          .significance.reasons.some((r) => r.startsWith('fourth-down conversion by the Falcons')),
      ).toBe(true);
    }
  });

  it('calls gains of 40 yards or more long plays, not a gain a penalty wiped out', () => {
    const long = rawPlays(json).filter((p: any) => p.statYardage >= 40 && snap(p) && !nullified(p));
    expect(long.length).toBeGreaterThan(0);
    const flagged = [...byPlay.values()].filter((s) =>
      s.significance.reasons.some((r) => /^\d+-yard (play|touchdown) by /.test(r)),
    );
    expect(flagged.map((s) => playId(s.event.id))).toEqual(long.map((p: any) => p.id));
    const wiped = rawPlays(json).find((p: any) => p.statYardage >= 40 && nullified(p));
    expect(wiped).toBeDefined();
    expect(byPlay.get(wiped.id)!.significance.reasons).toEqual(['routine play']);
  });

  it('marks one red-zone trip per drive that reached the 20, on its first snap there', () => {
    const expected = drives
      .map((d) =>
        d.plays.find((p: any) => p.start?.down >= 1 && p.start.yardsToEndzone <= 20 && !nullified(p)),
      )
      .filter(Boolean)
      .map((p: any) => p.id);
    const found = scored.filter((s) =>
      s.significance.reasons.some((r) => / in the red zone, \d+ yards out /.test(r)),
    );
    expect(found.map((s) => playId(s.event.id))).toEqual(expected);
  });

  it('marks the two-minute drills: drives starting in the last 2:00 of a half (at the end of the game, by the side not ahead)', () => {
    const drills = scored.filter((s) =>
      s.significance.reasons.some((r) => r.startsWith('two-minute drill: ')),
    );
    const starts = drills.map((s) => [s.event.detail.driveStartPeriod, s.event.detail.driveStartClock]);
    expect(starts).toEqual([
      [2, '0:12'],
      [4, '0:57'],
    ]);
    // The Falcons' kneel-down drive with 0:38 left started in the last two minutes too, a point ahead.
    const kneel = drives.at(-1);
    expect(kneel.start.clock.displayValue).toBe('0:38');
    expect(drills.some((s) => s.event.detail.driveId === kneel.id)).toBe(false);
  });

  it('makes the game-winning field goal drive the top of the game', () => {
    const top = [...scored].sort((a, b) => b.significance.score - a.significance.score).slice(0, 4);
    expect(top.map((s) => s.event.kind)).toEqual(['final', 'lead_change', 'field_goal', 'play']);
    expect(top.slice(1, 3).every((s) => s.event.clock === '0:57')).toBe(true);
  });
});

describe('speed', () => {
  it('scores a whole game in well under a millisecond per play (the live path runs 30 games)', () => {
    const { events } = parseEspnSummary(raw(NBA), {});
    const rounds = 30;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) {
      const tracker = new GameTracker();
      for (const e of events) tracker.push(e);
    }
    const perEvent = (performance.now() - started) / (rounds * events.length);
    expect(perEvent).toBeLessThan(0.2);
  });
});
