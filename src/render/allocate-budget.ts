/**
 * A reader's copy has a length budget (MAX_PAPERS, issue #21): an arXiv day has 30-odd
 * sections and hundreds of papers, and a copy that shows them all is neither readable nor
 * under Gmail's clip. This decides how many papers of each section a copy shows. It depends
 * only on the sections the copy shows (their sizes, in the order) and the budget, so
 * every reader with the same copy plan gets the same allocation and the composer's variant
 * cache keeps working.
 *
 * 1. Take out `reserved` papers first (issue #20: a reader's picks count toward the same budget).
 * 2. Which sections get papers: the catch-all last; before it the day's interest (upvotes), then
 *    size (on an arXiv day there are no upvotes, and a big section is what the day was about),
 *    then the order. In that order each section gets its top few papers (FEW, fewer
 *    when it has fewer) while the budget lasts; sections past it show none (the copy lists
 *    them by name, each with a link to its place on the web page).
 * 3. The rest goes one paper at a time to the section with the most papers per paper shown
 *    (D'Hondt: size / (shown + 1)), ties to the earlier section, never past what it can show.
 * The copy still shows its sections in the order; this only decides how many of each.
 */

/** One section as the budget sees it. */
export interface BudgetSection {
  /** Papers the section has (the "N more" count is measured against this). */
  size: number;
  /** Most papers the copy can show of it (the papers the compiled issue carries for it). */
  cap: number;
  /** The day's interest in it (summed upvotes; 0 without upvotes). */
  interest?: number;
  /** The catch-all: served last. */
  other?: boolean;
}

/** Papers a section gets before the next section gets any: "each section's top few". */
export const FEW = 3;

/**
 * The order a budget serves sections in (step 2), as indices: the catch-all last; before it the
 * day's interest, then size, then the order. A copy's subject names its topics in this
 * order, so it names what the copy shows most of.
 */
export function servingOrder(sections: readonly BudgetSection[]): number[] {
  return sections
    .map((s, i) => ({ s, i }))
    .sort((a, b) => Number(a.s.other === true) - Number(b.s.other === true) || (b.s.interest ?? 0) - (a.s.interest ?? 0) || b.s.size - a.s.size || a.i - b.i)
    .map(({ i }) => i);
}

/** Papers shown per section, in the order given; their sum is at most `budget - reserved`. */
export function allocateBudget(sections: readonly BudgetSection[], budget: number, reserved = 0): number[] {
  const limit = (s: BudgetSection) => Math.max(0, Math.min(s.size, s.cap));
  // 1.
  let left = Number.isFinite(budget) ? Math.max(0, Math.floor(budget) - Math.max(0, reserved)) : Number.POSITIVE_INFINITY;
  if (left === Number.POSITIVE_INFINITY) return sections.map(limit);
  const shown = sections.map(() => 0);
  // 2.
  for (const i of servingOrder(sections)) {
    const s = sections[i]!;
    if (left === 0) break;
    shown[i] = Math.min(limit(s), FEW, left);
    left -= shown[i]!;
  }
  // 3.
  while (left > 0) {
    let best = -1;
    let bestWeight = 0;
    sections.forEach((s, i) => {
      if (shown[i]! >= limit(s) || shown[i] === 0) return;
      const weight = s.size / (shown[i]! + 1);
      if (weight > bestWeight) {
        best = i;
        bestWeight = weight;
      }
    });
    if (best < 0) break;
    shown[best]!++;
    left--;
  }
  return shown;
}
