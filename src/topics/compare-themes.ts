/**
 * Theme order in an issue: the catch-all last; before it, summed upvotes (null as 0), then
 * size, then label and id, so that equal themes still have one order.
 */
import type { Theme } from '../types.js';

const upvoteSum = (t: Theme): number => t.papers.reduce((sum, p) => sum + (p.upvotes ?? 0), 0);
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sort comparator for themes, strongest first and the catch-all last. */
export function compareThemes(a: Theme, b: Theme): number {
  return (
    Number(a.other) - Number(b.other) ||
    upvoteSum(b) - upvoteSum(a) ||
    b.papers.length - a.papers.length ||
    byCode(a.label, b.label) ||
    byCode(a.id, b.id)
  );
}
