/**
 * Several sources, one issue (DIGEST_SOURCE names a list): the digests read from each are
 * merged into one. A paper two sources list appears once.
 *
 * 1. Sources from Hugging Face come first, whatever the order of the list: their papers lead,
 *    and a merged paper keeps HF's upvotes, AI summary and keywords (arXiv has none of them).
 * 2. Papers are matched by arXiv id; a paper without one (a Hugging Face page lists titles
 *    only) is matched by its title. The merged paper takes the arXiv id when either side has
 *    it, and the richer of the other fields: the longer abstract and author list, the larger
 *    author count, and otherwise the first source's value, the second's filling its gaps.
 * 3. One issue per day: the merged digest is dated by the newest date any source gives. A
 *    source a day behind (yesterday's feed not yet updated) then neither moves today's issue
 *    back to a date already sent nor starts a second issue; papers an earlier issue carried
 *    are taken out by the issue history as always. When the sources disagree, a warning says
 *    which dates they gave and which one the issue takes.
 */
import type { Digest, IngestWarning, Paper } from '../types.js';
import type { DigestFormat } from './detect-format.js';
import { slugifyTitle } from './slugify-title.js';
import { toArxivId } from './to-arxiv-id.js';

/** One source's digest, as read. */
export interface SourceDigest {
  digest: Digest;
  warnings: IngestWarning[];
  format: DigestFormat;
}

const FROM_HF: readonly DigestFormat[] = ['hf-page', 'hf-api'];

/** Merges the digests of a source list into one (see the file comment for the rules). */
export function mergeDigests(sources: readonly SourceDigest[]): { digest: Digest; warnings: IngestWarning[] } {
  const name = sources.map((s) => s.digest.source).join(', ');
  // 1.
  const ordered = [...sources.filter((s) => FROM_HF.includes(s.format)), ...sources.filter((s) => !FROM_HF.includes(s.format))];
  // 2.
  const byKey = new Map<string, Paper>();
  const papers: Paper[] = [];
  for (const source of ordered) {
    for (const paper of source.digest.papers) {
      const known = keysOf(paper).map((k) => byKey.get(k)).find((p) => p !== undefined);
      if (known === undefined) {
        const copy = { ...paper, authors: [...paper.authors], keywords: [...paper.keywords] };
        papers.push(copy);
        for (const k of keysOf(copy)) byKey.set(k, copy);
        continue;
      }
      mergeInto(known, paper);
      for (const k of keysOf(known)) if (!byKey.has(k)) byKey.set(k, known);
    }
  }
  // 3.
  const warnings = sources.flatMap((s) => s.warnings);
  const dates = [...new Set(sources.map((s) => s.digest.date).filter((d): d is string => d !== null))].sort();
  const date = dates.at(-1) ?? null;
  if (dates.length > 1) {
    const given = sources.map((s) => `${s.digest.source}: ${s.digest.date ?? 'no date'}`).join('; ');
    warnings.push({ position: name, message: `the sources give different dates (${given}); the issue is dated ${date}, the newest` });
  }
  return { digest: { date, source: name, papers }, warnings };
}

/** The keys a paper is matched by: its arXiv id, and its title. */
function keysOf(paper: Paper): string[] {
  const arxiv = toArxivId(paper.id) === paper.id ? paper.id : null;
  return [...(arxiv ? [`arxiv:${arxiv}`] : []), `title:${slugifyTitle(paper.title)}`];
}

/** Fills `kept` (from the earlier source) with what `other` has and it lacks, or has more of. */
function mergeInto(kept: Paper, other: Paper): void {
  if (toArxivId(kept.id) !== kept.id && toArxivId(other.id) === other.id) kept.id = other.id;
  if (kept.title === '') kept.title = other.title;
  if (other.abstract.length > kept.abstract.length) kept.abstract = other.abstract;
  kept.summary ??= other.summary;
  if (other.authors.length > kept.authors.length) kept.authors = [...other.authors];
  const counts = [kept.authorCount, other.authorCount].filter((n): n is number => n !== null);
  kept.authorCount = counts.length > 0 ? Math.max(...counts, kept.authors.length) : kept.authorCount;
  kept.publishedAt ??= other.publishedAt;
  if (other.upvotes !== null && (kept.upvotes === null || other.upvotes > kept.upvotes)) kept.upvotes = other.upvotes;
  kept.url ??= other.url;
  kept.codeUrl ??= other.codeUrl;
  if (kept.keywords.length === 0) kept.keywords = [...other.keywords];
}
