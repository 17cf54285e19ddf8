/**
 * topics/ owns placing papers in themes: tokenizing, TF-IDF, clustering, labelling and the
 * operator's themes.yml. It imports only types.ts and errors.ts; never render/, store/,
 * deliver/, issue/, schedule/, web/ or cli/.
 *
 * The topics stage: a digest's papers into named themes, each paper in exactly one.
 *
 * Operator themes (themes.yml) claim their papers first. The rest are clustered on their
 * own text: unigram and bigram TF-IDF (titles ×3, source keywords ×2, abstract and TL;DR ×1),
 * cosine similarity, average-linkage clustering cut at `threshold`. Clusters smaller than
 * `minSize`, and the smallest and loosest beyond `maxThemes`, go to the catch-all, which
 * comes last. Pure, synchronous, and independent of the order of the digest's papers.
 */
import type { Digest, Paper, Theme, ThemedDigest } from '../types.js';
import { analyzePaper, type PaperTerms } from './analyze-paper.js';
import { phraseLength } from './extract-phrases.js';
import { buildTfidfVectors } from './build-tfidf-vectors.js';
import { clusterAverageLinkage } from './cluster-average-linkage.js';
import { compareCanonical, comparePapers } from './compare-papers.js';
import { compareThemes } from './compare-themes.js';
import { computeSimilarityMatrix } from './compute-similarity-matrix.js';
import { labelClusters } from './label-clusters.js';
import { matchOperatorThemes, type OperatorTheme } from './match-operator-themes.js';
import { slugifyLabel } from './slugify-label.js';

// Callers load and group with one import each.
export type { OperatorTheme } from './match-operator-themes.js';

/** Tuning of the group stage; config.themes supplies the first three. */
export interface GroupOptions {
  /** Least average cosine similarity at which two clusters merge (0..1). */
  threshold?: number;
  /** Most themes in an issue, operator themes included when they leave room; the catch-all is extra. */
  maxThemes?: number;
  /** Least papers in an automatic theme; smaller groups go to the catch-all. */
  minSize?: number;
  /** Themes named by the operator; they claim matching papers before clustering. */
  operatorThemes?: OperatorTheme[];
}

/** Defaults, the same as config's THEME_THRESHOLD, THEME_MAX and THEME_MIN_SIZE. */
export const DEFAULT_GROUP_OPTIONS = { threshold: 0.12, maxThemes: 10, minSize: 2 } as const;

/** The catch-all theme's label: papers that fit no theme. */
export const CATCH_ALL_LABEL = 'More trending papers';
/** The catch-all theme's id, never given to another theme. */
export const CATCH_ALL_ID = 'more-trending-papers';

const TITLE_WEIGHT = 3;
const KEYWORD_WEIGHT = 2;
const MAX_FEATURE_WORDS = 2;
/** Phrases kept per paper for clustering: its most distinctive ones. */
const MAX_FEATURES = 25;

/** Weighted unigram and bigram counts of one paper, the input of TF-IDF. */
function featureCounts(terms: PaperTerms): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (field: Map<string, number>, weight: number) => {
    for (const [key, c] of field) {
      if (phraseLength(key) > MAX_FEATURE_WORDS) continue;
      counts.set(key, (counts.get(key) ?? 0) + weight * c);
    }
  };
  add(terms.title, TITLE_WEIGHT);
  add(terms.keywords, KEYWORD_WEIGHT);
  add(terms.body, 1);
  return counts;
}

function checkOptions(threshold: number, maxThemes: number, minSize: number): void {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`theme threshold must be in (0, 1], got ${threshold}`);
  if (!(Number.isInteger(maxThemes) && maxThemes >= 0)) throw new RangeError(`maxThemes must be a whole number ≥ 0, got ${maxThemes}`);
  if (!(Number.isInteger(minSize) && minSize >= 2)) throw new RangeError(`minSize must be a whole number ≥ 2, got ${minSize}`);
}

const upvotes = (ps: readonly Paper[]) => ps.reduce((sum, p) => sum + (p.upvotes ?? 0), 0);

