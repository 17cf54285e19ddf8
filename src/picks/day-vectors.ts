/**
 * The day as every reader's model sees it, built once per issue so that a reader costs only
 * their own few papers (picks/reader-model.ts). A linear SVM over TF-IDF vectors only ever needs
 * dot products of those vectors, so what is shared is prepared here:
 *
 * 1. TF-IDF of the day's papers (picks/paper-terms.ts features): sublinear tf (1 + ln tf),
 *    smooth idf ln((1 + n) / (1 + df)) + 1 over the day, L2-normalized: arxiv-sanity-lite's
 *    TfidfVectorizer settings, with the day as the corpus.
 * 2. An inverted index (term → papers), so a rated paper's dot products with all the day's
 *    papers cost its own terms' postings, not n sparse merges.
 * 3. The background: up to `background` papers of the day (picks/pick-settings.ts), spread
 *    evenly over its order: the negatives every reader trains against (as arxiv-sanity trains against every untagged
 *    paper), with their dot products with every paper of the day.
 * 4. Besides its terms, each paper has a section feature (`topicWeight`): its section's topic
 *    (a rated paper: its best topic by the map, else the day's topic it is closest to); and,
 *    with the map's matcher, a topic profile (`profileWeight`): its fit to its best topics,
 *    as features "#topic-id" after its terms. Papers of one area share few words but their
 *    topics' phrases, so the profile is what lets ten ratings find the rest of an area.
 * 5. Rated papers, tokenized once for their terms and their topics, vectorized with the day's
 *    idf and dotted with the day's papers, cached by paper (LRU, RATED_CACHE entries): readers
 *    rate the same recent papers, so a send of 20,000 readers tokenizes each rated paper once.
 *    Terms no paper of the day has count only in a rated paper's length: a reader's model
 *    scores the day's papers, whose vectors hold none of them.
 */
import type { SparseVector } from '../topics/build-tfidf-vectors.js';
import type { Token } from '../topics/tokenize-text.js';
import { paperTerms, paperTokens, type PaperText, type Spellings } from './paper-terms.js';
import { PICK_SETTINGS, type PickSettings } from './pick-settings.js';
import type { RatedPaper } from './reader-signals.js';

/** A paper's fit to the map's topics (topics/build-topic-matcher.ts TopicScore), best first. */
export type TopicProfileOf = (paper: PaperText & { summary?: string | null }, tokens: Token[][][]) => readonly { id: string; score: number }[];

/** Rated papers kept vectorized per day (each is ~2 KB on a 300-paper day). */
export const RATED_CACHE = 5000;
/** Profile feature keys start with this (never a phrase's or an author's). */
export const PROFILE = '#';
/** A rated paper closer than this to every topic's centroid has no topic. */
const MIN_TOPIC_COSINE = 0.02;

/** A rated paper as the model uses it. */
export interface RatedVector {
  vector: SparseVector;
  /** The day's topic (index into `topics`) whose papers it is closest to on average, or −1. */
  topic: number;
  /** Its dot product with each paper of the day, in the day's order. */
  dayDots: Float32Array;
  /** The title it was made from (the cache is keyed by paper id). */
  title: string;
}

export interface DayVectorOptions {
  /** The map's fit of a paper to each topic: with it, papers have topic profiles (step 4). */
  profileOf?: TopicProfileOf;
  /** The score a rated paper's best topic needs to be its section feature (assignTopics' threshold). */
  threshold?: number;
  /** Settings other than the product's (measurement only). */
  settings?: Partial<PickSettings>;
}

export class DayVectors {
  /** Papers in the day. */
  readonly n: number;
  /** Term key → id: the day's vocabulary (terms and topic profiles), fixed once built. */
  private readonly ids = new Map<string, number>();
  /** Id → term key. */
  readonly keys: string[] = [];
  readonly dayTerms: number;
  private readonly idf: Float64Array;
  /** The day's papers' vectors, in the day's order. */
  readonly vectors: SparseVector[];
  private readonly postStart: Int32Array;
  private readonly postDoc: Int32Array;
  private readonly postWeight: Float64Array;
  /** Indices (into the day) of the background papers. */
  readonly background: Int32Array;
  /** Row b, column j: dot product of background paper b with day paper j (B × n). */
  readonly backgroundDots: Float64Array;
  /** Row b, column b2: backgroundDots between background papers, + 1 for the bias feature (B × B). */
  readonly backgroundGram: Float64Array;
  /** How the day's papers spell each term, for reasons. */
  readonly spellings: Spellings = new Map();
  private readonly cache = new Map<string, RatedVector>();
  private scratch = new Float64Array(0);
  private marks = new Uint8Array(0);
  private gram = new Float64Array(0);

