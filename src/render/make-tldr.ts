/**
 * A subscriber reads one or two lines per paper and decides whether to click, so the TL;DR has
 * to say what the paper does. An abstract's first sentence rarely does ("Time-series
 * representation learning is a fundamental task…"); the sentence that does usually says so:
 * "we propose", "in this work", "experiments show". This picks that sentence, weighed by how
 * central it is to the abstract (TextRank: sentences that share words with many others), and
 * adds a finding when both fit in about 45 words. Everything here is deterministic.
 */
import { eng } from 'stopword';
import stem from 'wink-porter2-stemmer';
import type { Paper } from '../types.js';
import { latexToUnicode } from '../ingest/latex-to-unicode.js';
import { cleanText } from './clean-text.js';
import { splitSentences } from './split-sentences.js';
import { truncateWords } from './truncate-words.js';

/** A TL;DR never runs longer than this, in characters. */
export const MAX_TLDR_CHARS = 300;
/** …nor longer than about this many words: a single sentence may run a little over. */
const TARGET_WORDS = 45;
const SENTENCE_SLACK_WORDS = 5;

/**
 * Cues that a sentence states the paper's contribution, strongest first: what the paper does
 * (3), what it finds (2), what it studies (1). "We" may carry adverbs: "we further show".
 */
const WE = String.raw`\b(?:we|here we|in this (?:paper|work|study|article),? we)(?:\s+(?:also|further|then|first|now|thus|therefore|additionally|finally|instead|here|newly|\w+ly))*\s+`;
const CUES: Array<[tier: number, pattern: RegExp]> = [
  [3, new RegExp(`${WE}(?:propose|introduce|present|develop|design|build|construct|devise|formulate|contribute|release|open-source|unveil|establish|offer|provide|create|describe|put forward|call|dub|term|name)`, 'i')],
  [2, /\b(?:in this (?:paper|work|study|article|thesis)|here),? we\b/i],
  [3, /\bwe (?:\w+ )?(?:address|tackle|study|investigate|examine|consider|revisit)\b[^.;]{0,60}\band (?:propose|introduce|present|develop|design)\b/i],
  [3, /\b(?:this|our) (?:paper|work|study|article|thesis|report|letter) (?:\w+ly )?(?:proposes|introduces|presents|develops|designs|describes|offers|provides|establishes|contributes|addresses|tackles|shows|demonstrates)\b/i],
  [3, /\b(?:dubbed|named|called|termed) [\p{Lu}\p{N}]/u],
  [2, new RegExp(`${WE}(?:show|find|demonstrate|prove|observe|reveal|discover|derive|obtain|achieve|confirm|verify|report|identify|argue|conclude|give|characteri[sz]e|answer|resolve|settle|uncover|quantify|explain)`, 'i')],
  [2, /\b(?:our|the|these|experimental|empirical|extensive|numerical) (?:results|experiments|findings|evaluations?|analys[ie]s|theory|method|approach|model|framework|algorithm|system)(?: \w+){0,4} (?:show|demonstrat|reveal|indicat|suggest|confirm|achiev|outperform|improv|reduc|enabl|yield)\w*\b/i],
  [2, /\b(?:experiments|evaluations|results|empirically|extensive experiments) (?:on [^,.]{1,60} )?(?:show|demonstrat|reveal|indicat|confirm|suggest)\w*\b/i],
  [2, /\d\s?(?:×|%|-fold)(?=[\s,.;)])|\b\d+(?:\.\d+)?x (?:faster|smaller|larger|fewer|less|more|speed)/i],
  [2, /\b(?:outperforms?|surpass(?:es)?|achieves?|speed-?ups?|reduces? [^.]{0,40}by|improves? [^.]{0,40}by)\b/i],
  [1, new RegExp(`${WE}(?:study|investigate|explore|analy[sz]e|examine|consider|formali[sz]e|evaluate|compare|measure|extend|generali[sz]e|revisit|train|apply|leverage|use|focus|address|tackle|aim|seek|conduct|perform|ask|take)`, 'i')],
  [1, /\b(?:our|the proposed) (?:method|approach|model|framework|algorithm|system|technique|architecture|analysis)\b/i],
  [1, /\bthis (?:paper|work|study|article|thesis)\b/i],
];

/** A sentence that only announces what follows ("we establish three key findings") says little. */
const TEASER = /\b(?:two|three|four|five|several|key|main|following)(?: \w+)? (?:findings|contributions|insights|observations|questions|results|lessons|parts|steps|stages)(?: as follows)?[.:]?$/i;

/** A sentence that starts by pointing back ("It", "These findings") needs the one before it. */
const ANAPHORA = /^(?:it|they|this|these|those|such|there|in (?:these|this|such|both|all) cases?)\b/i;

/** A sentence that points back to earlier ones ("these ideas") reads well only right after them. */
const POINTS_BACK = /\b(?:these|those|such|the latter|the former)\b|\bthis (?!paper|work|study|article|thesis)\w+/i;

