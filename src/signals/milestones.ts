import type { Sport, StatLine } from '../domain/index.ts';

/** A stat line crossing something worth saying ("30 points", "a triple-double"). */
export interface Milestone {
  /** Stable key used in event ids: "points30", "tripleDouble", "rushingYards100". */
  key: string;
  /** Words for the reason and the writer ("30 points", "a double-double"). */
  label: string;
  /** The stat the milestone is about (for counts: the first of them). */
  stat: string;
  /** Its value now (for double/triple-doubles: the number of categories in double figures). */
  value: number;
  threshold: number;
  /** Base significance of reaching it, 0..1. */
  weight: number;
}

interface Rule {
  key: string;
  label: string;
  weight: number;
  check: (stats: StatLine) => { stat: string; value: number; threshold: number } | undefined;
}

const atLeast =
  (stat: string, threshold: number) =>
  (stats: StatLine): { stat: string; value: number; threshold: number } | undefined => {
    const value = stats[stat];
    return value !== undefined && value >= threshold ? { stat, value, threshold } : undefined;
  };

const DOUBLE_STATS = ['points', 'rebounds', 'assists', 'steals', 'blocks'] as const;

const doubles =
  (count: number) =>
  (stats: StatLine): { stat: string; value: number; threshold: number } | undefined => {
    const inDouble = DOUBLE_STATS.filter((s) => (stats[s] ?? 0) >= 10);
    return inDouble.length >= count
      ? { stat: inDouble.join('+'), value: inDouble.length, threshold: count }
      : undefined;
  };

const RULES: Partial<Record<Sport, readonly Rule[]>> = {
  basketball: [
    { key: 'points30', label: '30 points', weight: 0.55, check: atLeast('points', 30) },
    { key: 'points40', label: '40 points', weight: 0.72, check: atLeast('points', 40) },
    { key: 'points50', label: '50 points', weight: 0.9, check: atLeast('points', 50) },
    { key: 'doubleDouble', label: 'a double-double', weight: 0.35, check: doubles(2) },
    { key: 'tripleDouble', label: 'a triple-double', weight: 0.8, check: doubles(3) },
  ],
  football: [
    {
      key: 'passingYards300',
      label: '300 passing yards',
      weight: 0.55,
      check: atLeast('passing.passingYards', 300),
    },
    {
      key: 'rushingYards100',
      label: '100 rushing yards',
      weight: 0.5,
      check: atLeast('rushing.rushingYards', 100),
    },
    {
      key: 'receivingYards100',
      label: '100 receiving yards',
      weight: 0.5,
      check: atLeast('receiving.receivingYards', 100),
    },
  ],
};

/** Every milestone a stat line has reached (whether or not it was announced before). */
export function milestonesReached(stats: StatLine, sport: Sport): Milestone[] {
  const out: Milestone[] = [];
  for (const rule of RULES[sport] ?? []) {
    const hit = rule.check(stats);
    if (hit) out.push({ key: rule.key, label: rule.label, weight: rule.weight, ...hit });
  }
  return out;
}