  /** How well each paper of the day fits its own section's topic (topicFit), for a reader who follows that topic. */
  readonly sectionFit: Float64Array;
  /** Topic index of each paper of the day (−1: none), and the topics' ids. */
  readonly paperTopic: Int32Array;
  readonly topics: string[];
  /** Norm of each topic's sum of vectors, for the nearest centroid of a rated paper. */
  private readonly topicNorm: Float64Array;
  /** The weight² of the topic feature in every dot product. */
  readonly topicWeight2: number;

  private readonly profileOf: TopicProfileOf | undefined;
  private readonly topicThreshold: number;

  /** The settings this day was indexed with (picks/pick-settings.ts). */
  readonly settings: PickSettings;

  constructor(papers: readonly PaperText[], topicIds: readonly (string | null)[] = [], options: DayVectorOptions = {}) {
    this.settings = { ...PICK_SETTINGS, ...options.settings };
    this.profileOf = options.profileOf;
    this.topicThreshold = options.threshold ?? Infinity;
    this.n = papers.length;
    this.topicWeight2 = this.settings.topicWeight ** 2;
    this.topics = [...new Set(topicIds.filter((t): t is string => t !== null))].sort();
    const topicIndex = new Map(this.topics.map((t, i) => [t, i]));
    this.paperTopic = Int32Array.from(papers, (_, j) => topicIndex.get(topicIds[j] ?? '') ?? -1);
    // 1. Counts and document frequencies; ids in sorted order so nothing depends on arrival.
    const tokens = papers.map((p) => paperTokens(p));
    const counts = papers.map((p, j) => paperTerms(p, this.spellings, tokens[j]));
    const profiles = papers.map((p, j) => this.profile(p, tokens[j]!));
    const df = new Map<string, number>();
    for (const c of counts) for (const key of c.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    for (const p of profiles) for (const key of p.keys()) df.set(key, df.get(key) ?? 0);
    for (const key of [...df.keys()].sort()) this.id(key);
    this.dayTerms = this.keys.length;
    Object.freeze(this.keys);
    this.idf = Float64Array.from(this.keys, (key) => Math.log((1 + this.n) / (1 + df.get(key)!)) + 1);
    this.vectors = counts.map((c, j) => this.vectorize(c, profiles[j]!));
    // 2. Postings, as compressed rows.
    this.postStart = new Int32Array(this.dayTerms + 1);
    for (const v of this.vectors) for (const t of v.terms) this.postStart[t + 1]!++;
    for (let t = 0; t < this.dayTerms; t++) this.postStart[t + 1]! += this.postStart[t]!;
    const fill = this.postStart.slice(0, this.dayTerms);
    this.postDoc = new Int32Array(this.postStart[this.dayTerms]!);
    this.postWeight = new Float64Array(this.postDoc.length);
    this.vectors.forEach((v, j) =>
      v.terms.forEach((t, k) => {
        const at = fill[t]!++;
        this.postDoc[at] = j;
        this.postWeight[at] = v.weights[k]!;
      }),
    );
    this.topicNorm = new Float64Array(this.topics.length);
    {
      const sums = this.topics.map(() => new Map<number, number>());
      this.vectors.forEach((v, j) => {
        const t = this.paperTopic[j]!;
        if (t >= 0) v.terms.forEach((term, k) => sums[t]!.set(term, (sums[t]!.get(term) ?? 0) + v.weights[k]!));
      });
      sums.forEach((sum, t) => (this.topicNorm[t] = Math.sqrt([...sum.values()].reduce((a, w) => a + w * w, 0)) || 1));
    }
    this.sectionFit = Float64Array.from(papers, (_, j) => (topicIds[j] ? this.topicFit(j, topicIds[j]!) : 0));
    // 3. The background, evenly spread over the day's order.
    const b = Math.min(this.settings.background, this.n);
    this.background = Int32Array.from({ length: b }, (_, k) => Math.floor((k * this.n) / b));
    this.backgroundDots = new Float64Array(b * this.n);
    this.background.forEach((j, k) => {
      const row = this.backgroundDots.subarray(k * this.n, (k + 1) * this.n);
      this.dotsWithDay(this.vectors[j]!, row);
      this.addTopic(this.paperTopic[j]!, row);
    });
    this.backgroundGram = new Float64Array(b * b);
    for (let k = 0; k < b; k++) for (let k2 = 0; k2 < b; k2++) this.backgroundGram[k * b + k2] = this.backgroundDots[k * this.n + this.background[k2]!]! + 1;
  }

  private id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    return id;
  }

