/**
 * Why a paper went where it did: each candidate topic's score and the terms that matched,
 * field by field, for `paperpost topics explain` and /admin. The same scoring as assignTopics
 * (build-topic-matcher.ts); what it cannot show is the day's folding (a one-paper topic moved
 * to the catch-all, an emerging cluster), which depends on the other papers.
 */
import type { Paper } from '../types.js';
import { DEFAULT_ASSIGN_OPTIONS } from './assign-topics.js';
import { buildTopicMatcher, type LearnedVocabulary, type TermMatch } from './build-topic-matcher.js';
import type { TopicMap } from './load-topic-map.js';

/** One topic the paper matched. */
export interface TopicCandidate {
  id: string;
  label: string;
  score: number;
  /** Best first: term, where it occurred (title, keywords, body counts), its weight and what it added. */
  matches: TermMatch[];
}

/** The scoring of one paper against the map. */
export interface TopicExplanation {
  paperId: string;
  /** Least score to join a topic. */
  threshold: number;
  /** The best topic's id when it reaches the threshold, else null (the paper fits no topic). */
  best: string | null;
  /** Every topic with any matching term, best first (ties by id). */
  candidates: TopicCandidate[];
}

/** Each candidate topic of `paper` with its score and matched terms. */
export function explainTopics(
  paper: Paper,
  map: TopicMap,
  options: { learned?: LearnedVocabulary; threshold?: number } = {},
): TopicExplanation {
  const threshold = options.threshold ?? DEFAULT_ASSIGN_OPTIONS.threshold;
  const scores = buildTopicMatcher(map, options.learned).score(paper);
  const candidates = scores.map((s) => ({ id: s.id, label: map.topics[s.topic]!.label, score: Math.round(s.score * 100) / 100, matches: s.matches }));
  const best = scores[0] !== undefined && scores[0].score >= threshold ? scores[0].id : null;
  return { paperId: paper.id, threshold, best, candidates };
}
