/**
 * Tokenization for grouping: words, their stems and stop-word tier, split into segments at
 * punctuation so that phrases never span a comma, a bracket or a sentence end.
 */
import stem from 'wink-porter2-stemmer';
import { isStopWord } from './is-stop-word.js';

/** One word of a text. */
export interface Token {
  /** Lowercase Porter2 stem; acronyms are lowercased but not stemmed ("LLMs" → "llm"). */
  stem: string;
  /** The word as written ("KV", "Cache", "distillation"). */
  surface: string;
  /** 'english' words break phrases, 'generic' ML filler may only sit inside one; null for content words. */
  stop: 'english' | 'generic' | null;
  /** True when the word was joined to the previous one by a hyphen ("KV-Cache"). */
  hyphenBefore: boolean;
}

// Porter2 and the stop-word checks are the hot path on 1,000 abstracts; words repeat, so
// remember what each spelling gives (bounded, so a long-running server cannot grow it forever).
const wordCache = new Map<string, Pick<Token, 'stem' | 'stop'>>();
const WORD_CACHE_LIMIT = 200_000;

const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\w.-]+\.(?:com|org|io|ai|net|edu)\/\S*/gi;
// "Code is available at ..." says nothing about the topic yet appears in many abstracts.
const CODE_AVAILABLE =
  /\b(?:(?:our|the|all) )?(?:source )?(?:code|codes|implementation)(?:,? (?:data|datasets?|models?|weights|checkpoints)(?:,)?)*(?: and (?:data|datasets?|models?|weights|checkpoints))? (?:is|are|will be|has been|have been) (?:made )?(?:publicly |openly |freely )?(?:available|released|open-sourced)[^.]*/gi;
const TEX_ACCENT = /\\["'^`~=.]\{?([A-Za-z])\}?/g;
const TEX_COMMAND = /\\[A-Za-z]+/g;
const POSSESSIVE = /(\p{L})['’]s\b/gu;
const SEGMENT_BREAK = /[.,;:!?()[\]{}"“”‘’'`/\\|<>=+*&%#@~^$]|\s[-–—]+\s|[–—]/u;
const COMPOUND = /[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)*/gu;

function analyzeWord(word: string): Pick<Token, 'stem' | 'stop'> {
  const lower = word.toLowerCase();
  // Numbers, single letters and model-size tags ("7B", "Qwen2") are no topic; 2D/3D/4D are.
  if (lower.length < 2 || (/\d/.test(lower) && !/^[1-4]d$/.test(lower))) return { stem: lower, stop: 'english' };
  let stemmed: string;
  if (/^[A-Z][A-Z0-9]*[A-Z]s$/.test(word)) stemmed = lower.slice(0, -1);
  else if ((word.match(/\p{Lu}/gu)?.length ?? 0) >= 2) stemmed = lower;
  else stemmed = stem(lower);
  return { stem: stemmed, stop: isStopWord(lower, stemmed) };
}

function toToken(word: string, hyphenBefore: boolean): Token {
  let known = wordCache.get(word);
  if (known === undefined) {
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    known = analyzeWord(word);
    wordCache.set(word, known);
  }
  return { stem: known.stem, surface: word, stop: known.stop, hyphenBefore };
}

/**
 * Splits `text` into segments of tokens. A segment ends at punctuation, so n-grams built
 * within a segment are phrases a person could have written. URLs, TeX commands and
 * "code is available at" sentences are dropped first.
 */
export function tokenizeText(text: string): Token[][] {
  const clean = text
    .normalize('NFKC')
    .replace(URL, ' . ')
    .replace(CODE_AVAILABLE, ' . ')
    .replace(TEX_ACCENT, '$1')
    .replace(TEX_COMMAND, ' ')
    .replace(POSSESSIVE, '$1');
  const segments: Token[][] = [];
  for (const part of clean.split(SEGMENT_BREAK)) {
    const tokens: Token[] = [];
    for (const match of part.matchAll(COMPOUND)) {
      match[0].split(/[-_]/).forEach((word, i) => tokens.push(toToken(word, i > 0)));
    }
    if (tokens.length > 0) segments.push(tokens);
  }
  return segments;
}
