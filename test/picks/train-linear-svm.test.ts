import { describe, expect, it } from 'vitest';
import { trainLinearSvm, type SvmProblem } from '../../src/picks/train-linear-svm.js';

// Random points in a few dimensions, labelled by a hidden hyperplane with some noise.
function problem(m: number, seed: number, c: number): { p: SvmProblem; x: number[][] } {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const x = Array.from({ length: m }, () => [rand() - 0.5, rand() - 0.5, rand() - 0.5]);
  const y = Int8Array.from(x, (v) => (v[0]! + 0.5 * v[1]! + (rand() - 0.5) * 0.2 > 0 ? 1 : -1));
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) gram[i * m + j] = x[i]!.reduce((a, v, k) => a + v * x[j]![k]!, 0) + 1;
  return { p: { m, gram, y, cost: new Float64Array(m).fill(c) }, x };
}

describe('trainLinearSvm (dual coordinate descent, squared hinge)', () => {
  it('reaches the optimum: the dual KKT conditions hold at the solution', () => {
    const { p } = problem(60, 7, 1);
    const coef = trainLinearSvm(p, { epochs: 2000, tolerance: 1e-9 });
    const alpha = Array.from(coef, (v, i) => v * p.y[i]!);
    for (let i = 0; i < p.m; i++) {
      let f = 0;
      for (let j = 0; j < p.m; j++) f += coef[j]! * p.gram[i * p.m + j]!;
      const g = p.y[i]! * f - 1 + alpha[i]! / (2 * p.cost[i]!);
      expect(alpha[i]).toBeGreaterThanOrEqual(0);
      if (alpha[i]! > 1e-9) expect(Math.abs(g)).toBeLessThan(1e-6);
      else expect(g).toBeGreaterThan(-1e-6);
    }
  });

  it('separates what the hidden plane separates, and weighs a class by its cost', () => {
    const { p, x } = problem(80, 3, 1);
    const coef = trainLinearSvm(p);
    const w = [0, 1, 2].map((k) => x.reduce((a, v, i) => a + coef[i]! * v[k]!, 0));
    expect(w[0]!).toBeGreaterThan(0);
    expect(w[0]!).toBeGreaterThan(Math.abs(w[2]!));
    const right = x.filter((v, i) => Math.sign(v.reduce((a, u, k) => a + u * w[k]!, 0) + coef.reduce((a, c) => a + c, 0)) === p.y[i]).length;
    expect(right / x.length).toBeGreaterThan(0.85);
    // All of the cost on the positives: the negatives barely move.
    const skewed = { ...p, cost: Float64Array.from(p.y, (v) => (v > 0 ? 1 : 1e-6)) };
    const c2 = trainLinearSvm(skewed);
    expect(Math.max(...Array.from(c2).filter((_, i) => p.y[i]! < 0).map(Math.abs))).toBeLessThan(1e-4);
  });
});
