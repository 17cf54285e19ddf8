import { beforeAll, describe, expect, it } from 'vitest';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { inspectHtml } from './support/inspect-html.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';
import { validateEmailHtml } from './support/validate-email-html.js';

/**
 * Golden files: fixed fixtures rendered for a fixed reader, committed under __snapshots__/.
 * The HTML is minified on one line, so the snapshot breaks it before each tag to keep diffs
 * readable. Nothing in a render varies between runs (no clock, no random ids); the only values
 * scrubbed are the placeholder tokens, so a change in how delivery makes them changes nothing.
 */
const scrub = (s: string) => s.replace(/tok-[a-z]+/g, '<token>');
const readable = (html: string) => scrub(html).replace(/></g, '>\n<');

const publicUrl = 'https://paperpost.example.org';
const stillTrending = [
  { title: 'Attention Is All You Need', url: 'https://arxiv.org/abs/1706.03762', upvotesThen: 12, upvotesNow: 30 },
  { title: 'Scaling Laws for Neural Language Models', url: null, upvotesThen: null, upvotesNow: 8 },
];

describe('golden: 39-paper sample (2025-12-11)', () => {
  let compiled: CompiledIssue;
  beforeAll(async () => {
    compiled = await compileIssue(loadThemedFixture('themed-2025-12-11.json'), {
      templatesDir: TEMPLATES_DIR,
      publicUrl,
      stillTrending,
      themeStatus: { 'kv-cache-compression': 'new today', 'knowledge-distillation': '3rd day running' },
    });
  });

  it('renders the committed HTML and text for a reader of every theme', async () => {
    const copy = personalizeIssue(compiled, makeRecipient())!;
    expect(copy.subject).toBe('Trending papers, Dec 11: 39 papers on KV Cache Compression and 5 more topics');
    await expect(readable(copy.html)).toMatchFileSnapshot('__snapshots__/sample-2025-12-11.html');
    await expect(scrub(copy.text)).toMatchFileSnapshot('__snapshots__/sample-2025-12-11.txt');
  });

  it('renders the committed copy for a reader of two themes', async () => {
    const copy = personalizeIssue(compiled, makeRecipient({ name: null, themes: ['scaling laws', 'Intrinsic Dimension'] }))!;
    expect(copy.subject).toBe('Trending papers, Dec 11: 7 papers on Intrinsic Dimension and Scaling Laws');
    await expect(scrub(copy.text)).toMatchFileSnapshot('__snapshots__/sample-2025-12-11-two-themes.txt');
  });

  it('stays under 90 KB of HTML with nothing trimmed', () => {
    expect(compiled.htmlBytes).toBeLessThan(90_000);
    expect(compiled.warnings).toEqual([]);
    expect(compiled.shownPaperCount).toBe(39);
  });

  it('passes html-validate (email config) for full and partial copies', async () => {
    expect(await validateEmailHtml(personalizeIssue(compiled, makeRecipient())!.html)).toEqual([]);
    expect(await validateEmailHtml(personalizeIssue(compiled, makeRecipient({ themes: ['Scaling Laws'] }))!.html)).toEqual([]);
  });

  it('has lang, a color-scheme meta, ordered headings, no images and no remote resources', () => {
    const html = personalizeIssue(compiled, makeRecipient())!.html;
    const doc = inspectHtml(html);
    expect(doc.attributes).toContainEqual({ tag: 'html', name: 'lang', value: 'en' });
    expect(doc.attributes).toContainEqual({ tag: 'meta', name: 'name', value: 'color-scheme' });
    expect(doc.tags).not.toContain('img');
    expect(doc.attributes.filter((a) => a.name === 'src')).toEqual([]);
    expect(html).not.toMatch(/fonts\.googleapis|@import|<link/i);
    const headings = doc.tags.filter((t) => /^h[1-6]$/.test(t));
    expect(headings[0]).toBe('h1');
    expect(headings.filter((h) => h === 'h1')).toHaveLength(1);
    headings.forEach((h, i) => i > 0 && expect(Number(h[1]) - Number(headings[i - 1]![1])).toBeLessThanOrEqual(1));
    expect(doc.textOf('h3')).toHaveLength(39);
  });

  it('links the footer to preferences, unsubscribe and the web version', () => {
    const doc = inspectHtml(personalizeIssue(compiled, makeRecipient())!.html);
    expect(doc.hrefs).toEqual(
      expect.arrayContaining([
        'https://paperpost.example.org/preferences/tok-ada',
        'https://paperpost.example.org/unsubscribe/tok-ada',
        'https://paperpost.example.org/archive/2025-12-11',
      ]),
    );
  });
});

describe('golden: Hugging Face API sample (2026-08-03)', () => {
  it('renders the committed HTML and text, with authors and code links', async () => {
    const compiled = await compileIssue(loadThemedFixture('themed-hf-api-2026-08-03.json'), { templatesDir: TEMPLATES_DIR, publicUrl });
    const copy = personalizeIssue(compiled, makeRecipient())!;
    expect(copy.subject).toBe('Trending papers, Aug 3: 3 papers on Constitutional Midtraining and more');
    expect(copy.text).toContain('Desiree Cho, Cameron Tice, Bernie Hogan et al. · Jul 29, 2026 · 3 upvotes');
    expect(copy.text).not.toContain('STILL TRENDING');
    expect(copy.html).not.toContain('Still trending');
    await expect(readable(copy.html)).toMatchFileSnapshot('__snapshots__/hf-api-2026-08-03.html');
    await expect(scrub(copy.text)).toMatchFileSnapshot('__snapshots__/hf-api-2026-08-03.txt');
    expect(await validateEmailHtml(copy.html)).toEqual([]);
  });
});
