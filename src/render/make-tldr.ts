import type { Paper } from '../types.js';
import { cleanText } from './clean-text.js';
import { splitSentences } from './split-sentences.js';
import { truncateWords } from './truncate-words.js';

/** A TL;DR never runs longer than this, in characters. */
export const MAX_TLDR_CHARS = 300;
/** A second sentence is added only while the TL;DR stays this short. */
const TWO_SENTENCE_LIMIT = 240;

/**
 * The one- or two-sentence TL;DR of a paper card: the source's own summary when it has one,
 * else the abstract's first sentence, plus the second when both fit in a couple of lines. Cut
 * at a sentence boundary (see splitSentences for "e.g.", "et al." and decimals), and at a word
 * boundary with an ellipsis only when a single sentence is itself too long.
 */
export function makeTldr(paper: Pick<Paper, 'summary' | 'abstract'>, maxChars = MAX_TLDR_CHARS): string {
  const summary = cleanText(paper.summary);
  if (summary) return truncateWords(summary, maxChars);
  const abstract = cleanText(paper.abstract);
  if (!abstract) return '';
  const [first = abstract, second] = splitSentences(abstract);
  const tldr = second !== undefined && first.length + 1 + second.length <= Math.min(TWO_SENTENCE_LIMIT, maxChars) ? `${first} ${second}` : first;
  return truncateWords(tldr, maxChars);
}
