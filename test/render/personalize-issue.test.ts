import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { inspectHtml } from './support/inspect-html.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';

let compiled: CompiledIssue;
beforeAll(async () => {
  compiled = await compileIssue(loadThemedFixture('themed-2025-12-11.json'), { templatesDir: TEMPLATES_DIR, publicUrl: 'https://paperpost.example.org' });
});

const sectionIds = (html: string) => inspectHtml(html).ids;
const tocEntries = (html: string) => inspectHtml(html).hrefs.filter((h) => h.startsWith('#'));

describe('personalizeIssue', () => {
  it('gives a reader of every theme the whole issue', () => {
    const copy = personalizeIssue(compiled, makeRecipient())!;
    expect(copy.subject).toBe(compiled.subject);
    expect(copy.preheader).toBe('39 papers in 7 sections. First up: xKV: Cross-Layer SVD for KV-Cache Compression');
    expect(sectionIds(copy.html)).toEqual(compiled.sections.map((s) => s.key));
    expect(tocEntries(copy.html)).toEqual(compiled.sections.map((s) => `#${s.key}`));
    expect(copy.text).toContain('Hi Ada, here are 39 trending papers in 7 sections.');
  });

  it('gives a reader of some themes only those sections, with contents, subject and counts to match', () => {
    const copy = personalizeIssue(compiled, makeRecipient({ themes: ['  knowledge DISTILLATION ', 'More trending papers', 'Not In This Issue'] }))!;
    expect(sectionIds(copy.html)).toEqual(['knowledge-distillation', 'more-trending-papers']);
    expect(tocEntries(copy.html)).toEqual(['#knowledge-distillation', '#more-trending-papers']);
    expect(inspectHtml(copy.html).textOf('h3')).toHaveLength(5 + 14);
    // The catch-all theme is not a "top theme" worth naming in a subject, but it has papers.
    expect(copy.subject).toBe('Trending papers, Dec 11: 19 papers on Knowledge Distillation and more');
    expect(copy.preheader).toBe('19 papers in 2 sections. First up: DDK: Distilling Domain Knowledge for Efficient Large Language Models');
    expect(inspectHtml(copy.html).textOf('title')).toEqual([copy.subject]);
    expect(copy.text).toContain('Hi Ada, here are 19 trending papers in your topics.');
    expect(copy.text).toContain('for these topics: Knowledge Distillation, More trending papers.');
    expect(copy.text).not.toContain('== KV Cache Compression ==');
    expect(copy.text).not.toContain('- KV Cache Compression (');
  });

  it('keeps subjects apart for different theme sets, and equal for the same set in any order', () => {
    const a = personalizeIssue(compiled, makeRecipient({ themes: ['Scaling Laws', 'Intrinsic Dimension'] }))!;
    const b = personalizeIssue(compiled, makeRecipient({ themes: ['intrinsic dimension', 'scaling laws'] }))!;
    const c = personalizeIssue(compiled, makeRecipient({ themes: ['Generalization Theory'] }))!;
    expect(a.subject).toBe('Trending papers, Dec 11: 7 papers on Intrinsic Dimension and Scaling Laws');
    expect(b).toEqual(a);
    expect(c.subject).toBe('Trending papers, Dec 11: 4 papers on Generalization Theory');
    expect(sectionIds(c.html)).toEqual(['generalization-theory']);
  });

  it('returns null when none of the reader themes is in the issue', () => {
    expect(personalizeIssue(compiled, makeRecipient({ themes: ['Quantum Gravity'] }))).toBeNull();
    expect(personalizeIssue(compiled, makeRecipient({ themes: [] }))).toBeNull();
  });

  it('gives a reader whose topics are not in the issue their picks alone (picks come from every paper of the day)', () => {
    const ids = compiled.cards!.map((c) => c.id);
    const plan = { picks: [ids[5]!, ids[12]!].map((paperId, i) => ({ paperId, score: 2 - i, reason: 'you follow "distillation"' })), scores: null };
    const copy = personalizeIssue(compiled, makeRecipient({ themes: ['Quantum Gravity'], plan }))!;
    expect(copy).not.toBeNull();
    expect((copy.html.match(/class="pp-paper"/g) ?? []).length).toBe(2);
    const titleOf = (id: string) => compiled.themes.flatMap((t) => t.papers).find((p) => p.id === id)!.title;
    expect(inspectHtml(copy.html).textOf('h3').map((t) => t.trim())).toEqual([titleOf(ids[5]!), titleOf(ids[12]!)]);
    expect(copy.text).toContain('Hi Ada, here are 2 trending papers, picked for you.');
    expect(copy.text).not.toMatch(/ in 0 sections| in your topics/);
    expect(copy.subject).toMatch(/: 2 new papers$/);
  });

  it('names in the subject only sections the copy shows a paper of (picks that take the whole budget name none)', async () => {
    const budgeted = await compileIssue(loadThemedFixture('themed-2025-12-11.json'), { templatesDir: TEMPLATES_DIR, publicUrl: 'https://paperpost.example.org', maxPapers: 2 });
    const ids = budgeted.cards!.map((c) => c.id);
    const plan = { picks: [ids[5]!, ids[12]!].map((paperId, i) => ({ paperId, score: 2 - i, reason: 'you follow "distillation"' })), scores: null };
    const copy = personalizeIssue(budgeted, makeRecipient({ plan }))!;
    expect((copy.html.match(/class="pp-paper"/g) ?? []).length).toBe(2);
    expect(copy.subject).toMatch(/: 2 new papers$/);
    expect(copy.text).toContain('here are 2 trending papers, picked for you.');
    // Without picks, the same budget shows the top two sections' first papers, and names them.
    const plain = personalizeIssue(budgeted, makeRecipient())!;
    expect(plain.subject).toMatch(/: 2 papers on /);
  });

  it('greets by name when there is one, escaped in HTML and on one line', () => {
    const named = personalizeIssue(compiled, makeRecipient({ name: '<b>Ada</b> "Countess"\r\nBcc: x@y.z' }))!;
    expect(inspectHtml(named.html).tags).not.toContain('b');
    expect(inspectHtml(named.html).textOf('p')).toContain('Hi <b>Ada</b> "Countess" Bcc: x@y.z, here are 39 trending papers in 7 sections.');
    expect(named.text).toContain('Hi <b>Ada</b> "Countess" Bcc: x@y.z, here are 39 trending papers in 7 sections.\n');
    const anonymous = personalizeIssue(compiled, makeRecipient({ name: '  ' }))!;
    expect(anonymous.text).toContain('\nHere are 39 trending papers in 7 sections.\n');
  });

  it('puts the reader links in the footer of both parts, encoded', () => {
    const copy = personalizeIssue(compiled, makeRecipient({ unsubscribeUrl: 'https://x.example/u?t="a b"&s=1', email: 'ada+news@example.org' }))!;
    expect(inspectHtml(copy.html).hrefs).toContain('https://x.example/u?t=%22a%20b%22&s=1');
    expect(copy.text).toContain('Unsubscribe: https://x.example/u?t=%22a%20b%22&s=1\n');
    expect(copy.text).toContain('because ada+news@example.org subscribed');
  });

  it('refuses reader links that are not http(s)', () => {
    expect(() => personalizeIssue(compiled, makeRecipient({ unsubscribeUrl: 'javascript:alert(1)' }))).toThrow(InputError);
    expect(() => personalizeIssue(compiled, makeRecipient({ preferencesUrl: '/preferences' }))).toThrow(/preferencesUrl must be an absolute http\(s\) URL/);
  });

  it('falls back to the stored subject when an issue has no subject template', () => {
    const { subjectTemplate: _s, preheaderTemplate: _p, ...bare } = compiled;
    const copy = personalizeIssue(bare, makeRecipient({ themes: ['Scaling Laws'] }))!;
    expect(copy.subject).toBe(compiled.subject);
    expect(sectionIds(copy.html)).toEqual(['scaling-laws']);
  });
});
