/**
 * The features a reader's model sees in one paper (arxiv-sanity-lite's recipe, on paperpost's
 * tokenizer): the 1- and 2-word phrases of its title, keywords and abstract, counted as stems
 * (topics/tokenize-text.ts and extract-phrases.ts, so "Draft Models" and "draft model" are one
 * feature and "proposed method" is none), and each author as one feature of their own. Authors
 * are whole names, not name words: two papers by a "Wang" share nothing, two by Tri Dao do.
 *
 * A reason shows a feature as people write it, so the spellings are counted where asked
 * (`spellings`), and the most frequent one is shown (lowercase, acronyms kept: "KV cache").
 */
import { extractPhrases } from '../topics/extract-phrases.js';
import { tokenizeText, type Token } from '../topics/tokenize-text.js';
import { followKey } from './reader-signals.js';

/** What the model reads of a paper: a day's paper or a rated one (picks/reader-signals.ts RatedPaper). */
export interface PaperText {
  title: string;
  abstract: string;
  authors: readonly string[];
  keywords: readonly string[];
}

/** Author features are keyed apart from phrases: a phrase key never starts with "@". */
const AUTHOR = '@';
/** Authors counted per paper: a 300-author consortium paper is not 300 features. */
const MAX_AUTHORS = 20;
/** 1- and 2-word phrases, as in arxiv-sanity-lite's ngram_range=(1, 2). */
const MAX_WORDS = 2;

/** Spellings seen per feature key, counted: key → surface → count. */
export type Spellings = Map<string, Map<string, number>>;

/**
 * The tokens of title, keywords and abstract, in the layout the topic matcher reads
 * (topics/analyze-paper.ts paperTexts: title, keywords, abstract, TL;DR), so that a rated
 * paper is tokenized once for its terms and its topics.
 */
export function paperTokens(paper: PaperText & { summary?: string | null }): Token[][][] {
  return [paper.title, paper.keywords.join(' . '), paper.abstract, paper.summary ?? ''].map((text) => (text === '' ? [] : tokenizeText(text)));
}

/** Term counts of `paper` by feature key; with `spellings`, counts how each key was written too. `tokens`: paperTokens(paper), when made already. */
export function paperTerms(paper: PaperText, spellings?: Spellings, tokens: Token[][][] = paperTokens(paper)): Map<string, number> {
  const counts = new Map<string, number>();
  const spell = spellings !== undefined;
  for (const segments of tokens.slice(0, 3)) {
    for (const { key, surface } of extractPhrases(segments, MAX_WORDS, { spell })) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (spell) note(spellings, key, surface);
    }
  }
  for (const name of paper.authors.slice(0, MAX_AUTHORS)) {
    const key = AUTHOR + followKey('author', name);
    if (key === AUTHOR) continue;
    counts.set(key, 1);
    if (spell) note(spellings, key, name.replace(/\s+/g, ' ').trim());
  }
  return counts;
}

function note(spellings: Spellings, key: string, surface: string): void {
  let seen = spellings.get(key);
  if (seen === undefined) spellings.set(key, (seen = new Map()));
  seen.set(surface, (seen.get(surface) ?? 0) + 1);
}

/** A phrase as a reason prints it: lowercase, except words with two capitals or more ("KV", "LLMs"). */
function displayForm(surface: string): string {
  return surface
    .split(/([\s-]+)/)
    .map((w) => ((w.match(/\p{Lu}/gu)?.length ?? 0) >= 2 ? w : w.toLowerCase()))
    .join('');
}

/** The spelling of `key` to show: the most frequent one seen, else the key itself. */
export function spellingOf(spellings: Spellings, key: string): string {
  const seen = spellings.get(key);
  if (seen === undefined) return key.startsWith(AUTHOR) ? key.slice(1) : key;
  // Spellings that differ only in case are one ("Draft Model", "draft model").
  const shown = new Map<string, number>();
  for (const [surface, n] of seen) {
    const form = isAuthorTerm(key) ? surface : displayForm(surface);
    shown.set(form, (shown.get(form) ?? 0) + n);
  }
  let best = '';
  let most = 0;
  for (const [form, n] of shown) if (n > most || (n === most && form < best)) [best, most] = [form, n];
  return best;
}

/** True for an author feature. */
export function isAuthorTerm(key: string): boolean {
  return key.startsWith(AUTHOR);
}
