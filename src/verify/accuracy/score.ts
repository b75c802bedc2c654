/**
 * Scoring of mistake detection as in the INLG 2021 accuracy shared task: a
 * gold mistake is recalled when a detected mistake's token span overlaps it,
 * each detected mistake recalling at most one gold mistake (and each gold
 * mistake recalled once); recall = recalled gold / gold, precision = recalled
 * gold / detected. Overall, types do not need to agree; per type they are
 * given both ways (any overlapping detection, and a detection of the same type).
 */

/** A mistake over tokens `first`..`last` (inclusive, any consistent numbering) of one text. */
export interface TokenMistake {
  textId: string;
  first: number;
  last: number;
  type: string;
}

export interface Counts {
  gold: number;
  detected: number;
  /** Gold mistakes recalled (= detected mistakes matched, the matching being one-to-one). */
  recalled: number;
}

export interface Score extends Counts {
  recall: number;
  precision: number;
}

/** Per type: `any` matches detections of any type, `sameType` only detections of the gold type. */
export interface TypeScore {
  type: string;
  gold: number;
  detected: number;
  any: Score;
  sameType: Score;
}

export interface AccuracyScore {
  overall: Score;
  byType: TypeScore[];
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function score(c: Counts): Score {
  return { ...c, recall: ratio(c.recalled, c.gold), precision: ratio(c.recalled, c.detected) };
}

const overlap = (a: TokenMistake, b: TokenMistake) =>
  a.textId === b.textId && a.first <= b.last && b.first <= a.last;

/**
 * A maximum one-to-one matching of gold to detected mistakes by overlap
 * (augmenting paths; texts hold a few dozen mistakes). Returns, per gold
 * mistake, the index of its detected mistake or -1.
 */
export function matchMistakes(
  gold: readonly TokenMistake[],
  detected: readonly TokenMistake[],
  compatible: (g: TokenMistake, d: TokenMistake) => boolean = () => true,
): number[] {
  const goldOf = new Array<number>(detected.length).fill(-1);
  const edges = gold.map((g) => detected.flatMap((d, j) => (overlap(g, d) && compatible(g, d) ? [j] : [])));
  const augment = (i: number, seen: boolean[]): boolean => {
    for (const j of edges[i] ?? []) {
      if (seen[j]) continue;
      seen[j] = true;
      const holder = goldOf[j] as number;
      if (holder === -1 || augment(holder, seen)) {
        goldOf[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < gold.length; i++) augment(i, new Array<boolean>(detected.length).fill(false));
  const detectedOf = new Array<number>(gold.length).fill(-1);
  goldOf.forEach((i, j) => {
    if (i >= 0) detectedOf[i] = j;
  });
  return detectedOf;
}

/** Scores `detected` against `gold` (both over all texts), overall and per gold/detected type. */
export function scoreMistakes(
  gold: readonly TokenMistake[],
  detected: readonly TokenMistake[],
): AccuracyScore {
  const matched = matchMistakes(gold, detected);
  const recalled = matched.filter((j) => j >= 0).length;
  const overall = score({ gold: gold.length, detected: detected.length, recalled });
  const typed = matchMistakes(gold, detected, (g, d) => g.type === d.type);
  const types = [...new Set([...gold.map((g) => g.type), ...detected.map((d) => d.type)])].sort();
  const byType = types.map((type): TypeScore => {
    const goldOfType = gold.flatMap((g, i) => (g.type === type ? [i] : []));
    const detectedOfType = detected.flatMap((d, j) => (d.type === type ? [j] : []));
    const matchedDetected = new Set(matched.filter((j) => j >= 0));
    const anyGold = goldOfType.filter((i) => (matched[i] ?? -1) >= 0).length;
    const anyDetected = detectedOfType.filter((j) => matchedDetected.has(j)).length;
    const sameGold = goldOfType.filter((i) => (typed[i] ?? -1) >= 0).length;
    return {
      type,
      gold: goldOfType.length,
      detected: detectedOfType.length,
      // Recall over this type's gold; precision over this type's detections.
      any: {
        gold: goldOfType.length,
        detected: detectedOfType.length,
        recalled: anyGold,
        recall: ratio(anyGold, goldOfType.length),
        precision: ratio(anyDetected, detectedOfType.length),
      },
      sameType: score({ gold: goldOfType.length, detected: detectedOfType.length, recalled: sameGold }),
    };
  });
  return { overall, byType };
}
