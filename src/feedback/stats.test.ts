import { describe, expect, it } from 'vitest';
import {
  incompleteBeta,
  logGamma,
  mannWhitneyU,
  mean,
  normalTwoSided,
  studentTwoSided,
  variance,
  welchTTest,
} from './stats.ts';

// Welch's examples as printed in the Wikipedia article "Welch's t-test" (section Examples): the
// published t, degrees of freedom and p-value, to the digits printed there (SciPy agrees to 1e-12).
const EX1_A = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const EX1_B = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
const EX2_A = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
const EX2_B = [
  21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5,
  21.5, 21.8,
];

describe('special functions', () => {
  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('the incomplete beta has its closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.6, 3, 1)).toBeCloseTo(0.216, 12);
    expect(incompleteBeta(0.2, 1, 4)).toBeCloseTo(1 - 0.8 ** 4, 12);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });

  it("Student's t tails: Cauchy at one degree of freedom, table values otherwise", () => {
    // df = 1 is the Cauchy distribution: P(|T| >= 1) = 1/2.
    expect(studentTwoSided(1, 1)).toBeCloseTo(0.5, 12);
    // Printed t tables: t(0.975, 5) = 2.571, t(0.975, 30) = 2.042, t(0.995, 10) = 3.169.
    expect(studentTwoSided(2.571, 5)).toBeCloseTo(0.05, 4);
    expect(studentTwoSided(2.042, 30)).toBeCloseTo(0.05, 4);
    expect(studentTwoSided(3.169, 10)).toBeCloseTo(0.01, 4);
    expect(studentTwoSided(0, 7)).toBeCloseTo(1, 12);
  });

  it('normal tails: 1.96 and 2.576 are the 5% and 1% points', () => {
    expect(normalTwoSided(1.959964)).toBeCloseTo(0.05, 6);
    expect(normalTwoSided(2.575829)).toBeCloseTo(0.01, 6);
    expect(normalTwoSided(0)).toBeCloseTo(1, 6);
  });
});

describe('mean and variance', () => {
  it('are the textbook formulas', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    // Sum of squared deviations 32 over n - 1 = 7.
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 12);
    expect(mean([])).toBeNaN();
    expect(variance([1])).toBeNaN();
  });
});

describe("Welch's t-test", () => {
  it('reproduces example 1 (t = -2.46, df = 24.99, p = 0.021)', () => {
    const r = welchTTest(EX1_A, EX1_B);
    expect(r.statistic).toBeCloseTo(-2.46, 2);
    expect(r.df).toBeCloseTo(24.99, 2);
    expect(r.pValue).toBeCloseTo(0.021, 3);
    // SciPy's ttest_ind(equal_var=False) on the same data.
    expect(r.statistic).toBeCloseTo(-2.455356398286006, 10);
    expect(r.pValue).toBeCloseTo(0.021378001462866992, 10);
  });

  it('reproduces example 2 (t = -1.57, df = 9.90, p = 0.149)', () => {
    const r = welchTTest(EX2_A, EX2_B);
    expect(r.statistic).toBeCloseTo(-1.57, 2);
    expect(r.df).toBeCloseTo(9.9, 2);
    expect(r.pValue).toBeCloseTo(0.149, 3);
  });

  it('is antisymmetric in its samples', () => {
    const ab = welchTTest(EX1_A, EX1_B);
    const ba = welchTTest(EX1_B, EX1_A);
    expect(ba.statistic).toBeCloseTo(-ab.statistic, 12);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
  });

  it('handles constant samples and refuses samples too small', () => {
    expect(welchTTest([3, 3], [3, 3, 3]).pValue).toBe(1);
    const apart = welchTTest([4, 4], [3, 3, 3]);
    expect(apart.pValue).toBe(0);
    expect(apart.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(() => welchTTest([1], [1, 2])).toThrow(RangeError);
  });
});

describe('Mann–Whitney U', () => {
  // The example of SciPy's mannwhitneyu documentation (ages of male and female staff, from Conover):
  // U1 = 17, exact two-sided p = 14/126 = 0.1111; asymptotic p = 0.11134688653314041.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];

  it('gives U1 = 17 and the exact p = 0.1111 on small samples without ties', () => {
    const r = mannWhitneyU(males, females);
    expect(r.statistic).toBe(17);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBeCloseTo(0.1111111111111111, 12);
    // The other way round U is n1 n2 - U1 and p is the same.
    const back = mannWhitneyU(females, males);
    expect(back.statistic).toBe(3);
    expect(back.pValue).toBeCloseTo(r.pValue, 12);
  });

  it('uses the normal approximation with tie and continuity corrections otherwise', () => {
    // Ties and n > 8: SciPy 1.17 mannwhitneyu gives U = 32, p = 0.03835766661906088.
    const x = [1, 2, 2, 3, 3, 3, 4, 5, 9, 10, 12];
    const y = [3, 4, 4, 5, 6, 6, 7, 8, 11, 14, 15, 15];
    const r = mannWhitneyU(x, y);
    expect(r.method).toBe('approximate');
    expect(r.statistic).toBe(32);
    expect(r.pValue).toBeCloseTo(0.03835766661906088, 6);
  });

  it('gives p = 1 for identical samples', () => {
    expect(mannWhitneyU([1, 2, 3], [1, 2, 3]).pValue).toBe(1);
    expect(mannWhitneyU([5, 5, 5, 5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5, 5, 5, 5]).pValue).toBe(1);
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});
