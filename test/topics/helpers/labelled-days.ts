/**
 * The four hand-labelled topic test days of test/fixtures/topics/days (issue #12), read through
 * src/ingest, and the figures they are scored by: pairwise precision over the non-catch-all
 * sections, the catch-all's share, the number of sections.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDigest } from '../../../src/ingest/parse-digest.js';
import type { Digest, ThemedDigest } from '../../../src/types.js';
import { ROOT } from './digests.js';

export const LABELLED_DATES = ['2026-05-29', '2026-06-24', '2026-07-31', '2026-09-04'] as const;

/** The editor's sections of one day. */
export interface DayLabels {
  date: string;
  groups: { label: string; topic: string | null; papers: string[] }[];
  paper_topics: Record<string, string>;
}

const DIR = path.join(ROOT, 'test/fixtures/topics/days');

/** One labelled day: its digest and the editor's labels. */
export function loadLabelledDay(date: string): { digest: Digest; labels: DayLabels } {
  const name = `hf-api-${date}.json`;
  const digest = parseDigest(readFileSync(path.join(DIR, name)), { name }).digest;
  const labels = JSON.parse(readFileSync(path.join(DIR, `hf-api-${date}.labels.json`), 'utf8')) as DayLabels;
  return { digest, labels };
}

/** The figures of one grouped day against the editor's labels. */
export interface DayFigures {
  precision: number;
  pairs: number;
  catchAllShare: number;
  sections: number;
  /** Papers whose section is the topic the editor gave them (paper_topics). */
  topicAccuracy: number;
}

/** Scores `themed` against `labels` (see the module comment). */
export function scoreDay(themed: ThemedDigest, labels: DayLabels): DayFigures {
  const editorGroup = new Map<string, number>();
  labels.groups.forEach((g, k) => {
    if (g.topic !== null) for (const id of g.papers) editorGroup.set(id, k);
  });
  let pairs = 0;
  let agreed = 0;
  let total = 0;
  let onTopic = 0;
  let catchAll = 0;
  for (const theme of themed.themes) {
    total += theme.papers.length;
    if (theme.other) {
      catchAll += theme.papers.length;
      continue;
    }
    for (const p of theme.papers) if (labels.paper_topics[p.id] === theme.id) onTopic++;
    const ids = theme.papers.map((p) => p.id);
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) {
        pairs++;
        const ga = editorGroup.get(ids[a]!);
        if (ga !== undefined && ga === editorGroup.get(ids[b]!)) agreed++;
      }
    }
  }
  return {
    precision: pairs === 0 ? 1 : agreed / pairs,
    pairs,
    catchAllShare: catchAll / total,
    sections: themed.themes.length,
    topicAccuracy: onTopic / total,
  };
}
