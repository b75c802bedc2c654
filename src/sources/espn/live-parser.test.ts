import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveSummaryParser } from './live-parser.ts';
import { parseEspnSummary } from './summary.ts';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/espn/${name}`, import.meta.url), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON cut structurally.
type Json = any;

/** The recorded final cut to its first `n` plays (basketball) or drives' plays (football), as a live feed grows. */
function prefix(final: Json, n: number): Json {
  const copy = structuredClone(final);
  if (Array.isArray(copy.plays)) {
    copy.plays = copy.plays.slice(0, n);
    copy.header.competitions[0].status.type.state = 'in';
    return copy;
  }
  let left = n;
  const previous: Json[] = [];
  for (const drive of copy.drives.previous) {
    if (left <= 0) break;
    previous.push({ ...drive, plays: drive.plays.slice(0, left) });
    left -= drive.plays.length;
  }
  copy.drives = { previous };
  copy.header.competitions[0].status.type.state = 'in';
  return copy;
}

const GAMES = [
  { league: 'nba' as const, file: 'nba_summary_401772994_IND-NYK_2025-05-31.json' },
  { league: 'nfl' as const, file: 'nfl_summary_401547417_GB-ATL_2023-09-17.json' },
];

describe('LiveSummaryParser', () => {
  for (const game of GAMES) {
    it(`${game.league}: each poll equals a full parse, building only the new plays`, () => {
      const final = read(game.file);
      const total = parseEspnSummary(final, { league: game.league }).events.length;
      const parser = new LiveSummaryParser({ league: game.league });
      let built = 0;
      let lastN = 0;
      for (let n = 0; n < total; n += 37) {
        lastN = n;
        const poll = prefix(final, n);
        const live = parser.parse(poll);
        const full = parseEspnSummary(poll, { league: game.league });
        expect(live.facts).toEqual(full.facts);
        expect(live.events).toEqual(full.events);
        expect(parser.stats.rebuilt).toBe(false);
        built += parser.stats.built;
      }
      // Every play was built once, not once per poll.
      expect(built).toBe(lastN);
      const last = parser.parse(final);
      expect(last.events).toEqual(parseEspnSummary(final, { league: game.league }).events);
      expect(parser.stats.rebuilt).toBe(true); // the game ended: its records now include the result
    });
  }

  it('rebuilds from scratch when an earlier play changed its score, and equals a full parse', () => {
    const final = read(GAMES[0]!.file);
    const parser = new LiveSummaryParser({ league: 'nba' });
    parser.parse(prefix(final, 200));
    const edited = prefix(final, 240);
    const scoring = edited.plays.findIndex((p: Json, i: number) => i > 50 && p.scoringPlay);
    for (const play of edited.plays.slice(scoring)) play.homeScore = Number(play.homeScore) + 1;
    const live = parser.parse(edited);
    expect(parser.stats.rebuilt).toBe(true);
    expect(live.events).toEqual(parseEspnSummary(edited, { league: 'nba' }).events);
    parser.parse(prefix(final, 260));
    expect(parser.stats.rebuilt).toBe(true);
  });
});

describe('LiveSummaryParser errors', () => {
  it('names the file and the path of a malformed new play, and resumes on the next good poll', () => {
    const final = read(GAMES[0]!.file) as Json;
    const parser = new LiveSummaryParser({ league: 'nba', file: 'summary.json' });
    parser.parse(prefix(final, 100));
    const broken = prefix(final, 120);
    broken.plays[110].period = 'second';
    expect(() => parser.parse(broken)).toThrow(/summary\.json: plays\[110\]\.period/);
    const next = parser.parse(prefix(final, 130));
    expect(next.events).toEqual(parseEspnSummary(prefix(final, 130), { league: 'nba' }).events);
    expect(parser.stats.built).toBe(30);
  });
});
