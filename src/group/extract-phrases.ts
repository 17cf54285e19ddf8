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
}

/** Generic words that still end a real topic name: "diffusion models", "kernel methods". */
const HEAD_NOUNS = new Set(['model', 'method', 'network', 'system', 'benchmark', 'dataset', 'framework', 'train', 'architectur']);
const CONNECTORS = new Set(['of', 'to', 'and']);

function isConnector(tokens: Token[], k: number): boolean {
  const t = tokens[k]!;
  const next = tokens[k + 1];
  return t.hyphenBefore && CONNECTORS.has(t.stem) && next !== undefined && next.hyphenBefore && next.stop !== 'english';
}

/** Every phrase occurrence of 1..maxLength words in `segments`, in text order. */
export function extractPhrases(segments: Token[][], maxLength: number): Phrase[] {
  const phrases: Phrase[] = [];
  for (const tokens of segments) {
    for (let i = 0; i < tokens.length; i++) {
      const first = tokens[i]!;
      if (first.stop !== null) continue;
      let key = first.stem;
      let surface = first.surface;
      let length = 1;
      phrases.push({ key, surface, length });
      for (let k = i + 1; k < tokens.length && length < maxLength; k++) {
        const next = tokens[k]!;
        const joiner = next.hyphenBefore ? '-' : ' ';
        if (next.stop === 'english') {
          if (!isConnector(tokens, k)) break;
          key += ' ' + next.stem;
          surface += joiner + next.surface;
          continue;
        }
        key += ' ' + next.stem;
        surface += joiner + next.surface;
        length++;
        // A run that ends in filler ("cache method") is kept only if the filler is a head noun
        // that makes a topic name ("world model"); others would flood the vocabulary.
        if (next.stop === 'generic' && !HEAD_NOUNS.has(next.stem)) continue;
        phrases.push({ key, surface, length });
      }
    }
  }
  return phrases;
}

/** Words in a phrase key, connectors not counted (only connectors can be stop words in a key). */
export function phraseLength(key: string): number {
  let n = 0;
  for (const w of key.split(' ')) if (!CONNECTORS.has(w)) n++;
  return n;
}
