/**
 * Theme labels from class-based TF-IDF: a phrase scores by the share of the theme's papers
 * that use it (titles counting double, so title phrases win) times how rare it is in the
 * whole digest, ln(1 + n / df). Longer phrases get a bonus because "KV Cache Compression"
 * says more than "Compression" when both cover the theme equally. The label is the best
 * phrase not already taken, in its most frequent spelling, in Title Case.
 */
import { forEachPhrase, MAX_PHRASE_LENGTH, type PaperTerms } from './analyze-paper.js';
import { extractPhrases } from './extract-phrases.js';
import { isStopWord } from './is-stop-word.js';
import { titleCase } from './title-case.js';

/** What a theme is called and the phrases behind the name, most distinctive first. */
export interface ClusterLabel {
  label: string;
  keywords: string[];
}

/** Bonus per extra word of a phrase. */
const LENGTH_BONUS = 0.5;
const MAX_KEYWORDS = 6;

/** Phrase length for the bonus: generic head nouns ("model" in "draft model") count half. */
function labelWeight(key: string): number {
  let w = 0;
  for (const stem of key.split(' ')) {
    const tier = isStopWord(stem, stem);
    w += tier === null ? 1 : tier === 'generic' ? 0.5 : 0;
  }
  return w;
}

/** A phrase of a group, scored. */
export interface Candidate {
  key: string;
  score: number;
  /** Length as weighted for the bonus. */
  words: number;
  /** Papers of the group that use it. */
  docs: number;
}

/** In how many papers of the digest each phrase occurs (any field). */
export function documentFrequencies(terms: readonly PaperTerms[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const t of terms) forEachPhrase(t, (key) => df.set(key, (df.get(key) ?? 0) + 1));
  return df;
}

