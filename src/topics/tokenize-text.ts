/**
 * Tokenization for grouping: words, their stems and stop-word tier, split into segments at
 * punctuation so that phrases never span a comma, a bracket or a sentence end.
 */
import stem from 'wink-porter2-stemmer';
import { isStopWord } from './is-stop-word.js';

/** One word of a text. */
export interface Token {
  /** Lowercase Porter2 stem; acronyms are lowercased but not stemmed ("LLMs" → "llm"). */
  readonly stem: string;
  /** The word as written ("KV", "Cache", "distillation"). */
  readonly surface: string;
  /** `surface` in lower case, made once per spelling (the topic matcher compares it at every word). */
  readonly lower: string;
  /** 'english' words break phrases, 'generic' ML filler may only sit inside one; null for content words. */
  readonly stop: 'english' | 'generic' | null;
  /** True when the word was joined to the previous one by a hyphen ("KV-Cache"). */
  readonly hyphenBefore: boolean;
}

// Porter2 and the stop-word checks are the hot path on 1,000 abstracts; words repeat, so each
// spelling is analysed once and its (immutable) tokens are shared. Bounded, so a long-running
// process cannot grow it forever.
const tokenCache = new Map<string, [Token, Token]>();
const TOKEN_CACHE_LIMIT = 200_000;

const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\w.-]+\.(?:com|org|io|ai|net|edu)\/\S*/gi;
// "Code is available at ..." says nothing about the topic yet appears in many abstracts.
const CODE_AVAILABLE =
  /\b(?:(?:our|the|all) )?(?:source )?(?:code|codes|implementation)(?:,? (?:data|datasets?|models?|weights|checkpoints)(?:,)?)*(?: and (?:data|datasets?|models?|weights|checkpoints))? (?:is|are|will be|has been|have been) (?:made )?(?:publicly |openly |freely )?(?:available|released|open-sourced)[^.]*/gi;
const TEX_ACCENT = /\\["'^`~=.]\{?([A-Za-z])\}?/g;
const TEX_COMMAND = /\\[A-Za-z]+/g;
const POSSESSIVE = /(\p{L})['’]s\b/gu;
// One pass finds words (group 1) and what ends a segment: punctuation, a spaced dash, an en or em dash.
const SCAN = /([\p{L}\p{N}]+)|[.,;:!?()[\]{}"“”‘’'`/\\|<>=+*&%#@~^$–—]|\s-+\s/gu;

function analyzeWord(word: string, lower: string): Pick<Token, 'stem' | 'stop'> {
  // Numbers, single letters and model-size tags ("7B", "Qwen2") are no topic; 2D/3D/4D are.
  if (lower.length < 2 || (/\d/.test(lower) && !/^[1-4]d$/.test(lower))) return { stem: lower, stop: 'english' };
  let stemmed: string;
  if (/^[A-Z][A-Z0-9]*[A-Z]s$/.test(word)) stemmed = lower.slice(0, -1);
  else if ((word.match(/\p{Lu}/gu)?.length ?? 0) >= 2) stemmed = lower;
  else stemmed = stem(lower);
  return { stem: stemmed, stop: isStopWord(lower, stemmed) };
}

function toToken(word: string, hyphenBefore: boolean): Token {
  let pair = tokenCache.get(word);
  if (pair === undefined) {
    if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
    const lower = word.toLowerCase();
    const { stem: stemmed, stop } = analyzeWord(word, lower);
    pair = [
      { stem: stemmed, surface: word, lower, stop, hyphenBefore: false },
      { stem: stemmed, surface: word, lower, stop, hyphenBefore: true },
    ];
    tokenCache.set(word, pair);
  }
  return pair[hyphenBefore ? 1 : 0];
}

/**
 * Splits `text` into segments of tokens. A segment ends at punctuation, so n-grams built
 * within a segment are phrases a person could have written. URLs, TeX commands and
 * "code is available at" sentences are dropped first.
 */
export function tokenizeText(text: string): Token[][] {
  // The cleaning patterns are slow to scan; most texts need none of them, which a cheap test tells.
  let clean = text.normalize('NFKC');
  if (/:\/\/|www\.|\.(?:com|org|io|ai|net|edu)\//i.test(clean)) clean = clean.replace(URL, ' . ');
  if (/availab|releas|open-sourc/i.test(clean)) clean = clean.replace(CODE_AVAILABLE, ' . ');
  if (clean.includes('\\')) clean = clean.replace(TEX_ACCENT, '$1').replace(TEX_COMMAND, ' ');
  if (/['’]/.test(clean)) clean = clean.replace(POSSESSIVE, '$1');
  const segments: Token[][] = [];
  let tokens: Token[] = [];
  let lastEnd = -2;
  SCAN.lastIndex = 0;
  for (let m = SCAN.exec(clean); m !== null; m = SCAN.exec(clean)) {
    const word = m[1];
    if (word === undefined) {
      if (tokens.length > 0) segments.push(tokens);
      tokens = [];
      continue;
    }
    // Joined by a hyphen or underscore to the word just before: "KV-Cache", "few_shot".
    const sep = clean.charCodeAt(m.index - 1);
    const joined = tokens.length > 0 && lastEnd === m.index - 1 && (sep === 45 || sep === 95);
    tokens.push(toToken(word, joined));
    lastEnd = m.index + word.length;
  }
  if (tokens.length > 0) segments.push(tokens);
  return segments;
}