/** Groups `digest`'s papers into themes (see the module comment). An empty digest gives no themes. */
export function groupPapers(digest: Digest, options: GroupOptions = {}): ThemedDigest {
  const threshold = options.threshold ?? DEFAULT_GROUP_OPTIONS.threshold;
  const maxThemes = options.maxThemes ?? DEFAULT_GROUP_OPTIONS.maxThemes;
  const minSize = options.minSize ?? DEFAULT_GROUP_OPTIONS.minSize;
  checkOptions(threshold, maxThemes, minSize);
  const operatorThemes = options.operatorThemes ?? [];

  const papers = [...digest.papers].sort(compareCanonical);
  const terms = papers.map(analyzePaper);
  const themes: Theme[] = [];
  const taken = new Set([CATCH_ALL_LABEL.toLowerCase()]);
  // By index, not by object: a digest may hold the same paper object twice.
  const clustered = new Uint8Array(papers.length);
  const makeTheme = (label: string, keywords: string[], members: readonly number[]): Theme => {
    for (const i of members) clustered[i] = 1;
    return { id: slugifyLabel(label), label, keywords, other: false, papers: members.map((i) => papers[i]!).sort(comparePapers) };
  };

  const matches = matchOperatorThemes(papers, operatorThemes);
  operatorThemes.forEach((theme, t) => {
    const members = matches.flatMap((m, i) => (m.theme === t ? [i] : []));
    if (members.length === 0) return;
    const hits = new Map<string, number>();
    for (const i of members) for (const term of matches[i]!.matched) hits.set(term, (hits.get(term) ?? 0) + 1);
    const order = [...theme.keywords, ...theme.phrases];
    const keywords = [...hits.keys()].sort((a, b) => hits.get(b)! - hits.get(a)! || order.indexOf(a) - order.indexOf(b));
    themes.push(makeTheme(theme.label, keywords, members));
    taken.add(theme.label.toLowerCase());
  });

  const rest = matches.flatMap((m, i) => (m.theme === -1 ? [i] : []));
  const { vectors } = buildTfidfVectors(
    rest.map((i) => featureCounts(terms[i]!)),
    { minDf: 2, maxTerms: MAX_FEATURES },
  );
  const clusters = clusterAverageLinkage(computeSimilarityMatrix(vectors), rest.length, threshold)
    .filter((c) => c.members.length >= minSize)
    .map((c) => ({ members: c.members.map((k) => rest[k]!), similarity: c.similarity }))
    // The weakest, beyond the room left by operator themes, join the catch-all.
    .sort((a, b) => b.members.length - a.members.length || b.similarity - a.similarity || a.members[0]! - b.members[0]!)
    .slice(0, Math.max(0, maxThemes - themes.length))
    // Labels are picked strongest first, the order readers will see them in.
    .sort((a, b) => {
      const pa = a.members.map((i) => papers[i]!);
      const pb = b.members.map((i) => papers[i]!);
      return upvotes(pb) - upvotes(pa) || pb.length - pa.length || a.members[0]! - b.members[0]!;
    });
  const labels = labelClusters(
    clusters.map((c) => c.members),
    terms,
    taken,
  );
  clusters.forEach((c, k) => themes.push(makeTheme(labels[k]!.label, labels[k]!.keywords, c.members)));

  // Two labels can still slug alike ("LLM Agents" and "LLM-Agents"); number the later ones.
  themes.sort(compareThemes);
  const ids = new Set([CATCH_ALL_ID]);
  for (const theme of themes) {
    let id = theme.id;
    for (let k = 2; ids.has(id); k++) id = `${theme.id}-${k}`;
    theme.id = id;
    ids.add(id);
  }

  const others = [...clustered].flatMap((inTheme, i) => (inTheme ? [] : [papers[i]!]));
  if (others.length > 0) {
    themes.push({ id: CATCH_ALL_ID, label: CATCH_ALL_LABEL, keywords: [], other: true, papers: others.sort(comparePapers) });
  }
  return { date: digest.date, source: digest.source, themes };
}
