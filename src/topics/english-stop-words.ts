/**
 * English function words ("a", "the", "of", "via"): the `stopword` package's list plus a few it
 * lacks. The topics stage breaks phrases at them (is-stop-word.ts), and a follow made only of
 * them names nothing (picks/follow-problem.ts). Loaded on first use, synchronously: the stores
 * check follows with this and are loaded by every command, a send included, whose start-up
 * should not pay for the `stopword` package (every language it has, ~25 ms).
 */
import { createRequire } from 'node:module';

const EXTRA_ENGLISH = [
  'its', 'via', 'does', 'doing', 'not', 'no', 'nor', 'yet', 'thus', 'hence', 'therefore', 'whereas', 'whether',
  'upon', 'within', 'without', 'across', 'along', 'among', 'towards', 'toward', 'onto', 'per', 'versus', 'vs',
  'etc', 'eg', 'ie', 'et', 'al', 'i.e', 'e.g', 'us', 'they', 'them', 'it', 'an', 'the', 'one', 'two', 'three',
  'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'first', 'second', 'third', 'often', 'however',
  'furthermore', 'moreover', 'additionally', 'specifically', 'finally', 'further', 'although', 'though',
  'while', 'despite', 'instead', 'rather', 'either', 'neither', 'every', 'even', 'less', 'least', 'several',
  'often', 'usually', 'typically', 'generally', 'particularly', 'especially', 'largely', 'mostly', 'just',
  'always', 'already', 'whose', 'whom', 'why', 'when', 'during', 'after', 'above', 'below', 'beyond', 'up',
  'down', 'off', 'again', 'once', 'ever', 'far', 'much', 'many', 'few', 'both', 'own', 'so', 'very', 'can',
  'cannot', 'could', 'may', 'might', 'shall', 'will', 'would', 'should', 'must', 'need', 'needs', 'needed',
  'able', 'via', 'what', 'which', 'who', 'where', 'how', 'here', 'there', 'been', 'be', 'being', 'is', 'are',
  'was', 'were', 'has', 'have', 'had', 'do', 'did', 'done', 'let', 'lets', 'make', 'makes', 'made', 'given',
  'give', 'gives', 'towards', 'whole', 'else', 'beside', 'besides', 'around', 'overall', 'next', 'last',
];

let words: ReadonlySet<string> | null = null;

/** The English stop words, lowercase (made once). */
export function englishStopWords(): ReadonlySet<string> {
  words ??= new Set([...(createRequire(import.meta.url)('stopword') as { eng: string[] }).eng, ...EXTRA_ENGLISH]);
  return words;
}
