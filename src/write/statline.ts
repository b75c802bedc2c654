import type { StatLine } from '../domain/facts.ts';
import type { Sport } from '../domain/league.ts';

/** "1 point", "21 points". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function num(stats: StatLine, key: string): number | undefined {
  const v = stats[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Words for stat keys a milestone may name. Unknown keys return undefined (callers fall back). */
const STAT_WORDS: Record<string, [string, string]> = {
  points: ['point', 'points'],
  rebounds: ['rebound', 'rebounds'],
  assists: ['assist', 'assists'],
  steals: ['steal', 'steals'],
  blocks: ['block', 'blocks'],
  threePointFieldGoalsMade: ['three', 'threes'],
  fieldGoalsMade: ['field goal', 'field goals'],
  goals: ['goal', 'goals'],
  saves: ['save', 'saves'],
  hits: ['hit', 'hits'],
  homeRuns: ['home run', 'home runs'],
  strikeouts: ['strikeout', 'strikeouts'],
  'passing.passingYards': ['passing yard', 'passing yards'],
  'passing.passingTouchdowns': ['touchdown pass', 'touchdown passes'],
  'rushing.rushingYards': ['rushing yard', 'rushing yards'],
  'rushing.rushingTouchdowns': ['rushing touchdown', 'rushing touchdowns'],
  'receiving.receivingYards': ['receiving yard', 'receiving yards'],
  'receiving.receptions': ['reception', 'receptions'],
  'receiving.receivingTouchdowns': ['receiving touchdown', 'receiving touchdowns'],
  'defensive.sacks': ['sack', 'sacks'],
  'interceptions.interceptions': ['interception', 'interceptions'],
};

/** "31 points" for a stat key and value, or undefined when the key has no words. */
export function statWords(key: string, value: number): string | undefined {
  const words = STAT_WORDS[key] ?? STAT_WORDS[key.split('.').pop() ?? ''];
  if (!words) return undefined;
  return `${value} ${value === 1 ? words[0] : words[1]}`;
}

export interface LineOptions {
  /** Secondary stats (rebounds, assists...) are listed only at or above this value. Default 5. */
  minor?: number;
}

/**
 * The headline stat line of a player in words, or undefined when the stats hold nothing to say.
 * Basketball: "21 points, 8 rebounds and 5 assists"; football picks the player's main role:
 * "14-of-25 for 151 yards and 3 touchdowns", "55 rushing yards", "2 receptions for 40 yards";
 * hockey goals and assists; baseball hits, home runs, RBIs. Only stats present are used.
 */
export function statLine(sport: Sport, stats: StatLine, options: LineOptions = {}): string | undefined {
  const minor = options.minor ?? 5;
  switch (sport) {
    case 'basketball': {
      const pts = num(stats, 'points');
      if (pts === undefined) return undefined;
      const parts = [count(pts, 'point')];
      const reb = num(stats, 'rebounds');
      const ast = num(stats, 'assists');
      if (reb !== undefined && reb >= minor) parts.push(count(reb, 'rebound'));
      if (ast !== undefined && ast >= minor) parts.push(count(ast, 'assist'));
      // "0 points" alone is not worth saying.
      if (pts === 0 && parts.length === 1) return undefined;
      return joinList(parts);
    }
    case 'football':
      return footballLine(stats);
    case 'hockey': {
      const parts: string[] = [];
      const g = num(stats, 'goals');
      const a = num(stats, 'assists');
      if (g !== undefined && g > 0) parts.push(count(g, 'goal'));
      if (a !== undefined && a > 0) parts.push(count(a, 'assist'));
      const sv = num(stats, 'saves');
      if (parts.length === 0 && sv !== undefined && sv > 0) parts.push(count(sv, 'save'));
      return parts.length ? joinList(parts) : undefined;
    }
    case 'baseball': {
      const parts: string[] = [];
      const h = num(stats, 'hits');
      const hr = num(stats, 'homeRuns');
      const rbi = num(stats, 'RBIs') ?? num(stats, 'rbis');
      if (h !== undefined && h > 0) parts.push(count(h, 'hit'));
      if (hr !== undefined && hr > 0) parts.push(count(hr, 'home run'));
      if (rbi !== undefined && rbi > 0) parts.push(`${rbi} RBI`);
      return parts.length ? joinList(parts) : undefined;
    }
    default: {
      const never: never = sport;
      throw new Error(`statLine: unknown sport ${String(never)}`);
    }
  }
}

function footballLine(stats: StatLine): string | undefined {
  const passYds = num(stats, 'passing.passingYards');
  const rushYds = num(stats, 'rushing.rushingYards');
  const recYds = num(stats, 'receiving.receivingYards');
  const best = Math.max(passYds ?? -Infinity, rushYds ?? -Infinity, recYds ?? -Infinity);
  if (best === -Infinity) return undefined;
  if (passYds !== undefined && passYds === best) {
    const comp = num(stats, 'passing.completions');
    const att = num(stats, 'passing.passingAttempts');
    const td = num(stats, 'passing.passingTouchdowns');
    const head =
      comp !== undefined && att !== undefined
        ? `${comp}-of-${att} for ${passYds} yards`
        : count(passYds, 'passing yard');
    return td ? `${head} and ${count(td, 'touchdown')}` : head;
  }
  if (rushYds !== undefined && rushYds === best) {
    const att = num(stats, 'rushing.rushingAttempts');
    const td = num(stats, 'rushing.rushingTouchdowns');
    // One carry is said as rushing yards: "on 1 carry" reads oddly and the verifier counts only "carries".
    const head =
      att !== undefined && att > 1
        ? `${count(rushYds, 'yard')} on ${att} carries`
        : count(rushYds, 'rushing yard');
    return td ? `${head} and ${count(td, 'touchdown')}` : head;
  }
  const rec = num(stats, 'receiving.receptions');
  const td = num(stats, 'receiving.receivingTouchdowns');
  const head =
    rec !== undefined
      ? `${count(rec, 'reception')} for ${count(recYds ?? 0, 'yard')}`
      : count(recYds ?? 0, 'receiving yard');
  return td ? `${head} and ${count(td, 'touchdown')}` : head;
}

/**
 * Shooting splits for analytical voices: "8-of-12 shooting, 3-of-5 from three". Basketball only;
 * undefined when the stats lack attempts.
 */
export function shootingSplits(stats: StatLine): string | undefined {
  const fgm = num(stats, 'fieldGoalsMade');
  const fga = num(stats, 'fieldGoalsAttempted');
  if (fgm === undefined || fga === undefined || fga === 0) return undefined;
  const parts = [`${fgm}-of-${fga} shooting`];
  const tpm = num(stats, 'threePointFieldGoalsMade');
  const tpa = num(stats, 'threePointFieldGoalsAttempted');
  if (tpm !== undefined && tpa !== undefined && tpa > 0) parts.push(`${tpm}-of-${tpa} from three`);
  return parts.join(', ');
}
