/**
 * A day's issue is frozen at its first send, so papers a source lists after that (a second
 * source added to DIGEST_SOURCE, a feed that filled in later) are never sent. That is by design
 * (one issue per day, exactly once), but it must not be silent: the scheduler and `send` warn,
 * one line per source, when the frozen issue leaves out papers a source lists now.
 *
 * 1. The papers the frozen issue carries, and those earlier issues carried (repeats: "Still
 *    trending" or left out, as when the issue was built), are accounted for.
 * 2. Each source whose other papers are not in it gets one line: which source, how many.
 */
import type { IngestResult } from '../ingest/parse-digest.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { IssueStore } from '../store/store.js';
import { plural } from '../plural.js';

/** The warning lines for `ingested` against the frozen issue `compiled` (none when it carries everything). */
export async function frozenIssueGaps(store: Pick<IssueStore, 'findEarlierPapers'>, compiled: CompiledIssue, ingested: Pick<IngestResult, 'digest' | 'sources'>): Promise<string[]> {
  const sources = ingested.sources ?? [{ source: ingested.digest.source, paperIds: ingested.digest.papers.map((p) => p.id) }];
  // 1.
  const carried = new Set(compiled.themes.flatMap((t) => t.papers.map((p) => p.id)));
  const all = [...new Set(sources.flatMap((s) => s.paperIds))].filter((id) => !carried.has(id));
  const earlier = all.length ? await store.findEarlierPapers(all, compiled.id) : new Map<string, unknown>();
  // 2.
  const lines: string[] = [];
  for (const [i, s] of sources.entries()) {
    const missing = s.paperIds.filter((id) => !carried.has(id) && !earlier.has(id)).length;
    if (missing === 0) continue;
    const which = sources.length > 1 ? `source ${i + 1} (${s.source})` : s.source;
    lines.push(`issue ${compiled.id} went out before ${which} listed ${plural(missing, 'paper')}, and carries none of ${missing === 1 ? 'it' : 'them'}: frozen issues are not changed, so ${missing === 1 ? 'it is' : 'they are'} not sent`);
  }
  return lines;
}