/** Phrases of one group, best first; only phrases used by at least two of its papers (one for a single paper). */
export function rankPhrases(group: readonly number[], terms: readonly PaperTerms[], df: ReadonlyMap<string, number>): Candidate[] {
  const docs = new Map<string, number>();
  const titleDocs = new Map<string, number>();
  for (const i of group) {
    const t = terms[i]!;
    forEachPhrase(t, (key) => docs.set(key, (docs.get(key) ?? 0) + 1));
    for (const key of t.title.keys()) titleDocs.set(key, (titleDocs.get(key) ?? 0) + 1);
  }
  const n = terms.length;
  const size = group.length;
  const minDocs = Math.min(2, size);
  const ranked: Candidate[] = [];
  for (const [key, d] of docs) {
    if (d < minDocs) continue;
    const words = labelWeight(key);
    const coverage = (d + (titleDocs.get(key) ?? 0)) / (2 * size);
    const score = coverage * Math.log(1 + n / df.get(key)!) * (1 + LENGTH_BONUS * (words - 1));
    ranked.push({ key, score, words, docs: d });
  }
  // On equal scores the longer phrase is the more specific name ("speculative decoding" over "draft").
  return ranked.sort((a, b) => b.score - a.score || b.words - a.words || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Spellings of `keys` in the group's papers, and the words that follow them. */
interface Spellings {
  /** Stemmed phrase → spelling as written → occurrences. */
  forms: Map<string, Map<string, number>>;
  /** Stemmed phrase → stem of the word right after it → that word as written, with its joiner (" Models", "-Based") → occurrences. */
  next: Map<string, Map<string, Map<string, number>>>;
}

function collectSpellings(group: readonly number[], terms: readonly PaperTerms[], keys: ReadonlySet<string>): Spellings {
  const forms = new Map<string, Map<string, number>>();
  const next = new Map<string, Map<string, Map<string, number>>>();
  const inner = <V>(outer: Map<string, Map<string, V>>, key: string) => outer.get(key) ?? outer.set(key, new Map()).get(key)!;
  const count = (into: Map<string, number>, value: string) => into.set(value, (into.get(value) ?? 0) + 1);
  const starts = new Set([...keys].map((key) => key.split(' ')[0]!));
  for (const i of group) {
    for (const segments of terms[i]!.tokens) {
      for (const { key, surface, segment, end } of extractPhrases(segments, MAX_PHRASE_LENGTH, { starts })) {
        if (!keys.has(key)) continue;
        count(inner(forms, key), surface);
        const after = segments[segment]![end + 1];
        // Not an acronym: that is the phrase's own abbreviation ("Partial Differential Equations (PDEs)").
        if (after && after.stop !== 'english' && !/.\p{Lu}|^\p{Lu}+$/u.test(after.surface)) {
          count(inner(inner(next, key), after.stem), (after.hyphenBefore ? '-' : ' ') + after.surface);
        }
      }
    }
  }
  return { forms, next };
}

/** Share of a phrase's occurrences one following word must have for the label to take it too. */
const COMPLETES = 0.6;

/**
 * The word that completes `key` in these papers, if one follows most of its occurrences: a
 * phrase cut at MAX_PHRASE_LENGTH words, or before its head noun, reads as a fragment
 * ("Video Large Language", "Cross-Domain Sequential", "Visual Inertial"), while the papers say
 * "Video Large Language Models", "Cross-Domain Sequential Recommendation", "Visual Inertial
 * Odometry". Null when no word follows at least COMPLETES of them (and twice at least), and
 * for a single word.
 */
function completion(spellings: Spellings, key: string): string | null {
  // One word is never completed: "Aware" + "Prompting" would turn a refused fragment of
  // "Context-Aware Prompting" into a label.
  if (!key.includes(' ')) return null;
  const occurrences = [...(spellings.forms.get(key)?.values() ?? [])].reduce((a, b) => a + b, 0);
  // Counted by stem ("Model" and "Models" are one word here), spelled as most often written.
  let best: string | null = null;
  let bestCount = 0;
  for (const forms of spellings.next.get(key)?.values() ?? []) {
    const count = [...forms.values()].reduce((a, b) => a + b, 0);
    if (count <= bestCount) continue;
    const written = [...forms].sort((a, b) => b[1] - a[1])[0]![0];
    [best, bestCount] = [written[0] + titleCase(written.slice(1)), count];
  }
  return best !== null && bestCount >= 2 && bestCount >= COMPLETES * occurrences ? best : null;
}

/**
 * The most frequent of `forms` (spelling → occurrences). For a label (`cased`) spellings are
 * compared in Title Case. For a keyword, a spelling with every word capitalized loses to any
 * other, as it is usually a title's ("Knowledge Distillation" gives way to "knowledge
 * distillation", while "Gaussian" or "KV cache" keep their capitals).
 */
function spell(forms: ReadonlyMap<string, number> | undefined, cased: boolean): string {
  const counts = new Map<string, number>();
  for (const [surface, c] of forms ?? []) {
    const form = cased ? titleCase(surface) : surface;
    counts.set(form, (counts.get(form) ?? 0) + c);
  }
  const capitals = (s: string) => s.match(/\p{Lu}/gu)?.length ?? 0;
  const headline = (s: string) => (!cased && s.split(/[\s-]+/).every((w) => /^\p{Lu}/u.test(w)) ? 1 : 0);
  const ranked = [...counts].sort(
    ([a, ca], [b, cb]) =>
      headline(a) - headline(b) || cb - ca || capitals(b) - capitals(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return ranked[0]?.[0] ?? '';
}

/** How many of a group's best phrases are spelled out: enough for a free label and the keywords. */
const SPELLED_CANDIDATES = 40;

/**
 * Labels each group (indices into `terms`, which covers the whole digest) in the order
 * given, so earlier groups get first pick. `taken` holds labels already in use, lowercased;
 * it is extended with the labels chosen here, which are therefore unique.
 */
export function labelClusters(
  groups: ReadonlyArray<readonly number[]>,
  terms: readonly PaperTerms[],
  taken: Set<string> = new Set(),
  /**
   * When given, only labels it accepts are chosen, each from a phrase used by half the group
   * or more; a group with none gets the label '' (and is not added to `taken`).
   */
  accept?: (label: string) => boolean,
  /** documentFrequencies(terms), when the caller labels several sets of groups of one digest (computed once, not per call). */
  df: ReadonlyMap<string, number> = documentFrequencies(terms),
): ClusterLabel[] {
  // Phrases already made a label in this call: "Regret Bounds" after "Regret Bound" names the same thing twice.
  const chosen = new Set<string>();
  return groups.map((group) => {
    const ranked = rankPhrases(group, terms, df).slice(0, SPELLED_CANDIDATES).filter(({ key }) => !chosen.has(key));
    const spellings = collectSpellings(group, terms, new Set(ranked.map((c) => c.key)));
    const bareLabelOf = (key: string) => spell(spellings.forms.get(key), true);
    const labelOf = (key: string) => bareLabelOf(key) + (completion(spellings, key) ?? '');
    const keywords: string[] = [];
    const covered = new Set<string>();
    let label: string | undefined;
    // A name must fit most of the theme: only phrases used by half its papers may be the label.
    const minDocs = Math.ceil(group.length / 2);
    for (const { key, docs } of ranked) {
      const words = key.split(' ');
      if (label === undefined && docs >= minDocs) {
        // Completed when the papers complete it, as it is when the completed one is refused or
        // taken; each must pass `accept` ("Cross-Domain Sequential", refused, completes to
        // "Cross-Domain Sequential Recommendation"; "Physics-Informed Neural" stays refused).
        const ok = (candidate: string) => !taken.has(candidate.toLowerCase()) && (accept === undefined || accept(candidate));
        label = [labelOf(key), bareLabelOf(key)].find(ok);
        if (label !== undefined) chosen.add(key);
      }
      // A keyword whose every word is already listed adds nothing ("kv" after "kv cache").
      if (keywords.length < MAX_KEYWORDS && !words.every((w) => covered.has(w))) {
        keywords.push(spell(spellings.forms.get(key), false));
        words.forEach((w) => covered.add(w));
      }
      if (label !== undefined && keywords.length >= MAX_KEYWORDS) break;
    }
    if (accept !== undefined && label === undefined) return { label: '', keywords };
    // No phrase covers half the theme: take the best one free, and number it only if none is.
    if (label === undefined) {
      const free = ranked.find(({ key }) => !taken.has(labelOf(key).toLowerCase()));
      if (free) {
        label = labelOf(free.key);
        chosen.add(free.key);
      }
    }
    if (label === undefined) {
      const base = ranked.length > 0 ? labelOf(ranked[0]!.key) : 'Theme';
      let k = 2;
      while (taken.has(`${base} ${k}`.toLowerCase())) k++;
      label = `${base} ${k}`;
    }
    taken.add(label.toLowerCase());
    return { label, keywords };
  });
}
