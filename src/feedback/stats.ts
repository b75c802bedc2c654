/**
 * Two-sample tests for the experiments' analysis: Welch's t-test (unequal variances) and the
 * Mann–Whitney U test (rank-based, robust to the heavy tails engagement counts have). Pure functions of
 * plain numbers; both two-sided. Checked against textbook values in `stats.test.ts`.
 */

/** The outcome of a two-sample test. */
export interface TestResult {
  test: 'welch' | 'mann-whitney';
  /** t for Welch; U of the first sample for Mann–Whitney. */
  statistic: number;
  /** Welch's degrees of freedom (Welch–Satterthwaite); absent for Mann–Whitney. */
  df?: number;
  /** The standardised statistic z (Mann–Whitney, normal approximation only). */
  z?: number;
  /** Two-sided p-value in [0, 1]. */
  pValue: number;
  /** How the p-value was had: `exact` (Mann–Whitney, small samples without ties) or `approximate`. */
  method: 'exact' | 'approximate' | 't';
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Unbiased sample variance (n - 1 in the denominator); NaN below two values. */
export function variance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

// ---- special functions ------------------------------------------------------------------------

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incompleteBeta: a and b must be positive, got ${a}, ${b}`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges quickly for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided tail probability of Student's t with `df` degrees of freedom: P(|T| >= |t|). */
export function studentTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTwoSided: df must be positive, got ${df}`);
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided tail probability of the standard normal: P(|Z| >= |z|). */
export function normalTwoSided(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

// ---- tests --------------------------------------------------------------------------------------

/**
 * Welch's two-sample t-test (two-sided), for samples of at least two values each.
 * Both samples constant: t is 0 (p = 1) when their means are equal, ±Infinity (p = 0) otherwise.
 * @throws RangeError when a sample has fewer than two values.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): TestResult {
  if (a.length < 2 || b.length < 2)
    throw new RangeError(
      `welchTTest: each sample needs two values or more (got ${a.length} and ${b.length})`,
    );
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const diff = mean(a) - mean(b);
  const se2 = va + vb;
  if (se2 === 0) {
    const t = diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return {
      test: 'welch',
      statistic: t,
      df: a.length + b.length - 2,
      pValue: diff === 0 ? 1 : 0,
      method: 't',
    };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return { test: 'welch', statistic: t, df, pValue: Math.min(1, studentTwoSided(t, df)), method: 't' };
}

/** Ranks (1-based) with ties given the mean of the ranks they span, and the tie groups' sizes. */
function rank(values: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(values.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.v === order[i]!.v) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!.i] = r;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/** Number of orderings of n1 + n2 values (no ties) whose U statistic equals u, for every u in 0..n1*n2. */
function exactUCounts(n1: number, n2: number): number[] {
  // f[i][j][u]: arrangements of i values of sample 1 and j of sample 2 with U = u; built by the last value.
  let prev: number[][] = [];
  for (let j = 0; j <= n2; j++) prev.push([1]);
  for (let i = 1; i <= n1; i++) {
    const cur: number[][] = [[1]];
    for (let j = 1; j <= n2; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // Last value from sample 1: it beats all j values of sample 2.
      const a = prev[j]!;
      for (let u = 0; u < a.length; u++) row[u + j] = (row[u + j] ?? 0) + a[u]!;
      // Last value from sample 2: U unchanged.
      const b = cur[j - 1]!;
      for (let u = 0; u < b.length; u++) row[u] = (row[u] ?? 0) + b[u]!;
      cur.push(row);
    }
    prev = cur;
  }
  return prev[n2]!;
}

/** Largest sample size for which the exact distribution of U is used (when there are no ties). */
const EXACT_MAX = 8;

/**
 * The Mann–Whitney U test (two-sided). U is the first sample's statistic (the number of pairs in
 * which its value is larger, ties counting half). With both samples of at most 8 values and no ties,
 * the p-value is exact; otherwise the normal approximation with tie correction and continuity
 * correction is used (as SciPy's `mannwhitneyu` does by default).
 * @throws RangeError when a sample is empty.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): TestResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`mannWhitneyU: empty sample (sizes ${n1} and ${n2})`);
  const { ranks, ties } = rank([...a, ...b]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  if (ties.length === 0 && n1 <= EXACT_MAX && n2 <= EXACT_MAX) {
    const counts = exactUCounts(n1, n2);
    const total = counts.reduce((s, c) => s + c, 0);
    // Symmetric distribution: the tail beyond the larger of U1 and U2, doubled.
    const high = Math.max(u1, n1 * n2 - u1);
    let tail = 0;
    for (let u = high; u < counts.length; u++) tail += counts[u]!;
    return { test: 'mann-whitney', statistic: u1, pValue: Math.min(1, (2 * tail) / total), method: 'exact' };
  }
  const n = n1 + n2;
  const tieTerm = ties.reduce((s, t) => s + (t * t * t - t), 0) / (n * (n - 1));
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  if (sigma === 0) return { test: 'mann-whitney', statistic: u1, z: 0, pValue: 1, method: 'approximate' };
  const high = Math.max(u1, n1 * n2 - u1);
  const z = (high - mu - 0.5) / sigma;
  return {
    test: 'mann-whitney',
    statistic: u1,
    z: u1 >= mu ? z : -z,
    // U at its mean: the continuity correction overshoots (z < 0), and the p-value is 1.
    pValue: z <= 0 ? 1 : normalTwoSided(z),
    method: 'approximate',
  };
}
