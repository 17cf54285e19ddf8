/**
 * What the group stage knows about one paper: how often each phrase occurs in its title, its
 * body (abstract and TL;DR) and its source keywords.
 */
import type { Paper } from '../types.js';
import { extractPhrases } from './extract-phrases.js';
import { tokenizeText, type Token } from './tokenize-text.js';

/** Longest phrase considered, for labels; clustering uses unigrams and bigrams only. */
export const MAX_PHRASE_LENGTH = 3;

/** Phrase counts of one paper, by field, keyed by stemmed phrase. */
export interface PaperTerms {
  readonly title: Map<string, number>;
  readonly body: Map<string, number>;
  readonly keywords: Map<string, number>;
  /** Title, keywords, abstract and TL;DR tokenized, for the spellings of the few phrases that become labels. */
  readonly tokens: Token[][][];
}

/**
 * The texts of a paper in which phrases are counted: title, source keywords, abstract,
 * TL;DR. Keywords are joined with periods so that two of them never form a bigram.
 */
export function paperTexts(paper: Paper): [string, string, string, string] {
  return [paper.title, paper.keywords.join(' . '), paper.abstract, paper.summary ?? ''];
}

function countKeys(segments: Token[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { key } of extractPhrases(segments, MAX_PHRASE_LENGTH, { spell: false })) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Tokenizes and counts the phrases of `paper`'s title, abstract, summary and keywords. */
export function analyzePaper(paper: Paper): PaperTerms {
  const tokens = paperTexts(paper).map(tokenizeText);
  const [title, keywords, abstract, summary] = tokens as [Token[][], Token[][], Token[][], Token[][]];
  const body = countKeys(abstract);
  for (const [key, c] of countKeys(summary)) body.set(key, (body.get(key) ?? 0) + c);
  return { title: countKeys(title), body, keywords: countKeys(keywords), tokens };
}

/** Calls `fn` once for each distinct phrase of the paper, whatever fields it occurs in. */
export function forEachPhrase(terms: PaperTerms, fn: (key: string) => void): void {
  for (const key of terms.title.keys()) fn(key);
  for (const key of terms.body.keys()) if (!terms.title.has(key)) fn(key);
  for (const key of terms.keywords.keys()) if (!terms.title.has(key) && !terms.body.has(key)) fn(key);
}
