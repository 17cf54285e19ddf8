/**
 * N-grams of a tokenized text that could name a topic: runs of 1..maxLength words inside one
 * segment, starting with a content word and holding no English stop word, except "of", "to"
 * and "and" hyphenated between two words ("Mixture-of-Experts", "Sim-to-Real"), which count as
 * no word of their own. Generic ML words may follow ("world model"), never lead ("proposed
 * method" is no phrase).
 */
import type { Token } from './tokenize-text.js';

/** One occurrence of a phrase. */
export interface Phrase {
  /** Stems joined by single spaces: the identity of the phrase ("kv cach compress"). */
  key: string;
  /** As written, hyphens kept ("KV-Cache Compression"). */
  surface: string;
  /** Number of words, connectors not counted. */
  length: number;
  /** Where it is: the index of its segment, and of its last token there (what follows starts at end + 1). */
  segment: number;
  end: number;
}

/** Generic words that still end a real topic name: "diffusion models", "kernel methods". */
const HEAD_NOUNS = new Set(['model', 'method', 'network', 'system', 'benchmark', 'dataset', 'framework', 'train', 'architectur']);
const CONNECTORS = new Set(['of', 'to', 'and']);

function isConnector(tokens: Token[], k: number): boolean {
  const t = tokens[k]!;
  const next = tokens[k + 1];
  return t.hyphenBefore && CONNECTORS.has(t.stem) && next !== undefined && next.hyphenBefore && next.stop !== 'english';
}

/** What to build: surfaces (default yes), and only phrases whose first stem is in `starts`. */
export interface ExtractOptions {
  spell?: boolean;
  starts?: ReadonlySet<string>;
}

/**
 * Every phrase occurrence of 1..maxLength words in `segments`, in text order. With
 * `spell: false` the surface is left empty, and with `starts` other phrases are skipped:
 * building and hashing phrase strings is the main cost of grouping a large digest.
 */
export function extractPhrases(segments: Token[][], maxLength: number, options: ExtractOptions = {}): Phrase[] {
  const spell = options.spell ?? true;
  const starts = options.starts;
  const phrases: Phrase[] = [];
  for (let segment = 0; segment < segments.length; segment++) {
    const tokens = segments[segment]!;
    for (let i = 0; i < tokens.length; i++) {
      const first = tokens[i]!;
      if (first.stop !== null || (starts !== undefined && !starts.has(first.stem))) continue;
      let key = first.stem;
      let surface = spell ? first.surface : '';
      let length = 1;
      phrases.push({ key, surface, length, segment, end: i });
      for (let k = i + 1; k < tokens.length && length < maxLength; k++) {
        const next = tokens[k]!;
        const joiner = next.hyphenBefore ? '-' : ' ';
        if (next.stop === 'english') {
          if (!isConnector(tokens, k)) break;
          key += ' ' + next.stem;
          if (spell) surface += joiner + next.surface;
          continue;
        }
        key += ' ' + next.stem;
        if (spell) surface += joiner + next.surface;
        length++;
        // A run that ends in filler ("cache method") is kept only if the filler is a head noun
        // that makes a topic name ("world model"); others would flood the vocabulary.
        if (next.stop === 'generic' && !HEAD_NOUNS.has(next.stem)) continue;
        phrases.push({ key, surface, length, segment, end: k });
      }
    }
  }
  return phrases;
}

/** Words in a phrase key, connectors not counted (only connectors can be stop words in a key). */
export function phraseLength(key: string): number {
  // A character loop: this runs for every phrase of every paper, and split() would allocate.
  let words = 0;
  let start = 0;
  for (let i = 0; i <= key.length; i++) {
    if (i < key.length && key.charCodeAt(i) !== 32) continue;
    const w = i - start;
    const connector =
      (w === 2 && ((key[start] === 'o' && key[start + 1] === 'f') || (key[start] === 't' && key[start + 1] === 'o'))) ||
      (w === 3 && key[start] === 'a' && key[start + 1] === 'n' && key[start + 2] === 'd');
    if (!connector) words++;
    start = i + 1;
  }
  return words;
}
