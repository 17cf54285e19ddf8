/**
 * How a grouped day compares with an editor's labels (issue #12, #21): one definition of the
 * figures the labelled-day tests assert and scripts/measure-topics.mjs prints, so the test and
 * the quoted numbers cannot drift apart. Pure; no I/O.
 *
 * - pairwise precision: of the pairs of papers that share a section other than the catch-all
 *   (topic and emerging sections alike), the share the editor also put in one group whose
 *   `topic` is not null ("Other" groups never agree);
 * - catch-all share and clusters + catch-all share (emerging sections are day-by-day clusters:
 *   papers the topic map did not place);
 * - topic accuracy: papers whose section id is the editor's `paper_topics` entry.
 */
import type { ThemedDigest } from '../types.js';

/** An editor's grouping of one day (test/fixtures/topics/…/*.labels.json). */
export interface EditorLabels {
  date: string;
  groups: { label: string; topic: string | null; papers: string[] }[];
  paper_topics: Record<string, string>;
}

/** The figures of one grouped day. */
export interface GroupingFigures {
  papers: number;
  /** Sections, the catch-all included. */
  sections: number;
  precision: number;
  pairs: number;
  catchAllShare: number;
  /** Papers in emerging sections or the catch-all, as a share of all papers. */
  unplacedShare: number;
  topicAccuracy: number;
  /** Every story label of the day, in section order. */
  storyLabels: string[];
}

/** Scores `themed` against `labels` (see the module comment). */
export function scoreAgainstLabels(themed: ThemedDigest, labels: EditorLabels): GroupingFigures {
  const editorGroup = new Map<string, number>();
  labels.groups.forEach((g, k) => {
    if (g.topic !== null) for (const id of g.papers) editorGroup.set(id, k);
  });
  let pairs = 0;
  let agreed = 0;
  let total = 0;
  let onTopic = 0;
  let catchAll = 0;
  let emerging = 0;
  const storyLabels: string[] = [];
  for (const theme of themed.themes) {
    total += theme.papers.length;
    if (theme.other) {
      catchAll += theme.papers.length;
      continue;
    }
    if (theme.kind === 'emerging') emerging += theme.papers.length;
    for (const story of theme.stories ?? []) storyLabels.push(story.label);
    for (const p of theme.papers) if (labels.paper_topics[p.id] === theme.id) onTopic++;
    const groups = theme.papers.map((p) => editorGroup.get(p.id));
    for (let a = 0; a < groups.length; a++) {
      for (let b = a + 1; b < groups.length; b++) {
        pairs++;
        if (groups[a] !== undefined && groups[a] === groups[b]) agreed++;
      }
    }
  }
  return {
    papers: total,
    sections: themed.themes.length,
    precision: pairs === 0 ? 1 : agreed / pairs,
    pairs,
    catchAllShare: total === 0 ? 0 : catchAll / total,
    unplacedShare: total === 0 ? 0 : (catchAll + emerging) / total,
    topicAccuracy: total === 0 ? 0 : onTopic / total,
    storyLabels,
  };
}