/** "(2) To preserve…": one item of an enumeration. */
const ITEM = /^\(?(?:\d|[ivx]{1,3})\)\s/i;

/** "…compression: (1) We first analyze…": the enumeration is cut, the sentence ends at the colon. */
const ENUMERATION = /^(.{40,}?):\s*\(?(?:1|i|a)\)\s.*$/;

/** A sentence that only points to code or data is never the TL;DR. */
const CODE_ONLY = /^(?:(?:the |our )?(?:code|source code|implementation|models?|data(?:set)?s?|weights|checkpoints)(?: and [\w ]+)? (?:is|are|will be|has been|have been) (?:publicly |made )*(?:available|released|open-sourced))|https?:\/\/|github\.com\//i;

/**
 * Openings that only link a sentence to the one before it: "To address this, we propose…" reads
 * as "We propose…" on its own.
 */
const LEAD_IN =
  /^(?:[^,;:]{0,60}\b(?:this|these|those|such|above)\b[^,;:]{0,30}, |(?:to (?:address|tackle|overcome|solve|bridge|fill|close|mitigate|alleviate|remedy|resolve|handle|fix)|motivated by|inspired by|based on|building (?:on|upon)|guided by|in light of|in response to|to this end|to that end|towards? this goal|with this in mind|given (?:this|these)|in this (?:paper|work|study|article)|here|therefore|thus|hence|accordingly|consequently|specifically|instead|as a result|in addition|additionally|furthermore|moreover|finally|first|second|third|lastly|concretely|in particular)\b[^,;:]{0,80}, )(?=(?:we|our)\b)/i;

interface Scored {
  text: string;
  index: number;
  tier: number;
  centrality: number;
  words: number;
}

/**
 * The TL;DR of a paper card: the source's own summary when it has one (the Hugging Face API's
 * `ai_summary`); else the abstract's contribution sentence, with a finding when both fit.
 * At most about 45 words and `maxChars` characters, cut at a word with an ellipsis.
 */
export function makeTldr(paper: Pick<Paper, 'summary' | 'abstract'>, maxChars = MAX_TLDR_CHARS): string {
  // Ingest has already made LaTeX readable; text from anywhere else gets the same treatment.
  const summary = latexToUnicode(cleanText(paper.summary));
  if (summary) return shorten(summary, maxChars);
  const abstract = latexToUnicode(cleanText(paper.abstract));
  if (!abstract) return '';
  const chosen = chooseSentences(abstract, maxChars);
  return shorten(chosen.map((s) => dropLeadIn(s.text)).join(' '), maxChars);
}

/**
 * 1. Score every sentence: its strongest cue and its TextRank centrality.
 * 2. The first pick is the best sentence of the highest tier present (a contribution sentence
 *    whenever the abstract has one), centrality breaking ties within the tier.
 * 3. A second sentence joins when both fit in the word and character limits: a finding from
 *    later in the abstract, what was studied before a finding, or the next sentence when the
 *    first is too short to say much. The two keep the abstract's order.
 */
function chooseSentences(abstract: string, maxChars: number): Scored[] {
  const sentences = splitSentences(abstract)
    .filter((s) => /\p{L}/u.test(s))
    .map((s) => s.replace(ENUMERATION, '$1.'));
  if (sentences.length <= 1) return sentences.map((text, index) => ({ text, index, tier: 0, centrality: 1, words: countWords(text) }));
  const centrality = textRank(sentences);
  const scored: Scored[] = sentences.map((text, index) => ({
    text,
    index,
    tier: CODE_ONLY.test(text) ? -1 : TEASER.test(text) || ITEM.test(text) ? Math.min(1, cueTier(text)) : cueTier(text),
    centrality: centrality[index] ?? 0,
    words: countWords(dropLeadIn(text)),
  }));
  const topTier = Math.max(...scored.map((s) => s.tier));
  const best = (candidates: Scored[]) =>
    candidates.reduce<Scored | undefined>((a, b) => (a === undefined || rank(b) > rank(a) ? b : a), undefined);
  // A long sentence loses a little: a TL;DR cut mid-thought reads worse than a shorter one.
  const rank = (s: Scored) => s.centrality - (s.words > TARGET_WORDS + SENTENCE_SLACK_WORDS ? 0.25 : 0);
  const first = best(scored.filter((s) => s.tier === topTier)) ?? (scored[0] as Scored);
  const firstWords = first.words;
  const fits = (s: Scored) => s.words <= TARGET_WORDS - firstWords && first.text.length + 1 + s.text.length <= maxChars;
  // A second sentence must be able to stand next to the first: right after it, or without
  // pointing back to sentences that are not shown.
  const standsAlone = (s: Scored) => s.index === first.index + 1 || !(ANAPHORA.test(s.text) || POINTS_BACK.test(s.text));
  const candidates = scored.filter((s) => s !== first && s.tier >= 0 && fits(s) && standsAlone(s));
  const next = candidates.find((s) => s.index === first.index + 1);
  const second =
    // "We present PrefixKV." says little alone: the sentence after it says what PrefixKV is.
    firstWords < 12 && next !== undefined
      ? next
      : best(
          candidates.filter((s) =>
            s.index > first.index
              ? s.tier >= (first.tier >= 1 ? 2 : Math.max(1, topTier))
              : // A finding reads best after what was studied: "We explore X. Our analyses reveal Y."
                first.tier === 2 && s.tier >= 1 && s.index >= first.index - 3,
          ),
        );
  return second === undefined ? [first] : [first, second].sort((a, b) => a.index - b.index);
}

