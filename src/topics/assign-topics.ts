/**
 * The topics stage with a topic map (issue #12): each paper goes to the stable topic of
 * content/topics.yml it fits best, so that a section, a subscription and a feed mean the same
 * thing every day. Clustering keeps what it is good at: stories inside a topic, and emerging
 * sections for papers no topic fits. Pure, synchronous, deterministic, and independent of the
 * order of the digest's papers (papers are sorted first; every tie has a total tie-break).
 *
 * 1. Score every paper against every topic (build-topic-matcher.ts).
 * 2. Each paper goes to its best topic when the score reaches `threshold`.
 * 3. A topic with a single paper: the paper moves to a topic it fits about as well that has a
 *    section; else a weak fit is freed, a strong one keeps a one-paper section for now.
 * 4. Free papers are clustered. A cluster mostly of one topic's papers joins that topic; other
 *    clusters of 3+ with a readable label become emerging sections; the rest go to the catch-all.
 * 5. Only when a caller sets `maxSections`: beyond it, the weakest topic sections fold (one-paper
 *    sections first). By default nothing folds: grouping is not the email's length limit
 *    (issue #21); a reader's copy is cut to its length budget when it is rendered.
 * 6. Stories: inside each topic and emerging section, papers on the same thing are clustered and labelled by
 *    class-based TF-IDF; labels are checked against generic words. Papers are ordered by
 *    upvotes, story size, code, then a stable tie-break, each with its reasons (rank-papers.ts).
 * 7. Order: sections by the day's interest (sum of upvotes), then size, label and id
 *    (compare-themes.ts, as groupPapers orders them); the catch-all last.
 */
import type { Digest, Paper, Theme, ThemedDigest } from '../types.js';
import { analyzePaper, type PaperTerms } from './analyze-paper.js';
import { buildTfidfVectors, type SparseVector } from './build-tfidf-vectors.js';
import { buildTopicMatcher, type LearnedVocabulary, type TopicScore } from './build-topic-matcher.js';
import { clusterAverageLinkage } from './cluster-average-linkage.js';
import { compareCanonical, comparePapers } from './compare-papers.js';
import { compareThemes } from './compare-themes.js';
import { computeSimilarityMatrix } from './compute-similarity-matrix.js';
import { phraseLength } from './extract-phrases.js';
import { rankPapers } from './rank-papers.js';
import { CATCH_ALL_ID, CATCH_ALL_LABEL } from './group-papers.js';
import { isGenericLabel } from './is-generic-label.js';
import { documentFrequencies, labelClusters } from './label-clusters.js';
import { EMERGING_ID_PREFIX, type TopicMap } from './load-topic-map.js';
import { slugifyLabel } from './slugify-label.js';

/** Tuning of assignTopics; only `map` is required. */
export interface AssignOptions {
  map: TopicMap;
  /** Terms each topic learned in earlier issues (learnVocabulary). */
  learned?: LearnedVocabulary;
  /** Least score for a paper to join a topic: a specific phrase in the title, or a few in keywords and abstract. */
  threshold?: number;
  /** Most sections in an issue, the catch-all included; unlimited by default (issue #21). */
  maxSections?: number;
  /** Least papers in an emerging section. */
  minEmergingSize?: number;
  /** Cosine similarity at which papers of one section form a story. */
  storyThreshold?: number;
  /** Cosine similarity at which papers no topic takes form an emerging cluster. */
  emergingThreshold?: number;
}

/** Defaults, chosen on the sample day and the four labelled days (docs/grouping.md). */
export const DEFAULT_ASSIGN_OPTIONS = {
  threshold: 3,
  maxSections: Number.POSITIVE_INFINITY,
  minEmergingSize: 3,
  storyThreshold: 0.2,
  emergingThreshold: 0.15,
} as const;

/** A paper leaves its topic for another only if it fits that one about as well: this share of its best score. */
const RELOCATE_SHARE = 0.9;
/** A one-paper section stays (room permitting) only when its paper fits it by this many times the threshold. */
const SINGLE_FIT = 2;
const TITLE_WEIGHT = 3;
const KEYWORD_WEIGHT = 2;
const MAX_FEATURES = 25;
const MAX_KEYWORDS = 6;

/** Weighted unigram and bigram counts of one paper (as groupPapers builds them), the input of TF-IDF. */
function featureCounts(terms: PaperTerms): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (field: Map<string, number>, weight: number) => {
    for (const [key, c] of field) if (phraseLength(key) <= 2) counts.set(key, (counts.get(key) ?? 0) + weight * c);
  };
  add(terms.title, TITLE_WEIGHT);
  add(terms.keywords, KEYWORD_WEIGHT);
  add(terms.body, 1);
  return counts;
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const interest = (papers: readonly Paper[]) => papers.reduce((sum, p) => sum + (p.upvotes ?? 0), 0);

