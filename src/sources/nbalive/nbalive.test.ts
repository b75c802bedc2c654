import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '../errors.ts';
import { displayClock, parseNbaLiveBoxscore, parseNbaLivePlayByPlay } from './index.ts';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/nba_cdn/${name}`, import.meta.url), 'utf8'));
const pbpFile = 'liveData_playbyplay_0022000001.json';
const boxFile = 'liveData_boxscore_0022000001.json';
const pbpJson = read(pbpFile) as { game: { actions: Record<string, unknown>[] } };
const boxJson = read(boxFile) as { game: { homeTeam: { teamTricode: string; score: number } } };
const box = parseNbaLiveBoxscore(boxJson, { league: 'nba', file: boxFile });
const parsed = parseNbaLivePlayByPlay(pbpJson, { league: 'nba', file: pbpFile, box });

describe('parseNbaLiveBoxscore', () => {
  it('reads the final box score with canonical stat names', () => {
    expect(box.gameId).toBe('nbalive:0022000001');
    expect(box.state).toBe('post');
    expect(box.home.abbreviation).toBe(boxJson.game.homeTeam.teamTricode);
    expect(box.home.score).toBe(boxJson.game.homeTeam.score);
    expect(box.home.linescores.reduce((a, b) => a + b, 0)).toBe(box.home.score);
    expect(box.away.linescores.reduce((a, b) => a + b, 0)).toBe(box.away.score);
    expect(box.home.winner).toBe(box.home.score > box.away.score);
    const teamPoints = box.players
      .filter((p) => p.teamId === box.home.id)
      .reduce((s, p) => s + (p.stats.points ?? 0), 0);
    expect(teamPoints).toBe(box.home.score);
    const dnp = box.players.filter((p) => p.didNotPlay);
    expect(dnp.length).toBeGreaterThan(0);
    for (const p of dnp) expect(p.stats).toEqual({});
  });

  it('names the file and path of a malformed payload', () => {
    expect(() => parseNbaLiveBoxscore({ game: { gameId: 1 } }, { league: 'nba', file: 'x.json' })).toThrow(
      SourceFormatError,
    );
    expect(() => parseNbaLiveBoxscore({ game: { gameId: 1 } }, { league: 'nba', file: 'x.json' })).toThrow(
      /x\.json: game\.gameId/,
    );
  });
});

describe('parseNbaLivePlayByPlay', () => {
  it('gives one event per action with stable ids and the feed timestamps in detail', () => {
    const { actions } = pbpJson.game;
    expect(parsed.events).toHaveLength(actions.length);
    expect(new Set(parsed.events.map((e) => e.id)).size).toBe(actions.length);
    parsed.events.forEach((event, i) => {
      const action = actions[i]!;
      expect(event.id).toBe(`nbalive:0022000001:action:${action.actionNumber}`);
      expect(event.detail.timeActual).toBe(action.timeActual);
      expect(event.detail.edited).toBe(action.edited);
      expect(event.awayScore).toBe(Number(action.scoreAway));
    });
    expect(parsed.events[0]?.kind).toBe('game_start');
    expect(parsed.events.at(-1)?.kind).toBe('final');
    expect(parsed.events.at(-1)?.game).toBe(box);
  });

  it('scores add up: each score event raises the score by its value', () => {
    let previous = 0;
    for (const event of parsed.events) {
      const total = event.awayScore + event.homeScore;
      expect(total - previous).toBe(event.kind === 'score' ? event.scoreValue : 0);
      previous = total;
    }
  });

  it('replays running stat lines that end equal to the box score', () => {
    const lastLive = parsed.events.at(-2)!.game;
    expect(lastLive.state).toBe('in');
    expect(lastLive.home.linescores).toEqual(box.home.linescores);
    let compared = 0;
    for (const player of box.players) {
      const replayed = lastLive.players.find((p) => p.id === player.id);
      expect(replayed, player.name).toBeDefined();
      for (const [stat, value] of Object.entries(replayed!.stats)) {
        expect([player.name, stat, value]).toEqual([player.name, stat, player.stats[stat]]);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('without a box score, takes teams and players from the actions', () => {
    const alone = parseNbaLivePlayByPlay(pbpJson, { league: 'nba' });
    expect(alone.facts.home.id).toBe(box.home.id);
    expect(alone.facts.away.abbreviation).toBe(box.away.abbreviation);
    expect(alone.facts.state).toBe('post');
    const final = alone.events.at(-2)!.game;
    const durant = box.players.find((p) => p.name === 'Kevin Durant')!;
    expect(final.players.find((p) => p.id === durant.id)?.stats.points).toBe(durant.stats.points);
    expect(alone.events.map((e) => e.id)).toEqual(parsed.events.map((e) => e.id));
  });

  it('a prefix of the actions yields the same events as the prefix of the full parse', () => {
    const prefix = { game: { ...pbpJson.game, actions: pbpJson.game.actions.slice(0, 100) } };
    const partial = parseNbaLivePlayByPlay(prefix, { league: 'nba', box });
    expect(partial.events.map((e) => [e.id, e.kind, e.awayScore, e.homeScore])).toEqual(
      parsed.events.slice(0, 100).map((e) => [e.id, e.kind, e.awayScore, e.homeScore]),
    );
  });

  it('converts ISO clocks to display clocks', () => {
    expect(displayClock('PT11M38.00S')).toBe('11:38');
    expect(displayClock('PT00M07.10S')).toBe('7.1');
    expect(displayClock('PT00M00.00S')).toBe('0.0');
  });
});
