/**
 * Total orders on papers, so that no output ever depends on the order a digest listed them in.
 */
import type { Paper } from '../types.js';

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reading order within a theme, best first: upvotes (null counts as 0), then the newer
 * date (unknown last), then id, title and finally the whole record.
 */
export function comparePapers(a: Paper, b: Paper): number {
  return (
    (b.upvotes ?? 0) - (a.upvotes ?? 0) ||
    byCode(b.publishedAt ?? '', a.publishedAt ?? '') ||
    compareCanonical(a, b)
  );
}

/** Identity order: id, then title, then the whole record (for duplicate ids). */
export function compareCanonical(a: Paper, b: Paper): number {
  return byCode(a.id, b.id) || byCode(a.title, b.title) || byCode(JSON.stringify(a), JSON.stringify(b));
}