/** Average-linkage clusters of `members` (indices into `vectors`) at `threshold`, as index lists. */
function clusterOf(members: readonly number[], vectors: readonly SparseVector[], threshold: number): number[][] {
  if (members.length < 2) return members.map((i) => [i]);
  const sim = computeSimilarityMatrix(members.map((i) => vectors[i]!));
  return clusterAverageLinkage(sim, members.length, threshold).map((c) => c.members.map((k) => members[k]!));
}

/** Sections of `digest` by the topic map (see the module comment). */
export function assignTopics(digest: Digest, options: AssignOptions): ThemedDigest {
  const threshold = options.threshold ?? DEFAULT_ASSIGN_OPTIONS.threshold;
  const maxSections = options.maxSections ?? DEFAULT_ASSIGN_OPTIONS.maxSections;
  const minEmerging = options.minEmergingSize ?? DEFAULT_ASSIGN_OPTIONS.minEmergingSize;
  const storyThreshold = options.storyThreshold ?? DEFAULT_ASSIGN_OPTIONS.storyThreshold;
  const emergingThreshold = options.emergingThreshold ?? DEFAULT_ASSIGN_OPTIONS.emergingThreshold;
  const topics = options.map.topics;

  // 1. Scores, and the day's TF-IDF vectors for stories and emerging clusters.
  const papers = [...digest.papers].sort(compareCanonical);
  const n = papers.length;
  const terms = papers.map(analyzePaper);
  const matcher = buildTopicMatcher(options.map, options.learned);
  const scores: TopicScore[][] = papers.map((p, i) => matcher.score(p, terms[i]!.tokens));
  const scoreFor = (i: number, t: number) => scores[i]!.find((s) => s.topic === t)?.score ?? 0;
  const { vectors } = buildTfidfVectors(terms.map(featureCounts), { minDf: 2, maxTerms: MAX_FEATURES });
  const taken = new Set([CATCH_ALL_LABEL.toLowerCase(), ...topics.map((t) => t.label.toLowerCase())]);
  const readable = (label: string) => !isGenericLabel(label);
  // In how many of the day's papers each phrase occurs: once for every section's labels.
  const df = documentFrequencies(terms);

  /** Where each paper is: a topic index, an emerging section (-2 - k), or the catch-all (-1). */
  const place = new Int32Array(n).fill(-1);
  const emerging: { label: string; keywords: string[]; members: number[] }[] = [];
  const addEmerging = (clusters: number[][]) => {
    const labels = labelClusters(clusters, terms, taken, readable, df);
    clusters.forEach((members, k) => {
      if (labels[k]!.label === '') return;
      for (const i of members) place[i] = -2 - emerging.length;
      emerging.push({ label: labels[k]!.label, keywords: labels[k]!.keywords, members });
    });
  };

  // 2. Every paper to its best topic, when it fits it well enough.
  const all = papers.map((_, i) => i);
  for (let i = 0; i < n; i++) {
    const best = scores[i]![0];
    if (best !== undefined && best.score >= threshold) place[i] = best.topic;
  }

  // 3. A topic with a single paper: the paper moves to a topic it fits about as well that has a
  // section; failing that, a weak fit is freed (it may belong to an emerging cluster) and a
  // strong one keeps its one-paper section unless step 5 needs the room.
  const members = (t: number) => all.filter((i) => place[i] === t);
  const relocate = (i: number, from: number): boolean => {
    const best = scores[i]![0]!.score;
    const next = scores[i]!.find(
      (s) => s.topic !== from && s.score >= Math.max(threshold, RELOCATE_SHARE * best) && members(s.topic).length >= 2,
    );
    place[i] = next ? next.topic : -1;
    return next !== undefined;
  };
  for (let t = 0; t < topics.length; t++) {
    const m = members(t);
    if (m.length === 1 && !relocate(m[0]!, t) && scoreFor(m[0]!, t) >= SINGLE_FIT * threshold) place[m[0]!] = t;
  }

  // 4. Free papers are clustered. A cluster whose papers mostly have one best topic (however
  // weakly) is no new subject: those papers join that topic. Other clusters of 3+ with a
  // readable label are emerging sections; the rest go to the catch-all.
  const free = all.filter((i) => place[i] === -1);
  const fresh: number[][] = [];
  for (const cluster of clusterOf(free, vectors, emergingThreshold)) {
    if (cluster.length < 2) continue;
    const votes = new Map<number, number>();
    for (const i of cluster) if (scores[i]![0]) votes.set(scores[i]![0]!.topic, (votes.get(scores[i]![0]!.topic) ?? 0) + 1);
    const [top, count] = [...votes].sort(([a, ca], [b, cb]) => cb - ca || a - b)[0] ?? [-1, 0];
    if (2 * count > cluster.length) {
      const joining = cluster.filter((i) => scores[i]![0]?.topic === top);
      if (joining.length >= 2 || members(top).length > 0) for (const i of joining) place[i] = top;
    } else if (cluster.length >= minEmerging) fresh.push(cluster);
  }
  addEmerging(fresh);

  // 5. No more than maxSections sections (when a caller sets a cap): the weakest topic sections
  // fold (one-paper sections with the weakest fit first, then the smallest and least read),
  // their papers moving like single papers in step 3 or to the catch-all.
  for (;;) {
    const used = topics.map((_, t) => t).filter((t) => members(t).length > 0);
    const hasOther = all.some((i) => place[i] === -1);
    if (used.length + emerging.length + (hasOther ? 1 : 0) <= maxSections || used.length === 0) break;
    const strength = (t: number) => {
      const m = members(t);
      return { size: m.length, fit: m.length === 1 ? scoreFor(m[0]!, t) : Infinity, interest: interest(m.map((i) => papers[i]!)) };
    };
    const weakest = used
      .map((t) => ({ t, ...strength(t) }))
      .sort((a, b) => a.size - b.size || a.fit - b.fit || a.interest - b.interest || byCode(topics[b.t]!.id, topics[a.t]!.id))[0]!.t;
    const folded = members(weakest);
    for (const i of folded) place[i] = -1;
    for (const i of folded) relocate(i, weakest);
  }

  // 6. Sections with their stories.
  const themes: Theme[] = [];
  const makeTheme = (fields: Pick<Theme, 'id' | 'label' | 'keywords' | 'kind'>, idx: number[]): Theme => {
    const clusters = idx.length >= 2 && fields.kind !== 'other' ? clusterOf(idx, vectors, storyThreshold).filter((c) => c.length >= 2) : [];
    const storyOf = new Map(clusters.flatMap((c) => c.map((i) => [papers[i]!, c.length] as const)));
    const { papers: sorted, ranking } = rankPapers(
      idx.map((i) => papers[i]!).sort(comparePapers),
      (p) => storyOf.get(p) ?? 1,
    );
    const order = new Map(sorted.map((p, k) => [p, k]));
    const stories: { label: string; papers: string[] }[] = [];
    if (clusters.length > 0) {
      const labels = labelClusters(clusters, terms, new Set([...taken, fields.label.toLowerCase()]), readable, df);
      clusters.forEach((c, k) => {
        if (labels[k]!.label === '') return;
        const ps = c.map((i) => papers[i]!).sort((a, b) => order.get(a)! - order.get(b)!);
        stories.push({ label: labels[k]!.label, papers: ps.map((p) => p.id) });
      });
      stories.sort((a, b) => b.papers.length - a.papers.length || byCode(a.label, b.label));
    }
    return { ...fields, other: false, papers: sorted, stories, ranking };
  };
  topics.forEach((topic, t) => {
    const m = members(t);
    if (m.length === 0) return;
    // Keywords: the terms that matched this topic most across its papers.
    const weight = new Map<string, number>();
    for (const i of m) for (const match of scores[i]!.find((s) => s.topic === t)?.matches ?? []) weight.set(match.term, (weight.get(match.term) ?? 0) + match.score);
    const keywords = [...weight].sort(([a, wa], [b, wb]) => wb - wa || byCode(a, b)).slice(0, MAX_KEYWORDS).map(([term]) => term);
    themes.push(makeTheme({ id: topic.id, label: topic.label, keywords, kind: 'topic' }, m));
  });
  emerging.forEach((e, k) => {
    const m = all.filter((i) => place[i] === -2 - k);
    if (m.length > 0) themes.push(makeTheme({ id: `${EMERGING_ID_PREFIX}${slugifyLabel(e.label)}`, label: e.label, keywords: e.keywords, kind: 'emerging' }, m));
  });

  // 7. Order by interest, then size (an arXiv day has no upvotes: its biggest sections are what it
  // was about), label, id; ids unique; the catch-all last.
  themes.sort(compareThemes);
  const others = all.filter((i) => place[i] === -1);
  if (others.length > 0) {
    const theme = makeTheme({ id: CATCH_ALL_ID, label: CATCH_ALL_LABEL, keywords: [], kind: 'other' }, others);
    themes.push({ ...theme, other: true });
  }
  return { date: digest.date, source: digest.source, themes };
}
