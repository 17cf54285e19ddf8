/** arXiv and PDF links are built only from an id that is exactly an arXiv identifier. */
import { describe, expect, it } from 'vitest';
import { arxivLinks } from '../../src/render/arxiv-links.js';
import { buildPaperView } from '../../src/render/build-paper-view.js';
import type { Paper } from '../../src/types.js';

const paper = (over: Partial<Paper>): Paper => ({
  id: '2512.01234',
  title: 'A paper',
  abstract: '',
  summary: null,
  authors: [],
  authorCount: null,
  publishedAt: null,
  upvotes: null,
  url: null,
  codeUrl: null,
  keywords: [],
  ...over,
});

describe('arxivLinks', () => {
  it('builds abs and pdf links for new- and old-style ids', () => {
    expect(arxivLinks('2512.01234')).toEqual({ id: '2512.01234', abs: 'https://arxiv.org/abs/2512.01234', pdf: 'https://arxiv.org/pdf/2512.01234' });
    expect(arxivLinks('0704.0001')?.abs).toBe('https://arxiv.org/abs/0704.0001');
    expect(arxivLinks('hep-th/9901001')?.pdf).toBe('https://arxiv.org/pdf/hep-th/9901001');
    expect(arxivLinks('math.AG/0309136')?.abs).toBe('https://arxiv.org/abs/math.AG/0309136');
  });

  it('refuses anything else: slugs, versions, months past 12, markup, paths, URLs', () => {
    for (const id of ['learning-disentangled-representations', '2512.01234v2', '2513.01234', '2512.123', '2512.01234"><script>', '../2512.01234', '2512.01234/../../x', 'https://arxiv.org/abs/2512.01234', ' 2512.01234', '', null, 42]) {
      expect(arxivLinks(id), String(id)).toBeNull();
    }
  });
});

describe('the links of a paper', () => {
  it('are its page, arXiv, PDF and code, in that order', () => {
    const v = buildPaperView(paper({ url: 'https://huggingface.co/papers/2512.01234', codeUrl: 'https://github.com/o/r' }));
    expect(v.links.map((l) => [l.label, l.url])).toEqual([
      ['Paper page', 'https://huggingface.co/papers/2512.01234'],
      ['arXiv', 'https://arxiv.org/abs/2512.01234'],
      ['PDF', 'https://arxiv.org/pdf/2512.01234'],
      ['Code', 'https://github.com/o/r'],
    ]);
  });

  it('leave out a paper page that is the arXiv page itself, and link the title to arXiv when there is no page', () => {
    expect(buildPaperView(paper({ url: 'http://arxiv.org/abs/2512.01234v3' })).links.map((l) => l.label)).toEqual(['arXiv', 'PDF']);
    expect(buildPaperView(paper({})).titleUrl).toBe('https://arxiv.org/abs/2512.01234');
  });

  it('are none but code without an arXiv id; the title then links a search, which the text part prints', () => {
    const v = buildPaperView(paper({ id: 'a-paper', codeUrl: 'javascript:alert(1)' }));
    expect(v.links).toEqual([]);
    expect(v.findUrl).toBe('https://huggingface.co/papers?q=A%20paper');
    expect(v.titleUrl).toBe(v.findUrl);
  });
});
