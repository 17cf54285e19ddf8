/**
 * A subject line is read in a phone's inbox, where about 78 characters show: it names the
 * strongest two or three topics and the paper count. "and 7 more topics" says how much else
 * there is, but only when it fits; a terse "+7" never appears. Topics come in the issue's
 * order (strongest first), the catch-all left out by the caller.
 */
import { cleanText } from './clean-text.js';
import { plural } from '../plural.js';
import { truncateWords } from './truncate-words.js';

/** The longest subject line fitTopics aims for, in characters. */
export const MAX_SUBJECT_LINE = 78;

const length = (s: string) => [...cleanText(s)].length;

/** "A", "A and B", "A, B and C": a complete list. */
const listAll = (labels: string[]) => (labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`);

/**
 * The ways to name `labels` in a subject, most informative first:
 * 1. three topics, then two, each with "and N more topics", else "and more", else alone
 *    (a complete list reads "A, B and C", or "A, B and more" when `others` says the issue
 *    also has papers in no topic: the catch-all);
 * 2. then one topic, likewise.
 */
export function topicPhrases(labels: string[], others = false): string[] {
  const phrases: string[] = [];
  for (const k of [3, 2, 1]) {
    if (k > labels.length) continue;
    const shown = labels.slice(0, k);
    const rest = labels.length - k;
    if (rest === 0) {
      phrases.push(others ? `${shown.join(', ')} and more` : listAll(shown), shown.join(', '));
    } else {
      phrases.push(`${shown.join(', ')} and ${plural(rest, 'more topic')}`, `${shown.join(', ')} and more`, shown.join(', '));
    }
  }
  return [...new Set(phrases)];
}

/**
 * The first line `render(phrase)` makes, over topicPhrases(labels, others), that is at most
 * `max` characters. When even one topic is too long, that topic is cut at a word to fit.
 */
export function fitTopics(labels: string[], render: (topics: string) => string, max = MAX_SUBJECT_LINE, others = false): string {
  const phrases = topicPhrases(labels, others);
  for (const phrase of phrases) {
    const line = render(phrase);
    if (length(line) <= max) return line;
  }
  // One topic alone is still too long: cut it at a word by what the line is over, keeping
  // "and more" when the cut topic still says something (a dozen characters or more).
  const first = labels[0] ?? '';
  const more = labels.length > 1 || others ? [' and more', ''] : [''];
  for (const suffix of more) {
    const over = length(render(`${first}${suffix}`)) - max;
    const keep = [...first].length - over;
    if (keep >= 12 || suffix === '') return render(`${truncateWords(first, Math.max(12, keep))}${suffix}`);
  }
  return render(first);
}
