/**
 * Reading order within a section, by what the day's source has (issue #21). arXiv has no
 * upvotes, so a section of an arXiv day cannot be ordered by them alone; and whatever the
 * order is, a reader (and `themes --json`) should be able to see why a paper is where it is.
 *
 * Best first:
 * 1. upvotes, when the source has them (Hugging Face; a paper without counts as 0);
 * 2. story size: how many papers of the section are on the same thing that day (1 when alone);
 * 3. code released (a code link);
 * 4. then a stable tie-break: the newer date (unknown last), then id, title and the record
 *    (comparePapers).
 * A reader's own score (issue #20, picks) will come before 2 once it exists.
 */
import type { Paper, PaperRank } from '../types.js';
import { comparePapers } from './compare-papers.js';

/** Orders `papers` best first and says, per paper, which parts decided its place. */
export function rankPapers(papers: readonly Paper[], storySize: (paper: Paper) => number): { papers: Paper[]; ranking: PaperRank[] } {
  const parts = new Map(
    papers.map((p) => [
      p,
      { upvotes: typeof p.upvotes === 'number' && Number.isFinite(p.upvotes) ? p.upvotes : null, story: Math.max(1, storySize(p)), code: typeof p.codeUrl === 'string' && p.codeUrl !== '' },
    ]),
  );
  const sorted = [...papers].sort((a, b) => {
    const pa = parts.get(a)!;
    const pb = parts.get(b)!;
    return (pb.upvotes ?? 0) - (pa.upvotes ?? 0) || pb.story - pa.story || Number(pb.code) - Number(pa.code) || comparePapers(a, b);
  });
  const ranking = sorted.map((p, k): PaperRank => {
    const { upvotes, story, code } = parts.get(p)!;
    const next = sorted[k + 1] ? parts.get(sorted[k + 1]!)! : null;
    // What put this paper ahead of the next one: the first part on which they differ.
    let decidedBy: PaperRank['decidedBy'] = 'last';
    if (next) {
      if ((upvotes ?? 0) !== (next.upvotes ?? 0)) decidedBy = 'upvotes';
      else if (story !== next.story) decidedBy = 'story';
      else if (code !== next.code) decidedBy = 'code';
      else decidedBy = 'tie-break';
    }
    const why = [
      upvotes === null ? 'no upvotes' : `${upvotes} upvote${upvotes === 1 ? '' : 's'}`,
      story > 1 ? `story of ${story} papers` : 'on its own',
      code ? 'code released' : 'no code',
    ].join(', ');
    return { paper: p.id, position: k + 1, upvotes, storySize: story, code, decidedBy, why };
  });
  return { papers: sorted, ranking };
}
