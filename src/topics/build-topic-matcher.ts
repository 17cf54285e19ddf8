/**
 * Scores a paper against every topic of the map: guided, class-based term weighting in the
 * spirit of BERTopic's seeded topics, with no model and no network. Each topic phrase is
 * matched as a sequence of stems inside one sentence part ("kv cache" matches "KV-Cache" and
 * "KV caches"), leftmost-longest over the whole map: where "on-policy distillation" (Reasoning
 * & RL) matches, the "distillation" inside it (Distillation & Compression) does not count.
 * A phrase word whose stem is a stop word ("aime" → "aim") is matched as written instead, and
 * so is a one-word "-ity" phrase ("interpretability" is not "interpretable": propertyNoun).
 *
 * A term's contribution is its weight times where it was found: 3 for the title (once), 2 for
 * the source keywords and 1 for the abstract and TL;DR, the last two sublinear (1 + ln count)
 * so that a long abstract repeating a word does not outweigh a title. The weight is the
 * term's specificity: 1 + 0.5 per extra word (a longer phrase names a topic more surely), times
 * how few topics list it, ln(1 + T/n) / ln(1 + T), never below 0.6. Learned terms (from
 * earlier issues) carry their own weight, capped below every shipped phrase's.
 *
 * A domain topic (`domain: true`: medicine, remote sensing, robotics, …) counts its score
 * DOMAIN_WEIGHT times: a paper that applies a method to a domain ("a vision-language model for
 * chest X-rays") is filed under the domain when it fits both about as well, as an editor would.
 */
import type { Paper } from '../types.js';
import { paperTexts } from './analyze-paper.js';
import type { Topic, TopicMap } from './load-topic-map.js';
import { isStopWord } from './is-stop-word.js';
import { tokenizeText, type Token } from './tokenize-text.js';

/** Learned vocabulary: topic id → term (as written) → weight in (0, LEARNED_WEIGHT_CAP]. */
export type LearnedVocabulary = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Most a learned term weighs; every shipped phrase weighs at least SHIPPED_WEIGHT_FLOOR. */
export const LEARNED_WEIGHT_CAP = 0.5;
export const SHIPPED_WEIGHT_FLOOR = 0.6;
/** Points for a term found in the title, the source keywords, the abstract or TL;DR. */
export const FIELD_WEIGHTS = { title: 3, keywords: 2, body: 1 } as const;
const LENGTH_BONUS = 0.5;
/** Factor on a domain topic's score (measured on the tune days, docs/grouping.md). */
export const DOMAIN_WEIGHT = 1.5;
/** Words beyond this earn no more length bonus. */
const MAX_BONUS_WORDS = 3;

/** One term of a topic found in a paper. */
export interface TermMatch {
  /** As written in the map (or learned). */
  term: string;
  learned: boolean;
  weight: number;
  /** Occurrences by field. */
  title: number;
  keywords: number;
  body: number;
  /** What it adds to the topic's score. */
  score: number;
}

/** A paper's fit to one topic. */
export interface TopicScore {
  /** Index into the matcher's topics. */
  topic: number;
  id: string;
  score: number;
  /** Best first. */
  matches: TermMatch[];
}

interface Entry {
  topic: number;
  term: string;
  stems: string[];
  weight: number;
  learned: boolean;
  /** A one-word phrase that is a property noun ("interpretability"), lower case: see sameWord. */
  word: string | null;
}

/**
 * A one-word phrase ending in "-ity" (interpretability, identifiability, accessibility,
 * expressivity, mobility): the noun of a property, whose Porter2 stem it shares with everyday
 * words of other meaning ("interpretable", "identify", "access", "express", "mobile"). On the
 * tune days those matched ten times more papers of other areas than of the topic's. Such a
 * phrase matches only itself and its plural (sameWord); other phrases match by stem.
 */
function propertyNoun(stems: readonly string[], phrase: string): string | null {
  const word = phrase.toLowerCase();
  return stems.length === 1 && /ity$/.test(word) ? word : null;
}

/** Whether `text` (a word of the paper, lower case) is the "-ity" noun `word` or its plural ("-ities"). */
export function sameWord(word: string, text: string): boolean {
  return text === word || text === `${word.slice(0, -1)}ies`;
}

/** Scores papers against a fixed map (and learned vocabulary); build once per issue. */
export interface TopicMatcher {
  readonly topics: readonly Topic[];
  /** Topics the paper matched at all, best first (ties by id). `tokens` saves re-tokenizing. */
  score(paper: Paper, tokens?: Token[][][]): TopicScore[];
}

/** Match keys of a term's words: the stem, or the word as written when its stem is a stop word. */
const stemsOf = (term: string) =>
  tokenizeText(term)
    .flat()
    .map((t) => {
      const lower = t.lower;
      return lower !== t.stem && isStopWord(t.stem, t.stem) !== null ? lower : t.stem;
    });
const contentWords = (term: string) => tokenizeText(term).flat().filter((t) => t.stop !== 'english' || /\d/.test(t.surface)).length;

