import { readFileSync } from 'node:fs';
import type { NbaLiveTeam } from './replay-server.ts';

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON read structurally.
type Json = any;

/** Person ids of the twin are ESPN's plus this, so the two feeds never share an id. */
const PERSON_ID_OFFSET = 900_000_000;

/** Teams as the league names them, from the recorded stats.nba.com scoreboard (by nickname). */
function recordedNbaTeams(): Map<string, NbaLiveTeam> {
  const json = JSON.parse(
    readFileSync(
      new URL('../../fixtures/nba_cdn/stats_scoreboardv3_2025-11-05.json', import.meta.url),
      'utf8',
    ),
  );
  const out = new Map<string, NbaLiveTeam>();
  const walk = (v: Json): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      if (typeof v.teamTricode === 'string' && typeof v.teamName === 'string')
        out.set(v.teamName, {
          teamId: v.teamId,
          teamTricode: v.teamTricode,
          teamName: v.teamName,
          teamCity: v.teamCity,
        });
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(json);
  return out;
}

/** "11:38" → "PT11M38.00S"; "7.1" → "PT00M07.10S". */
function isoClock(display: string): string {
  const [m, s] = display.includes(':') ? display.split(':') : ['0', display];
  return `PT${String(Number(m)).padStart(2, '0')}M${Number(s).toFixed(2).padStart(5, '0')}S`;
}

/**
 * A cdn.nba.com liveData play-by-play of the game an ESPN summary records, for
 * tests that need both feeds of one game (no recording has the same game in
 * both). Derived play by play, in the action shape of the recorded liveData
 * file: same clocks, periods, scores and scorers; the league's team ids and
 * tricodes (from the recorded stats.nba.com scoreboard, by nickname); person
 * ids in another id space than ESPN's, named as ESPN's short names ("J.
 * Brunson"). Shots, free throws, rebounds, turnovers, fouls, period and game
 * ends become their liveData action types; other plays "other".
 */
export function liveDataTwin(
  summary: Json,
  gameId: string,
): { playByPlay: Json; teams: { away: NbaLiveTeam; home: NbaLiveTeam } } {
  const nba = recordedNbaTeams();
  const competitors: Json[] = summary.header.competitions[0].competitors;
  const side = (homeAway: string) => competitors.find((c) => c.homeAway === homeAway);
  const teamOf = (c: Json): NbaLiveTeam => {
    const team = nba.get(c.team.name);
    if (!team) throw new Error(`no recorded NBA team named ${c.team.name}`);
    return team;
  };
  const away = teamOf(side('away'));
  const home = teamOf(side('home'));
  const byEspnTeam = new Map<string, NbaLiveTeam>([
    [side('away').team.id, away],
    [side('home').team.id, home],
  ]);
  const shortNames = new Map<string, string>();
  for (const team of summary.boxscore.players ?? [])
    for (const category of team.statistics)
      for (const a of category.athletes)
        shortNames.set(a.athlete.id, a.athlete.shortName ?? a.athlete.displayName);

  let previous = { away: 0, home: 0 };
  const actions = (summary.plays as Json[]).map((play, index) => {
    const type = String(play.type?.text ?? '').toLowerCase();
    const text = String(play.text ?? '');
    const team = play.team ? byEspnTeam.get(play.team.id) : undefined;
    const [first, second] = (play.participants ?? []).map((p: Json) => String(p.athlete.id));
    const gained = play.awayScore - previous.away + (play.homeScore - previous.home);
    previous = { away: play.awayScore, home: play.homeScore };
    const action: Json = {
      actionNumber: index + 1,
      orderNumber: (index + 1) * 10_000,
      clock: isoClock(play.clock?.displayValue ?? '0:00'),
      timeActual: play.wallclock,
      period: play.period.number,
      periodType: 'REGULAR',
      actionType: 'other',
      scoreHome: String(play.homeScore),
      scoreAway: String(play.awayScore),
      description: text,
    };
    if (team) Object.assign(action, { teamId: team.teamId, teamTricode: team.teamTricode });
    if (first)
      Object.assign(action, {
        personId: Number(first) + PERSON_ID_OFFSET,
        playerNameI: shortNames.get(first),
      });
    if (type === 'end period') Object.assign(action, { actionType: 'period', subType: 'end' });
    else if (type === 'end game') Object.assign(action, { actionType: 'game', subType: 'end' });
    else if (play.shootingPlay) {
      const kind = type.startsWith('free throw')
        ? 'freethrow'
        : play.scoringPlay
          ? play.scoreValue === 3
            ? '3pt'
            : '2pt'
          : text.includes('three point')
            ? '3pt'
            : '2pt';
      Object.assign(action, {
        actionType: kind,
        shotResult: play.scoringPlay && gained > 0 ? 'Made' : 'Missed',
      });
      if (play.scoringPlay && second)
        Object.assign(action, {
          assistPersonId: Number(second) + PERSON_ID_OFFSET,
          assistPlayerNameInitial: shortNames.get(second),
        });
    } else if (type.includes('rebound'))
      Object.assign(action, {
        actionType: 'rebound',
        subType: type.includes('offensive') ? 'offensive' : 'defensive',
      });
    else if (type.includes('turnover')) Object.assign(action, { actionType: 'turnover' });
    else if (type.includes('foul')) Object.assign(action, { actionType: 'foul', subType: 'personal' });
    return action;
  });
  return {
    playByPlay: { meta: { derived: 'from an ESPN summary' }, game: { gameId, actions } },
    teams: { away, home },
  };
}
