/**
 * A paper's text for a rating, from the newest frozen issue that carried it: what
 * IssueStore.findIssuePaper answers on both stores. The frozen issue (a CompiledIssue as JSON)
 * has the paper as the reader saw it, authors included; issue_papers, which finds the issue by
 * paper id through its index, has no authors. Texts are cut to the limits the rating keeps, so
 * what this returns is always accepted by recordRating.
 */
import { MAX_RATED_TEXT, type RatedPaper } from '../../picks/reader-signals.js';
import type { Paper, Theme } from '../../types.js';
import type { IssuePaperRow } from './map-rows.js';

/** The statement's result: the newest issue_papers row of the paper, with its issue's frozen JSON. */
export type IssuePaperWithFrozen = IssuePaperRow & { frozen: string };

/** The SELECT both stores run (one parameter: the paper id). */
export const NEWEST_ISSUE_PAPER = `SELECT p.*, i.frozen FROM issue_papers p JOIN issues i ON i.id = p.issue_id
  WHERE p.paper_id = {id} ORDER BY p.issue_id DESC LIMIT 1`;

/** Keeps list items whole while their joined text fits the limit. */
function fit(items: string[]): string[] {
  const kept: string[] = [];
  let length = 0;
  for (const item of items) {
    const next = length + (kept.length ? 2 : 0) + item.length;
    if (next > MAX_RATED_TEXT) break;
    kept.push(item);
    length = next;
  }
  return kept;
}

const cut = (text: string) => (text.length > MAX_RATED_TEXT ? text.slice(0, MAX_RATED_TEXT) : text);

/**
 * The rated paper of this row; the frozen issue's copy of the paper supplies the authors when it
 * has it, and its link (a paper without an arXiv id, such as a Hugging Face slug, has no other).
 */
export function issuePaperText(row: IssuePaperWithFrozen): RatedPaper & { url: string | null } {
  let paper: Paper | undefined;
  try {
    const themes = (JSON.parse(row.frozen) as { themes?: Theme[] }).themes ?? [];
    for (const t of themes) {
      paper = t.papers.find((p) => p.id === row.paper_id);
      if (paper) break;
    }
  } catch {
    paper = undefined;
  }
  const keywords = row.keywords === null ? (paper?.keywords ?? []) : (JSON.parse(row.keywords) as string[]);
  return {
    paperId: row.paper_id,
    title: cut(paper?.title ?? row.title),
    abstract: cut(paper?.abstract || row.abstract || ''),
    authors: fit(paper?.authors ?? []),
    keywords: fit(keywords),
    url: paper?.url ?? null,
  };
}
