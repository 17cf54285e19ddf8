import { cleanText } from './clean-text.js';
import { plural } from '../plural.js';
import { truncateWords } from './truncate-words.js';

/**
 * The author line of a paper card: "A", "A and B", "A, B and C", "A, B, C et al." when there are
 * more than three, or "N authors" when the source gives only a count. '' when nothing is known.
 */
export function formatAuthors(authors: readonly string[], authorCount: number | null): string {
  const names = authors.map((a) => truncateWords(cleanText(a), 60)).filter((a) => a.length > 0);
  const total = Math.max(names.length, authorCount ?? 0);
  if (names.length === 0) return total > 0 ? `${plural(total, 'author')}` : '';
  if (total > 3) return `${names.slice(0, 3).join(', ')} et al.`;
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}
