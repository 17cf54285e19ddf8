import { describe, expect, it } from 'vitest';
import { formatThemesOutline } from '../../src/topics/format-themes-outline.js';
import { groupPapers } from '../../src/topics/group-papers.js';
import type { ThemedDigest } from '../../src/types.js';
import { loadSampleDigest, makePaper } from './helpers/digests.js';

describe('formatThemesOutline', () => {
  it('prints "Label · count" and each paper with its upvotes, indented, in issue order', () => {
    const themed: ThemedDigest = {
      date: '2025-12-11',
      source: 'x',
      themes: [
        { id: 'kv-cache', label: 'KV Cache', keywords: [], other: false, papers: [makePaper({ title: 'xKV', upvotes: 12 }), makePaper({ title: 'KIVI', upvotes: null })] },
        { id: 'more-trending-papers', label: 'More trending papers', keywords: [], other: true, papers: [makePaper({ title: 'Light Schrödinger Bridge', upvotes: 3 })] },
      ],
    };
    expect(formatThemesOutline(themed)).toBe(
      [
        '2025-12-11 · 3 papers in 2 sections',
        '',
        'KV Cache · 2',
        '    12  xKV',
        '     -  KIVI',
        '',
        'More trending papers · 1',
        '     3  Light Schrödinger Bridge',
        '',
      ].join('\n'),
    );
  });

  it('blanks control characters in untrusted titles', () => {
    const themed: ThemedDigest = {
      date: null,
      source: 'x',
      themes: [{ id: 'o', label: 'More trending papers', keywords: [], other: true, papers: [makePaper({ title: 'Evil\u001b[2J\u202eTitle\r\nNext', upvotes: 1 })] }],
    };
    const out = formatThemesOutline(themed);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(out).toContain('undated · 1 paper in 1 section');
    expect(out).toContain('Evil [2J Title Next');
  });

  it('lists every paper of a grouped digest once, and says so for an empty one', () => {
    const out = formatThemesOutline(groupPapers(loadSampleDigest()));
    expect(out.split('\n').filter((l) => l.startsWith('    '))).toHaveLength(39);
    expect(out.trimEnd().split('\n\n').at(-1)).toMatch(/^More trending papers · \d+/);
    expect(formatThemesOutline({ date: '2025-01-01', source: 'x', themes: [] })).toBe('2025-01-01 · 0 papers in 0 sections\n');
  });
});
