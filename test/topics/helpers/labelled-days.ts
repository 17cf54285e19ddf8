/**
 * The four hand-labelled topic test days of test/fixtures/topics/days (issue #12), read through
 * src/ingest, and the figures they are scored by: pairwise precision over the non-catch-all
 * sections, the catch-all's share, the number of sections.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDigest } from '../../../src/ingest/parse-digest.js';
import { scoreAgainstLabels, type GroupingFigures } from '../../../src/topics/score-against-labels.js';
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

/** The figures of one grouped day (the part of scoreAgainstLabels' figures these tests quote). */
export type DayFigures = Pick<GroupingFigures, 'precision' | 'pairs' | 'catchAllShare' | 'sections' | 'topicAccuracy'>;

/** Scores `themed` against `labels`: the one scorer of the tests and scripts/measure-topics.mjs. */
export function scoreDay(themed: ThemedDigest, labels: DayLabels): DayFigures {
  return scoreAgainstLabels(themed, labels);
}
