/**
 * What each topic learned from the papers assigned to it in earlier issues, so that a topic
 * picks up new names ("BrowseComp", a new benchmark) without an edit to topics.yml.
 *
 * Class-based TF-IDF over past assignments: all papers of one topic form one document; a
 * phrase (1–3 words, counted title ×3, keywords ×2, abstract ×1) scores
 * tf(phrase, topic) × ln(1 + A / f(phrase)), where tf is its share of the topic's phrase
 * count, f its count over all topics and A the average count per topic. Each topic keeps its
 * top terms used by at least two of its papers. A kept term weighs
 * LEARNED_WEIGHT_CAP × purity × min(1, papers / 3): full weight for a name three past papers of
 * the topic used and no other topic did, less when other topics use it too; always below every
 * shipped phrase. Pure: persistence is the caller's job.
 */
import type { Paper } from '../types.js';
import { analyzePaper } from './analyze-paper.js';
import { LEARNED_WEIGHT_CAP, type LearnedVocabulary } from './build-topic-matcher.js';
import { extractPhrases } from './extract-phrases.js';
import { isStopWord } from './is-stop-word.js';

/** One paper an earlier issue put in a topic. */
export interface PastAssignment {
  topicId: string;
  title: string;
  keywords: string[];
  abstract: string;
}

/** Tuning of learnVocabulary. */
export interface LearnOptions {
  /** Terms kept per topic. */
  maxTerms?: number;
  /** Least past papers of the topic a term must occur in. */
  minPapers?: number;
}

const FIELD_WEIGHT = [3, 2, 1] as const;
/** Past papers of a topic using a term for it to get the full learned weight. */
const FULL_SUPPORT = 3;

/** The learned vocabulary of `history` (see the module comment); deterministic in any input order. */
export function learnVocabulary(history: readonly PastAssignment[], options: LearnOptions = {}): Map<string, Map<string, number>> {
  const maxTerms = options.maxTerms ?? 20;
  const minPapers = options.minPapers ?? 2;
  // 1. Weighted phrase counts per topic, papers per phrase, and the spellings seen.
  const counts = new Map<string, Map<string, number>>();
  const papers = new Map<string, Map<string, number>>();
  const spellings = new Map<string, Map<string, number>>();
  for (const past of history) {
    const paper: Paper = { id: '', title: past.title, abstract: past.abstract, summary: null, authors: [], authorCount: null, publishedAt: null, upvotes: null, url: null, codeUrl: null, keywords: past.keywords };
    const [title, keywords, abstract] = analyzePaper(paper).tokens;
    if (!counts.has(past.topicId)) {
      counts.set(past.topicId, new Map());
      papers.set(past.topicId, new Map());
    }
    const topicCounts = counts.get(past.topicId)!;
    const seen = new Set<string>();
    [title!, keywords!, abstract!].forEach((segments, field) => {
      for (const { key, surface, length } of extractPhrases(segments, 3)) {
        // A lone generic head noun ("model") or a one-letter word is no name to learn.
        if (length === 1 && (isStopWord(key, key) !== null || key.length < 3)) continue;
        topicCounts.set(key, (topicCounts.get(key) ?? 0) + FIELD_WEIGHT[field]!);
        seen.add(key);
        if (!spellings.has(key)) spellings.set(key, new Map());
        spellings.get(key)!.set(surface, (spellings.get(key)!.get(surface) ?? 0) + 1);
      }
    });
    const topicPapers = papers.get(past.topicId)!;
    for (const key of seen) topicPapers.set(key, (topicPapers.get(key) ?? 0) + 1);
  }

  // 2. Class-based TF-IDF.
  const total = new Map<string, number>();
  let all = 0;
  for (const topicCounts of counts.values()) {
    for (const [key, c] of topicCounts) {
      total.set(key, (total.get(key) ?? 0) + c);
      all += c;
    }
  }
  const average = all / Math.max(1, counts.size);
  const spell = (key: string) =>
    [...spellings.get(key)!].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))[0]![0];

  // 3. The top terms of each topic, weighted relative to its best and capped.
  const learned = new Map<string, Map<string, number>>();
  for (const topicId of [...counts.keys()].sort()) {
    const topicCounts = counts.get(topicId)!;
    const size = [...topicCounts.values()].reduce((s, c) => s + c, 0);
    const ranked = [...topicCounts]
      .filter(([key]) => papers.get(topicId)!.get(key)! >= minPapers)
      .map(([key, c]) => ({ key, score: (c / size) * Math.log(1 + average / total.get(key)!) }))
      .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, maxTerms);
    if (ranked.length === 0) continue;
    const terms = new Map<string, number>();
    for (const { key } of ranked) {
      const term = spell(key);
      const purity = topicCounts.get(key)! / total.get(key)!;
      const support = Math.min(1, papers.get(topicId)!.get(key)! / FULL_SUPPORT);
      if (!terms.has(term)) terms.set(term, Math.round(LEARNED_WEIGHT_CAP * purity * support * 1000) / 1000);
    }
    learned.set(topicId, terms);
  }
  return learned;
}

// Callers pass the result straight to assignTopics.
export type { LearnedVocabulary };
