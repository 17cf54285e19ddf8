/**
 * A paper listed twice appears once: the first listing is kept, and fields it lacks are
 * filled from the later one. Linear: one Map lookup per paper.
 */
import type { Paper } from '../types.js';
import { quote, type ParseContext, type ParsedPaper } from './parse-context.js';

/** Removes repeated ids (first wins, gaps filled from repeats), warning once per repeat. */
export function dedupePapers(papers: readonly ParsedPaper[], ctx: ParseContext): Paper[] {
  const byId = new Map<string, ParsedPaper>();
  const out: Paper[] = [];
  for (const entry of papers) {
    const first = byId.get(entry.paper.id);
    if (first === undefined) {
      byId.set(entry.paper.id, entry);
      out.push(entry.paper);
      continue;
    }
    fillGaps(first.paper, entry.paper);
    ctx.warn(entry.position, `${quote(entry.paper.title)} is listed twice (first at ${first.position}); kept once`);
  }
  return out;
}

function fillGaps(kept: Paper, repeat: Paper): void {
  if (kept.abstract === '') kept.abstract = repeat.abstract;
  kept.summary ??= repeat.summary;
  if (kept.authors.length === 0) kept.authors = repeat.authors;
  kept.authorCount ??= repeat.authorCount;
  kept.publishedAt ??= repeat.publishedAt;
  kept.upvotes ??= repeat.upvotes;
  kept.url ??= repeat.url;
  kept.codeUrl ??= repeat.codeUrl;
  if (kept.keywords.length === 0) kept.keywords = repeat.keywords;
}
