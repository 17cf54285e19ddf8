/**
 * The outline `paperpost themes` prints without --json:
 *
 *     KV Cache · 6
 *         12  xKV: Cross-Layer SVD for KV-Cache Compression
 *          -  KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache
 *
 * one block per theme in issue order (the catch-all last), each paper with its upvotes
 * ("-" when the source has none). Titles are untrusted: control characters are blanked so a
 * title cannot move the cursor or recolour the terminal.
 */
import { plural } from '../plural.js';
import type { ThemedDigest } from '../types.js';

// C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const clean = (text: string) => text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();

/** A plain-text outline of `themed`: header, then "Label · count" and the papers, indented. */
export function formatThemesOutline(themed: ThemedDigest): string {
  // Counted as the email counts them: every section it shows, the catch-all included.
  const count = themed.themes.reduce((sum, t) => sum + t.papers.length, 0);
  const sections = themed.themes.filter((t) => t.papers.length > 0).length;
  const header = `${themed.date ?? 'undated'} · ${plural(count, 'paper')} in ${plural(sections, 'section')}`;
  if (themed.themes.length === 0) return `${header}\n`;
  const votes = (n: number | null) => (n === null ? '-' : String(n));
  const width = Math.max(...themed.themes.flatMap((t) => t.papers.map((p) => votes(p.upvotes).length)));
  const line = (paper: ThemedDigest['themes'][number]['papers'][number], indent: string) => `${indent}${votes(paper.upvotes).padStart(width)}  ${clean(paper.title)}`;
  const blocks = themed.themes.map((theme) => {
    const kind = theme.kind === 'emerging' ? '  (emerging: fits no topic yet)' : '';
    const lines = [`${clean(theme.label)} · ${theme.papers.length}${kind}`];
    // Stories first, each under its label; then the papers no story holds.
    const inStory = new Set<string>();
    for (const story of theme.stories ?? []) {
      lines.push(`  ▸ ${clean(story.label)} · ${story.papers.length}`);
      for (const id of story.papers) {
        const paper = theme.papers.find((p) => p.id === id);
        if (paper) lines.push(line(paper, '      '));
        inStory.add(id);
      }
    }
    for (const paper of theme.papers) if (!inStory.has(paper.id)) lines.push(line(paper, '    '));
    return lines.join('\n');
  });
  return `${header}\n\n${blocks.join('\n\n')}\n`;
}
