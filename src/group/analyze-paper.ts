/**
 * What the group stage knows about one paper: how often each phrase occurs in its title, its
 * body (abstract and TL;DR) and its source keywords, and how each phrase was spelled.
 */
import type { Paper } from '../types.js';
import { extractPhrases } from './extract-phrases.js';
import { tokenizeText } from './tokenize-text.js';

/** Longest phrase considered, for labels; clustering uses unigrams and bigrams only. */
export const MAX_PHRASE_LENGTH = 3;

/** Phrase counts of one paper, by field, keyed by stemmed phrase. */
export interface PaperTerms {
  title: Map<string, number>;
  body: Map<string, number>;
  keywords: Map<string, number>;
  /** Stemmed phrase → spelling as written → occurrences. */
  surfaces: Map<string, Map<string, number>>;
}

function count(text: string, into: Map<string, number>, surfaces: PaperTerms['surfaces']): void {
  for (const { key, surface } of extractPhrases(tokenizeText(text), MAX_PHRASE_LENGTH)) {
    into.set(key, (into.get(key) ?? 0) + 1);
    let spellings = surfaces.get(key);
    if (!spellings) surfaces.set(key, (spellings = new Map()));
    spellings.set(surface, (spellings.get(surface) ?? 0) + 1);
  }
}

/** Tokenizes and counts the phrases of `paper`'s title, abstract, summary and keywords. */
export function analyzePaper(paper: Paper): PaperTerms {
  const terms: PaperTerms = { title: new Map(), body: new Map(), keywords: new Map(), surfaces: new Map() };
  count(paper.title, terms.title, terms.surfaces);
  count(paper.abstract, terms.body, terms.surfaces);
  if (paper.summary) count(paper.summary, terms.body, terms.surfaces);
  // Keywords are separate phrases; a period keeps two of them from forming a bigram.
  if (paper.keywords.length > 0) count(paper.keywords.join(' . '), terms.keywords, terms.surfaces);
  return terms;
}
