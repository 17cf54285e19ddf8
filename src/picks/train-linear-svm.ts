/**
 * A linear SVM for one reader, trained the way scikit-learn's LinearSVC (liblinear) trains
 * arxiv-sanity-lite's: L2-regularized squared hinge loss, solved by dual coordinate descent
 * (Hsieh et al., "A Dual Coordinate Descent Method for Large-scale Linear SVM", ICML 2008), with
 * a cost per example so that classes can be balanced. It is written over the Gram matrix of the
 * examples (their dot products, bias feature included) rather than their vectors: a reader has
 * a few dozen examples whose dot products are mostly prepared once per day
 * (picks/day-vectors.ts), so an epoch costs m² multiply-adds whatever the vocabulary.
 *
 * The weight vector is w = Σ coef[i] · x[i] with coef[i] = α[i] · y[i]; the caller keeps the
 * vectors and uses coef to score and explain.
 *
 * 1. Start at α = 0 (w = 0): every example violates its margin.
 * 2. For each example in turn: the projected gradient G = y·f − 1 + α / (2C) of the dual at α[i];
 *    if it is not zero, move α[i] to the minimum along its coordinate, kept ≥ 0, and update
 *    every example's f = w·x by the change.
 * 3. Stop when the largest projected gradient of an epoch is under `tolerance`, or after
 *    `epochs` epochs (a reader is planned in a fraction of a millisecond; the ranking settles
 *    in a few epochs).
 */

export interface SvmProblem {
  /** Examples. */
  m: number;
  /** m × m, row-major: x[i]·x[j] (+ 1 for the bias feature, as liblinear's intercept). */
  gram: Float64Array;
  /** +1 or −1 per example. */
  y: Int8Array;
  /** C per example (C times the class weight). */
  cost: Float64Array;
}

export interface SvmOptions {
  epochs?: number;
  tolerance?: number;
}

/** coef[i] = α[i] · y[i] of the trained SVM (see the file comment). */
export function trainLinearSvm(problem: SvmProblem, options: SvmOptions = {}): Float64Array {
  const { m, gram, y, cost } = problem;
  const epochs = options.epochs ?? 30;
  const tolerance = options.tolerance ?? 1e-3;
  const alpha = new Float64Array(m);
  const f = new Float64Array(m);
  for (let epoch = 0; epoch < epochs; epoch++) {
    let worst = 0;
    for (let i = 0; i < m; i++) {
      // 2. Squared hinge: D = 1 / (2C), no upper bound on α.
      const d = 1 / (2 * cost[i]!);
      const g = y[i]! * f[i]! - 1 + d * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      if (pg === 0) continue;
      worst = Math.max(worst, Math.abs(pg));
      const next = Math.max(0, alpha[i]! - g / (gram[i * m + i]! + d));
      const step = (next - alpha[i]!) * y[i]!;
      alpha[i] = next;
      if (step === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) f[j]! += step * gram[row + j]!;
    }
    // 3. Converged.
    if (worst < tolerance) break;
  }
  for (let i = 0; i < m; i++) alpha[i]! *= y[i]!;
  return alpha;
}