function cueTier(sentence: string): number {
  for (const [tier, pattern] of CUES) if (pattern.test(sentence)) return tier;
  return 0;
}

function dropLeadIn(sentence: string): string {
  const rest = sentence.replace(LEAD_IN, '');
  return rest === sentence ? sentence : rest.charAt(0).toUpperCase() + rest.slice(1);
}

const STOP = new Set(eng);

function terms(sentence: string): Set<string> {
  const words = sentence.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  return new Set(words.filter((w) => w.length > 2 && !STOP.has(w) && !/^\d/.test(w)).map((w) => stem(w)));
}

/**
 * TextRank (Mihalcea and Tarau, 2004): sentences are nodes, edges weigh the words two sentences
 * share against their lengths, and PageRank runs a fixed number of rounds. Scaled to 0…1.
 */
function textRank(sentences: string[]): number[] {
  const bags = sentences.map(terms);
  const n = sentences.length;
  const weight = bags.map((a, i) =>
    bags.map((b, j) => {
      if (i === j || a.size < 2 || b.size < 2) return 0;
      let shared = 0;
      for (const t of a) if (b.has(t)) shared++;
      return shared / (Math.log(a.size) + Math.log(b.size));
    }),
  );
  const outSum = weight.map((row) => row.reduce((x, y) => x + y, 0));
  let score = new Array<number>(n).fill(1 / n);
  for (let round = 0; round < 40; round++) {
    score = score.map((_, i) => {
      let incoming = 0;
      for (let j = 0; j < n; j++) {
        const w = weight[j]?.[i] ?? 0;
        const out = outSum[j] ?? 0;
        if (w > 0 && out > 0) incoming += ((score[j] ?? 0) * w) / out;
      }
      return (1 - 0.85) / n + 0.85 * incoming;
    });
  }
  const max = Math.max(...score);
  return score.map((s) => (max > 0 ? s / max : 0));
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Characters that belong to a formula: an operator, a script, a Greek letter, a bracket. */
const MATHY = /[\p{Sm}\u00B2\u00B3\u00B9\u2070-\u209F\u1D62-\u1D6A\u2C7C\u1D2C-\u1D61\u0370-\u03FF\u{1D400}-\u{1D7FF}=^_]/u;

/**
 * Cuts `text` to about TARGET_WORDS words and `maxChars` characters, at a word with an
 * ellipsis, never inside a formula or a parenthesis when another cut is near, and not after a
 * word such as "the" or "of".
 */
function shorten(text: string, maxChars: number): string {
  const words = text.split(' ');
  if (words.length <= TARGET_WORDS + SENTENCE_SLACK_WORDS && text.length <= maxChars) return text;
  const room = maxChars - 1;
  // Candidate cuts after word k (1-based), best last.
  let bestCut = 0;
  let bestScore = -Infinity;
  let depth = 0;
  let length = 0;
  for (let k = 1; k <= words.length; k++) {
    const word = words[k - 1] as string;
    length += (k > 1 ? 1 : 0) + word.length;
    if (length > room || k > TARGET_WORDS) break;
    for (const ch of word) depth += ch === '(' || ch === '[' ? 1 : ch === ')' || ch === ']' ? -1 : 0;
    const next = words[k] ?? '';
    let score = k; // later is better
    if (depth > 0) score -= 12;
    if (MATHY.test(word.slice(-2)) || MATHY.test(next.slice(0, 2)) || /^[=+−×·/<>≤≥∼≈→↔-]$/u.test(next)) score -= 15;
    if (STOP.has(word.toLowerCase().replace(/[^\p{L}]/gu, ''))) score -= 6;
    if (/[,;:]$/.test(word)) score += 2;
    if (score >= bestScore) {
      bestScore = score;
      bestCut = k;
    }
  }
  // A first word longer than the whole TL;DR still has to end somewhere.
  if (bestCut === 0) return truncateWords(text, maxChars);
  const kept = words.slice(0, bestCut).join(' ').replace(/[\s,;:–—-]+$/u, '');
  return /[.!?]$/.test(kept) ? kept : `${kept}…`;
}
