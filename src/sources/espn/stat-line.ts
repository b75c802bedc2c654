import type { StatLine } from '../../domain/index.ts';

const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const PAIR = /^([+-]?\d+(?:\.\d+)?)\s*[-/]\s*([+-]?\d+(?:\.\d+)?)$/;

/**
 * Team statistics whose name is one word but whose value is a pair ("14/25"), and
 * the two canonical names the pair splits into.
 */
const PAIRED_TEAM_STATS: Record<string, readonly [string, string]> = {
  completionAttempts: ['completions', 'passingAttempts'],
  sacksYardsLost: ['sacks', 'sackYardsLost'],
  thirdDownEff: ['thirdDownConversions', 'thirdDownAttempts'],
  fourthDownEff: ['fourthDownConversions', 'fourthDownAttempts'],
  redZoneAttempts: ['redZoneConversions', 'redZoneAttempts'],
  totalPenaltiesYards: ['totalPenalties', 'totalPenaltyYards'],
};

/**
 * Adds one ESPN stat to `line` under canonical names. A compound key such as
 * "fieldGoalsMade-fieldGoalsAttempted" or "completions/passingAttempts" with a
 * value "6-9" becomes two stats (6 and 9). Values that are not numbers ("--",
 * "", "23:45" unless known) are skipped: the stat is simply absent.
 */
export function addStat(line: StatLine, key: string, value: string | undefined, prefix = ''): void {
  if (value === undefined) return;
  const text = value.trim();
  const paired = pairOf(key);
  if (paired) {
    const match = PAIR.exec(text);
    if (match) {
      line[prefix + paired[0]] = Number(match[1]);
      line[prefix + paired[1]] = Number(match[2]);
    }
    return;
  }
  if (NUMBER.test(text)) {
    line[prefix + key] = Number(text);
    return;
  }
  const clock = /^(\d+):(\d{2})$/.exec(text);
  if (key === 'possessionTime' && clock)
    line[`${prefix}possessionSeconds`] = Number(clock[1]) * 60 + Number(clock[2]);
}

/** The two names a compound key splits into ("fieldGoalsMade-fieldGoalsAttempted"), memoised: box scores repeat a few keys. */
const PAIRS = new Map<string, readonly [string, string] | undefined>();
function pairOf(key: string): readonly [string, string] | undefined {
  if (PAIRS.has(key)) return PAIRS.get(key);
  const parts = key.split(/[-/]/);
  const paired = parts.length === 2 ? (parts as [string, string]) : PAIRED_TEAM_STATS[key];
  if (PAIRS.size < 10_000) PAIRS.set(key, paired);
  return paired;
}

/** Builds a stat line from parallel arrays of ESPN keys and display values. */
export function statLineFromKeys(keys: readonly string[], values: readonly string[], prefix = ''): StatLine {
  const line: StatLine = {};
  keys.forEach((key, index) => {
    addStat(line, key, values[index], prefix);
  });
  return line;
}
