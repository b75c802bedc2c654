// biome-ignore-all lint/suspicious/noExplicitAny: tests read the raw ESPN JSON to derive expectations
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/app/config.ts';
import type { Account } from '../../src/domain/account.ts';
import { PRIORITY, priorityFor } from '../../src/domain/post.ts';
import { type Route, routeEvent, type ScoredEvent, scoreGame } from '../../src/signals/index.ts';
import { parseEspnSummary } from '../../src/sources/espn/summary.ts';

const config = loadConfig(new URL('../../demo/wirereport.yaml', import.meta.url).pathname, { env: {} });

function raw(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/espn/${name}`, import.meta.url), 'utf8'));
}

function routed(file: string, accounts: readonly Account[] = config.accounts) {
  const json = raw(file);
  const scored = scoreGame(parseEspnSummary(json, {}).events);
  const out: { scored: ScoredEvent; route: Route }[] = [];
  for (const s of scored)
    for (const route of routeEvent(s.event, s.significance, accounts)) out.push({ scored: s, route });
  return { json, scored, routes: out };
}

const nba = routed('nba_summary_401772994_IND-NYK_2025-05-31.json');
const nfl = routed('nfl_summary_401547417_GB-ATL_2023-09-17.json');
const forAccount = (r: typeof nba, id: string) => r.routes.filter((x) => x.route.account.id === id);

describe('routing by urgency with the demo configuration', () => {
  it('gives the breaking desk the two finals and the game-deciding moment only', () => {
    const breaking = [...forAccount(nba, 'breaking'), ...forAccount(nfl, 'breaking')];
    for (const { route } of breaking) {
      expect(route.breaking).toBe(true);
      expect(route.priority).toBe(PRIORITY.breaking);
    }
    expect(forAccount(nba, 'breaking').map((x) => x.scored.event.kind)).toEqual(['final']);
    const nflMoments = forAccount(nfl, 'breaking').filter((x) => x.scored.event.kind !== 'final');
    expect(forAccount(nfl, 'breaking').filter((x) => x.scored.event.kind === 'final')).toHaveLength(1);
    // The moment the lead changed for the last time, derived from the plays.
    const plays: any[] = nfl.json.drives.previous.flatMap((d: any) => d.plays);
    let lastChange: any;
    let leader = '';
    for (const p of plays) {
      const now = p.awayScore > p.homeScore ? 'away' : p.homeScore > p.awayScore ? 'home' : '';
      if (now && leader && now !== leader) lastChange = p;
      if (now) leader = now;
    }
    expect(nflMoments.map((x) => x.scored.event.id)).toEqual([
      `espn:401547417:play:${lastChange.id}:lead_change`,
    ]);
    const m = nflMoments[0]!.scored.event;
    expect(m.period).toBe(4);
    expect(Math.abs(m.awayScore - m.homeScore)).toBeLessThanOrEqual(3);
  });

  it('gives the Falcons account Falcons moments and the final, not routine Packers plays', () => {
    const falcons = forAccount(nfl, 'falcons');
    const atl = nfl.scored[0]!.event.game.home;
    expect(atl.abbreviation).toBe('ATL');
    // Every Falcons scoring play reaches it, boosted.
    const atlScores = nfl.scored.filter(
      (s) => ['touchdown', 'field_goal'].includes(s.event.kind) && s.event.teamId === atl.id,
    );
    expect(atlScores.length).toBeGreaterThan(3);
    for (const s of atlScores) {
      const r = falcons.find((x) => x.scored.event.id === s.event.id);
      expect(r, s.event.text).toBeDefined();
      expect(r!.route.significance).toBeCloseTo(Math.min(1, s.significance.score + 0.15), 3);
      expect(r!.route.reason).toMatch(/^ATL made the play/);
    }
    expect(falcons.some((x) => x.scored.event.kind === 'final')).toBe(true);
    for (const { scored, route } of falcons) {
      if (route.reason.startsWith('opponent')) {
        // A Packers moment reaches the Falcons only when it is not routine, discounted and not breaking.
        expect(scored.significance.reasons).not.toEqual(['routine play']);
        expect(route.significance).toBeCloseTo(scored.significance.score - 0.15, 3);
        expect(route.breaking).toBe(false);
      }
      expect(route.priority).toBe(priorityFor(route.significance, route.breaking));
    }
    // The Packers' fourth-down failure at the end is the Falcons defense's stop: a Falcons moment.
    const stop = falcons.find(
      (x) => x.scored.event.detail.fourthDown === 'stopped' && x.scored.event.clock === '0:42',
    );
    expect(stop?.route.reason).toMatch(/^ATL made the play/);
    // Routine Packers plays never reach it.
    const routinePackers = nfl.scored.filter(
      (s) =>
        s.event.kind === 'play' && s.event.teamId !== atl.id && s.significance.reasons[0] === 'routine play',
    );
    expect(routinePackers.length).toBeGreaterThan(30);
    for (const s of routinePackers) expect(falcons.some((x) => x.scored.event.id === s.event.id)).toBe(false);
  });

  it('keeps each league to its accounts and team accounts to their games', () => {
    for (const { route } of nba.routes) expect(route.account.leagues).toContain('nba');
    for (const { route } of nfl.routes) expect(route.account.leagues).toContain('nfl');
    expect(forAccount(nfl, 'pacers')).toEqual([]);
    expect(forAccount(nba, 'falcons')).toEqual([]);
  });
});

describe('per-account significance settings', () => {
  const yaml = readFileSync(new URL('../../demo/wirereport.yaml', import.meta.url), 'utf8');

  it('defaults to the engine weighing when the configuration says nothing', () => {
    const falcons = config.accounts.find((a) => a.id === 'falcons')!;
    expect(falcons.significance).toEqual({ ownTeamBonus: 0.15, opponentDiscount: 0.15, kindWeights: {} });
  });

  it('applies a team bonus, an opponent discount and kind weights from the configuration', () => {
    const custom = parseConfig(
      yaml.replace(
        '    teams: [ATL]\n    minSignificance: 0.4\n',
        '    teams: [ATL]\n    minSignificance: 0.4\n    significance:\n      ownTeamBonus: 0.3\n      opponentDiscount: 1\n      kindWeights: { play: 0, field_goal: 0.5 }\n',
      ),
      { file: 'custom.yaml', env: {} },
    );
    const falcons = custom.accounts.find((a) => a.id === 'falcons')!;
    expect(falcons.significance).toEqual({
      ownTeamBonus: 0.3,
      opponentDiscount: 1,
      kindWeights: { play: 0, field_goal: 0.5 },
    });
    const routes = routed('nfl_summary_401547417_GB-ATL_2023-09-17.json', [falcons]).routes;
    // The opponent is discounted to nothing, plays are muted; the final still arrives.
    expect(routes.some((x) => x.route.reason.startsWith('opponent'))).toBe(false);
    expect(routes.some((x) => x.scored.event.kind === 'play')).toBe(false);
    expect(routes.some((x) => x.scored.event.kind === 'final')).toBe(true);
    for (const { scored, route } of routes.filter((x) => x.scored.event.kind === 'field_goal')) {
      expect(route.significance).toBeCloseTo(Math.min(1, scored.significance.score * 0.5 + 0.3), 3);
    }
    expect(() =>
      parseConfig(
        yaml.replace(
          '    teams: [ATL]\n',
          '    teams: [ATL]\n    significance: { kindWeights: { dunk: 1 } }\n',
        ),
        {
          file: 'bad.yaml',
          env: {},
        },
      ),
    ).toThrow(/significance/);
  });
});
