import type { League, PlayerFacts, Sport, StatLine, TeamFacts } from '../../domain/index.ts';
import { SPORT_OF } from '../../domain/index.ts';
import type { EspnBoxPlayers, EspnBoxTeam, EspnCompetitor } from './schema.ts';
import { addStat, statLineFromKeys } from './stat-line.ts';

/** Regulation periods per sport: 4 quarters, 9 innings, 3 periods. */
export const REGULATION_PERIODS: Record<Sport, number> = {
  basketball: 4,
  football: 4,
  baseball: 9,
  hockey: 3,
};

/** Game ids are scoped by source: ESPN's "401772994" becomes "espn:401772994". */
export function espnGameId(espnId: string): string {
  return `espn:${espnId}`;
}

/**
 * A team as the header (or a scoreboard) states it. `stats` comes from the box
 * score when given; `winner` only when the feed says so.
 */
export function teamFromCompetitor(competitor: EspnCompetitor, stats: StatLine = {}): TeamFacts {
  const { team } = competitor;
  const name = team.name ?? team.shortDisplayName ?? team.abbreviation ?? team.id;
  const location = team.location ?? '';
  const records = [...(competitor.record ?? []), ...(competitor.records ?? [])];
  const total = records.find((r) => r.type === 'total' || r.name === 'overall' || r.name === 'All Splits');
  const record = total?.summary ?? total?.displayValue;
  const facts: TeamFacts = {
    id: team.id,
    name,
    location,
    displayName: team.displayName ?? `${location} ${name}`.trim(),
    abbreviation: team.abbreviation ?? name,
    homeAway: competitor.homeAway,
    score: competitor.score ?? 0,
    linescores: (competitor.linescores ?? []).map((l) => l.value ?? Number(l.displayValue ?? 0)),
    stats,
  };
  if (record !== undefined) facts.record = record;
  if (competitor.winner !== undefined) facts.winner = competitor.winner;
  return facts;
}

/**
 * Team totals from `boxscore.teams[].statistics`, under the canonical names of
 * `domain/facts.ts` (compound values split, basketball "totalRebounds" also as
 * "rebounds"). Football team stats keep ESPN's names without a category prefix.
 */
export function teamStatsFromBox(box: EspnBoxTeam | undefined, sport: Sport): StatLine {
  const line: StatLine = {};
  for (const stat of box?.statistics ?? []) addStat(line, stat.name, stat.displayValue);
  if (sport === 'basketball' && line.totalRebounds !== undefined && line.rebounds === undefined) {
    line.rebounds = line.totalRebounds;
  }
  return line;
}

/**
 * Players with their box-score lines. Basketball has one category and no prefix;
 * other sports prefix each stat with its category ("passing.passingYards"),
 * since categories reuse names (batting and pitching both have "hits"). A player
 * listed in several categories is merged into one entry, in first-seen order.
 */
export function playersFromBox(box: EspnBoxPlayers, sport: Sport): PlayerFacts[] {
  const byId = new Map<string, PlayerFacts>();
  for (const teamBox of box) {
    for (const category of teamBox.statistics) {
      const prefix = sport === 'basketball' ? '' : `${category.name ?? 'stats'}.`;
      for (const entry of category.athletes) {
        const { athlete } = entry;
        let player = byId.get(athlete.id);
        if (!player) {
          player = {
            id: athlete.id,
            name: athlete.displayName,
            shortName: athlete.shortName ?? shortNameOf(athlete.displayName),
            teamId: teamBox.team.id,
            starter: false,
            didNotPlay: false,
            stats: {},
          };
          if (athlete.jersey !== undefined) player.jersey = athlete.jersey;
          if (athlete.position?.abbreviation !== undefined) player.position = athlete.position.abbreviation;
          byId.set(athlete.id, player);
        }
        if (entry.starter) player.starter = true;
        if (entry.didNotPlay) player.didNotPlay = true;
        Object.assign(player.stats, statLineFromKeys(category.keys, entry.stats, prefix));
      }
    }
  }
  return [...byId.values()];
}

/** "Tyrese Haliburton" → "T. Haliburton" (used when the feed gives no short name). */
export function shortNameOf(name: string): string {
  const [first, ...rest] = name.trim().split(/\s+/);
  if (!first || rest.length === 0) return name;
  return `${first[0]}. ${rest.join(' ')}`;
}

export function sportOf(league: League): Sport {
  return SPORT_OF[league];
}

/** Picks the away and home competitors, whatever their order in the feed. */
export function awayHome<T extends { homeAway: 'home' | 'away' }>(
  competitors: readonly T[],
): { away: T; home: T } {
  const home = competitors.find((c) => c.homeAway === 'home');
  const away = competitors.find((c) => c.homeAway === 'away');
  // The schemas refine competitors to one home and one away, so this is an invariant.
  if (!home || !away) throw new Error('invariant: expected one home and one away competitor');
  return { away, home };
}