  /** The paper's topic profile as features: its best topics' scores (to profilePower), unit length, times the profile weight. */
  private profile(paper: PaperText, tokens: Token[][][], fits?: readonly { id: string; score: number }[]): Map<string, number> {
    const out = new Map<string, number>();
    if (this.profileOf === undefined || this.settings.profileWeight === 0) return out;
    let norm = 0;
    for (const { id, score } of (fits ?? this.profileOf(paper, tokens)).slice(0, this.settings.profileTop)) {
      if (score < this.settings.profileMin) break;
      const w = score ** this.settings.profilePower;
      out.set(PROFILE + id, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    for (const [k, w] of out) out.set(k, (this.settings.profileWeight * w) / norm);
    return out;
  }

  /**
   * TF-IDF of `counts`, unit length, then the profile's features. Only the day's vocabulary
   * gets a place in the vector: a rated paper's terms that no paper of the day has count in
   * its length (as they would in the day's TF-IDF) and nowhere else, so the ids never grow
   * past the day and a send's memory stays that of the day.
   */
  private vectorize(counts: Map<string, number>, profile: Map<string, number> = new Map()): SparseVector {
    const terms = new Int32Array(counts.size + profile.size);
    const weights = new Float64Array(counts.size + profile.size);
    const noDf = Math.log(1 + this.n) + 1;
    let k = 0;
    let norm = 0;
    for (const [key, tf] of counts) {
      const t = this.ids.get(key);
      const w = (1 + Math.log(tf)) * (t === undefined ? noDf : this.idf[t]!);
      norm += w * w;
      if (t === undefined) continue;
      terms[k] = t;
      weights[k++] = w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < k; i++) weights[i]! /= norm;
    for (const [key, w] of profile) {
      const t = this.ids.get(key);
      if (t === undefined) continue;
      terms[k] = t;
      weights[k++] = w;
    }
    return { terms: terms.subarray(0, k), weights: weights.subarray(0, k) };
  }

  /** out[j] = v · (day paper j). */
  private dotsWithDay(v: SparseVector, out: Float32Array | Float64Array): void {
    for (let k = 0; k < v.terms.length; k++) {
      const t = v.terms[k]!;
      const w = v.weights[k]!;
      for (let p = this.postStart[t]!, end = this.postStart[t + 1]!; p < end; p++) out[this.postDoc[p]!]! += w * this.postWeight[p]!;
    }
  }

  /** The topic whose centroid is closest: (Σ of dots with its papers) / |Σ of its vectors|. */
  private nearestTopic(dots: Float32Array): number {
    const sums = new Float64Array(this.topics.length);
    for (let j = 0; j < this.n; j++) if (this.paperTopic[j]! >= 0) sums[this.paperTopic[j]!]! += dots[j]!;
    let best = -1;
    let bestCos = MIN_TOPIC_COSINE;
    sums.forEach((s, t) => {
      const cos = s / this.topicNorm[t]!;
      if (cos > bestCos) [best, bestCos] = [t, cos];
    });
    return best;
  }

  /** Adds the topic feature's part to dot products with the day: weight² where the topics agree. */
  private addTopic(topic: number, out: Float32Array | Float64Array): void {
    if (topic < 0 || this.topicWeight2 === 0) return;
    for (let j = 0; j < this.n; j++) if (this.paperTopic[j] === topic) out[j]! += this.topicWeight2;
  }

  /** A rated paper's vector and dot products with the day (step 4), cached by paper. */
  rated(paper: RatedPaper): RatedVector {
    const key = paper.paperId;
    const hit = this.cache.get(key);
    // Two texts under one id (a slug reused): the one asked for wins.
    if (hit !== undefined && hit.title === paper.title) {
      // Most recently used last: the first key is the one to drop.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const tokens = paperTokens(paper);
    const fits = this.profileOf?.(paper, tokens) ?? [];
    const vector = this.vectorize(paperTerms(paper, undefined, tokens), this.profile(paper, tokens, fits));
    const dayDots = new Float32Array(this.n);
    this.dotsWithDay(vector, dayDots);
    const best = fits[0];
    const named = best !== undefined && best.score >= this.topicThreshold ? this.topics.indexOf(best.id) : -1;
    const topic = named >= 0 ? named : this.nearestTopic(dayDots);
    this.addTopic(topic, dayDots);
    const made = { vector, topic, dayDots, title: paper.title };
    this.cache.set(key, made);
    if (this.cache.size > RATED_CACHE) this.cache.delete(this.cache.keys().next().value!);
    return made;
  }

  /** A dense vector over every term id, all zeros; whoever writes to it zeroes it again before the next use. */
  zeroedScratch(): Float64Array {
    if (this.scratch.length < this.keys.length) this.scratch = new Float64Array(Math.max(this.keys.length, 2 * this.scratch.length));
    return this.scratch;
  }

  /** A buffer of at least `size` numbers for one reader's Gram matrix (overwritten by each reader). */
  gramBuffer(size: number): Float64Array {
    if (this.gram.length < size) this.gram = new Float64Array(Math.max(size, 2 * this.gram.length));
    return this.gram.subarray(0, size);
  }

  /** Marks over every term id, all zeros; whoever sets one zeroes it again before the next use. */
  zeroedMarks(): Uint8Array {
    if (this.marks.length < this.keys.length) this.marks = new Uint8Array(Math.max(this.keys.length, 2 * this.marks.length));
    return this.marks;
  }

  /** Calls `into(i, j, dot)` for every pair i <= j of `vectors` (full vectors: rated papers). */
  pairwiseDots(vectors: readonly SparseVector[], into: (i: number, j: number, dot: number) => void): void {
    const dense = this.zeroedScratch();
    for (let i = 0; i < vectors.length; i++) {
      const a = vectors[i]!;
      for (let k = 0; k < a.terms.length; k++) dense[a.terms[k]!] = a.weights[k]!;
      for (let j = i; j < vectors.length; j++) {
        const b = vectors[j]!;
        let dot = 0;
        for (let k = 0; k < b.terms.length; k++) dot += dense[b.terms[k]!]! * b.weights[k]!;
        into(i, j, dot);
      }
      for (let k = 0; k < a.terms.length; k++) dense[a.terms[k]!] = 0;
    }
  }

  /** Adds `scale` × v into `dense` (indexed by term id; only ids below `limit`), for a model's weights. */
  addInto(dense: Float64Array, v: SparseVector, scale: number, limit = Infinity): void {
    for (let k = 0; k < v.terms.length; k++) if (v.terms[k]! < limit) dense[v.terms[k]!]! += scale * v.weights[k]!;
  }

  /**
   * How well day paper j fits topic `id` by the map: its share of the paper's topic profile
   * (0 to 1; 0 without a matcher or when the topic is not among its best).
   */
  topicFit(j: number, id: string): number {
    const t = this.ids.get(PROFILE + id);
    if (t === undefined || this.settings.profileWeight === 0) return 0;
    const v = this.vectors[j]!;
    for (let k = v.terms.length - 1; k >= 0; k--) if (v.terms[k] === t) return v.weights[k]! / this.settings.profileWeight;
    return 0;
  }

  /** Number of term ids in use (the size a dense weight vector needs). */
  get termCount(): number {
    return this.keys.length;
  }
}
