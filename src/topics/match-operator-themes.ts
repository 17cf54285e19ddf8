/**
 * Operator themes claim papers before clustering. Each keyword or phrase of a theme is
 * matched as a sequence of stems (so "agent" matches "agents" and "agentic", and "kv cache"
 * matches "KV-Cache"), case-insensitively and within one sentence part. A paper's score for
 * a theme is 3 per hit in its title, 2 per hit in its source keywords and 1 per hit in its
 * abstract or TL;DR; it joins the theme at a score of 2 or more (named in the title, or
 * mentioned twice), and the highest-scoring theme wins, the earlier in the file on a tie.
 */
import type { Paper } from '../types.js';
import { tokenizeText } from './tokenize-text.js';

/** A theme named by the newsletter operator in themes.yml. */
export interface OperatorTheme {
  /** Shown to readers as written. */
  label: string;
  /** Single words, matched in any inflection. */
  keywords: string[];
  /** Word sequences, each word in any inflection, in order. */
  phrases: string[];
}

/** Where each paper went: the index of its operator theme or -1, and the terms that matched. */
export interface OperatorMatch {
  theme: number;
  matched: string[];
}

/** A paper's score for a theme needs to reach this to join it. */
export const OPERATOR_MATCH_SCORE = 2;

function stemSequences(text: string): string[][] {
  return tokenizeText(text).map((segment) => segment.map((t) => t.stem));
}

/**
 * Hits of each needle in `haystack`, longest needles first, where a word already counted for
 * one needle is not counted again: "robotic manipulation" is one mention, even when both
 * "robot" and "robot manipulation" are listed.
 */
function countHits(haystack: string[][], needles: ReadonlyArray<readonly string[]>): number[] {
  const hits = needles.map(() => 0);
  const order = needles.map((_, k) => k).sort((a, b) => needles[b]!.length - needles[a]!.length || a - b);
  for (const seq of haystack) {
    const used = new Uint8Array(seq.length);
    for (const k of order) {
      const needle = needles[k]!;
      outer: for (let i = 0; i + needle.length <= seq.length; i++) {
        for (let j = 0; j < needle.length; j++) if (used[i + j] || seq[i + j] !== needle[j]) continue outer;
        used.fill(1, i, i + needle.length);
        hits[k]!++;
      }
    }
  }
  return hits;
}

/** The operator theme each of `papers` belongs to (-1 for none), with the terms that matched it. */
export function matchOperatorThemes(papers: readonly Paper[], themes: readonly OperatorTheme[]): OperatorMatch[] {
  const needles = themes.map((theme) =>
    [...theme.keywords, ...theme.phrases]
      .map((term) => ({ term, stems: stemSequences(term).flat() }))
      .filter((n) => n.stems.length > 0),
  );
  return papers.map((paper) => {
    if (themes.length === 0) return { theme: -1, matched: [] };
    const fields: [string[][], number][] = [
      [stemSequences(paper.title), 3],
      [stemSequences(paper.keywords.join(' . ')), 2],
      [stemSequences(`${paper.abstract} . ${paper.summary ?? ''}`), 1],
    ];
    let best: OperatorMatch = { theme: -1, matched: [] };
    let bestScore = OPERATOR_MATCH_SCORE - 1;
    needles.forEach((list, t) => {
      const perField = fields.map(([field, weight]) => countHits(field, list.map((n) => n.stems)).map((h) => h * weight));
      let score = 0;
      const matched: string[] = [];
      list.forEach(({ term }, k) => {
        const s = perField.reduce((sum, field) => sum + field[k]!, 0);
        if (s > 0) {
          score += s;
          matched.push(term);
        }
      });
      if (score > bestScore) {
        bestScore = score;
        best = { theme: t, matched };
      }
    });
    return best;
  });
}