/** A matcher for `map`, with `learned` terms added to their topics. */
export function buildTopicMatcher(map: TopicMap, learned: LearnedVocabulary = new Map()): TopicMatcher {
  const topics = map.topics;
  const T = topics.length;
  // 1. Shipped phrases: how many topics list each, for the specificity factor.
  const listedBy = new Map<string, Set<number>>();
  topics.forEach((topic, t) => {
    for (const phrase of topic.phrases) {
      const key = stemsOf(phrase).join(' ');
      if (key === '') continue;
      if (!listedBy.has(key)) listedBy.set(key, new Set());
      listedBy.get(key)!.add(t);
    }
  });
  const entries: Entry[] = [];
  const seen = new Set<string>();
  topics.forEach((topic, t) => {
    for (const phrase of topic.phrases) {
      const stems = stemsOf(phrase);
      const key = stems.join(' ');
      if (key === '' || seen.has(`${t} ${key}`)) continue;
      seen.add(`${t} ${key}`);
      const specificity = T > 1 ? Math.log(1 + T / listedBy.get(key)!.size) / Math.log(1 + T) : 1;
      const weight = (1 + LENGTH_BONUS * (Math.min(MAX_BONUS_WORDS, Math.max(1, contentWords(phrase))) - 1)) * Math.max(SHIPPED_WEIGHT_FLOOR, specificity);
      entries.push({ topic: t, term: phrase, stems, weight, learned: false, word: propertyNoun(stems, phrase) });
    }
  });
  // 2. Learned terms, sorted so that the result never depends on a Map's insertion order;
  // a term some topic ships already counts through the map.
  const index = new Map(topics.map((topic, t) => [topic.id, t]));
  for (const id of [...learned.keys()].sort()) {
    const t = index.get(id);
    if (t === undefined) continue;
    const terms = learned.get(id)!;
    for (const term of [...terms.keys()].sort()) {
      const stems = stemsOf(term);
      const key = stems.join(' ');
      const weight = Math.min(LEARNED_WEIGHT_CAP, terms.get(term)!);
      if (key === '' || !(weight > 0) || listedBy.has(key) || seen.has(`${t} ${key}`)) continue;
      seen.add(`${t} ${key}`);
      entries.push({ topic: t, term, stems, weight, learned: true, word: propertyNoun(stems, term) });
    }
  }
  // 3. Entries by first stem, longest first, so the first match at a position is the longest.
  const byFirst = new Map<string, number[]>();
  entries.forEach((e, k) => {
    if (!byFirst.has(e.stems[0]!)) byFirst.set(e.stems[0]!, []);
    byFirst.get(e.stems[0]!)!.push(k);
  });
  for (const list of byFirst.values()) list.sort((a, b) => entries[b]!.stems.length - entries[a]!.stems.length || a - b);

  // Scratch space of scan(): the entries matching at one position, and the topics already counted there.
  const taken = new Uint8Array(T);
  const found: number[] = [];
  /** Adds to `found` the entries keyed `key` that match at `i` and are at least `best` long; returns the longest length. */
  const matchesAt = (tokens: Token[], i: number, key: string, best: number): number => {
    const keyed = byFirst.get(key);
    if (keyed === undefined) return best;
    for (const k of keyed) {
      const e = entries[k]!;
      if (e.stems.length < best) break;
      if (i + e.stems.length > tokens.length) continue;
      if (e.word !== null && !sameWord(e.word, tokens[i]!.lower)) continue;
      let j = 1;
      for (; j < e.stems.length; j++) {
        const tok = tokens[i + j]!;
        const want = e.stems[j]!;
        if (tok.stem !== want && tok.lower !== want) break;
      }
      if (j < e.stems.length) continue;
      if (e.stems.length > best) {
        best = e.stems.length;
        found.length = 0;
      }
      found.push(k);
    }
    return best;
  };
  function scan(segments: Token[][], field: number, hits: Map<number, number[]>): void {
    for (const tokens of segments) {
      for (let i = 0; i < tokens.length; i++) {
        const tok = tokens[i]!;
        const lower = tok.lower;
        found.length = 0;
        let best = matchesAt(tokens, i, tok.stem, 1);
        if (lower !== tok.stem) best = matchesAt(tokens, i, lower, best);
        if (found.length === 0) continue;
        // The longest match here wins, once per topic; the words it covers match nothing else.
        taken.fill(0);
        for (const k of found) {
          const e = entries[k]!;
          if (taken[e.topic]) continue;
          taken[e.topic] = 1;
          let counts = hits.get(k);
          if (!counts) hits.set(k, (counts = [0, 0, 0]));
          counts[field]!++;
        }
        i += best - 1;
      }
    }
  }

  return {
    topics,
    score(paper, tokens) {
      const [title, keywords, abstract, summary] = (tokens ?? paperTexts(paper).map(tokenizeText)) as [Token[][], Token[][], Token[][], Token[][]];
      const hits = new Map<number, number[]>();
      scan(title, 0, hits);
      scan(keywords, 1, hits);
      scan(abstract, 2, hits);
      scan(summary, 2, hits);
      const byTopic = new Map<number, TermMatch[]>();
      for (const [k, [t, kw, body]] of hits) {
        const e = entries[k]!;
        const points =
          FIELD_WEIGHTS.title * Math.min(1, t!) +
          (kw! > 0 ? FIELD_WEIGHTS.keywords * (1 + Math.log(kw!)) : 0) +
          (body! > 0 ? FIELD_WEIGHTS.body * (1 + Math.log(body!)) : 0);
        const match: TermMatch = { term: e.term, learned: e.learned, weight: e.weight, title: t!, keywords: kw!, body: body!, score: e.weight * points };
        if (!byTopic.has(e.topic)) byTopic.set(e.topic, []);
        byTopic.get(e.topic)!.push(match);
      }
      const scores: TopicScore[] = [];
      for (const [t, matches] of byTopic) {
        matches.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
        const sum = matches.reduce((s, m) => s + m.score, 0);
        scores.push({ topic: t, id: topics[t]!.id, score: topics[t]!.domain === true ? DOMAIN_WEIGHT * sum : sum, matches });
      }
      return scores.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
  };
}
