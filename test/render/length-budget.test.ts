/**
 * Issue #21, item 1: each reader's copy has a length budget (MAX_PAPERS). On real arXiv listing
 * days (200–300 papers in 30-odd sections, no section cap), a copy shows at most the budget,
 * the top papers of the reader's sections in the issue's order, and a "N more papers in X, on
 * the web" link to that section's anchor on the archive page, which keeps every paper. The
 * subject counts what the copy shows. A synthetic 1,000-paper day (the real papers repeated
 * with new ids) stays under Gmail's 102 KB clip too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import type { Digest, ThemedDigest } from '../../src/types.js';
import { renderIssuePage } from '../../src/web/views/render-issue-page.js';
import { makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';
import { validateEmailHtml } from './support/validate-email-html.js';

const ROOT = path.resolve(TEMPLATES_DIR, '..');
const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));
const publicUrl = 'https://paperpost.example.org';
const MAX_PAPERS = 30;
const GMAIL_CLIP = 102 * 1024;

function loadDay(file: string): Digest {
  const fixture = path.join(ROOT, 'test/fixtures/topics/arxiv-days', file);
  return parseDigest(readFileSync(fixture), { name: file }).digest;
}

/** Papers a copy shows: its paper cards (HTML) and its numbered items (text). */
const cardsIn = (html: string) => (html.match(/class="pp-paper"/g) ?? []).length;
const itemsIn = (text: string) => (text.match(/^ ?\d+\. \S/gm) ?? []).length;
const anchorsOf = (html: string) => new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));

const figures: string[] = [];
afterAll(() => {
  console.log(['day | papers | sections | all-topics copy | 2-topic copy | subject | archive papers', ...figures].join('\n'));
});

const named = (compiled: CompiledIssue) => compiled.sections.filter((s) => !s.other);

async function compileDay(themed: ThemedDigest, maxPapers = MAX_PAPERS): Promise<CompiledIssue> {
  return compileIssue(themed, { templatesDir: TEMPLATES_DIR, publicUrl, maxPapers });
}

describe.each([
  { file: 'arxiv-2025-06-06.json', papers: 302 },
  { file: 'arxiv-2026-06-24.json', papers: 256 },
  { file: 'arxiv-2026-02-16.json', papers: 204 },
])('a real arXiv day: $file ($papers papers)', ({ file, papers }) => {
  const digest = loadDay(file);
  const themed = assignTopics(digest, { map });
  let compiled: CompiledIssue;

  it('has the papers and the sections of an uncapped day', async () => {
    expect(digest.papers).toHaveLength(papers);
    expect(themed.themes.length).toBeGreaterThan(20);
    compiled = await compileDay(themed);
    expect(compiled.paperCount).toBe(papers);
    expect(compiled.warnings).toEqual([]);
  });

  it('gives a reader of every topic at most MAX_PAPERS papers, every section, under 102 KB, and a subject that counts them', () => {
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const bytes = Buffer.byteLength(copy.html);
    expect(cardsIn(copy.html)).toBe(MAX_PAPERS);
    expect(itemsIn(copy.text)).toBe(MAX_PAPERS);
    expect(bytes).toBeLessThan(GMAIL_CLIP);
    expect(compiled.shownPaperCount).toBe(MAX_PAPERS);
    expect(copy.subject).toMatch(/: 30 papers on /);
    expect(copy.subject).not.toContain(String(papers));
    expect(copy.preheader).toMatch(/^30 papers in \d+ sections/);
    // Every section is there, in the issue's order: with papers (a heading), or listed by name.
    const placed = [...copy.html.matchAll(/<(?:h2|li) id="([^"]+)"/g)].map((m) => m[1]);
    expect([...placed].sort()).toEqual(compiled.sections.map((s) => s.key).sort());
    const headings = [...copy.html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]);
    expect(headings).toEqual(compiled.sections.map((s) => s.key).filter((k) => headings.includes(k)));
    const two = named(compiled).slice(0, 2);
    const copy2 = personalizeIssue(compiled, makeRecipient({ themes: [two[1]!.id, two[0]!.id] }))!;
    figures.push(
      `${file.slice(6, 16)} | ${papers} | ${compiled.sections.length} | ${cardsIn(copy.html)} papers, ${(bytes / 1024).toFixed(1)} KB | ` +
        `${cardsIn(copy2.html)} papers, ${(Buffer.byteLength(copy2.html) / 1024).toFixed(1)} KB | ${copy.subject} | ` +
        `${(renderIssuePage(compiled, publicUrl).toString().match(/<li class="paper"/g) ?? []).length}`,
    );
  });

  it('passes html-validate (email config) for the copy of every topic and of two', async () => {
    const [a, b] = named(compiled);
    expect(await validateEmailHtml(personalizeIssue(compiled, makeRecipient())!.html)).toEqual([]);
    expect(await validateEmailHtml(personalizeIssue(compiled, makeRecipient({ themes: [a!.id, b!.id] }))!.html)).toEqual([]);
  });

  it('links every section it shortens to that section on the archive page, which lists every paper', () => {
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const page = renderIssuePage(compiled, publicUrl).toString();
    expect((page.match(/<li class="paper"/g) ?? []).length).toBe(papers);
    const anchors = anchorsOf(page);
    const web = compiled.webUrl.replace(/[.]/g, '\\.');
    const more = [...copy.html.matchAll(new RegExp(`<a href="${web}#([^"]+)"[^>]*>(\\d+) more papers? in ([^<]+), on the web</a>`, 'g'))];
    const listed = [...copy.html.matchAll(new RegExp(`<li id="([^"]+)"[^>]*><a href="${web}#([^"]+)"`, 'g'))];
    expect(more.length).toBeGreaterThan(3);
    expect(listed.length).toBeGreaterThan(3);
    let shown = 0;
    for (const section of compiled.sections) {
      expect(anchors.has(section.key), section.key).toBe(true);
      const link = more.find((m) => m[1] === section.key);
      const list = listed.find((m) => m[1] === section.key);
      expect(link && list, section.key).toBeFalsy();
      if (list) expect(list[2]).toBe(section.key);
      else shown += section.paperCount - (link ? Number(link[2]) : 0);
    }
    expect(shown).toBe(MAX_PAPERS);
    const links = more;
    // The text part likewise.
    const textLinks = [...copy.text.matchAll(/^(\d+) more papers? in .+, on the web:\n(\S+)$/gm)];
    expect(textLinks.map((m) => m[2])).toEqual(links.map((m) => `${compiled.webUrl}#${m[1]}`));
    const textListed = [...copy.text.matchAll(/^- .+ \(\d+ papers?\): (\S+)$/gm)].map((m) => m[1]);
    expect(textListed).toEqual(listed.map((m) => `${compiled.webUrl}#${m[1]}`));
  });

  it("gives a reader of 2 topics those 2 sections' best papers, in order, with links for the rest", () => {
    const [a, b] = named(compiled);
    const copy = personalizeIssue(compiled, makeRecipient({ themes: [b!.id, a!.id] }))!;
    const want = Math.min(MAX_PAPERS, a!.paperCount + b!.paperCount);
    expect(cardsIn(copy.html)).toBe(want);
    expect(copy.subject).toMatch(new RegExp(`: ${want} papers? on `));
    const titles = [...copy.html.matchAll(/<h3 dir="auto"[^>]*>(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]);
    const themeA = themed.themes.find((t) => t.id === a!.id)!;
    const themeB = themed.themes.find((t) => t.id === b!.id)!;
    // Each section's top papers, in reading order, the first section first.
    const shown = titles.map((t) => t!.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').slice(0, 40));
    const key = (t: string) => t.replace(/&/g, '&amp;').slice(0, 40);
    const fromA = shown.filter((t) => themeA.papers.some((p) => key(p.title) === t)).length;
    expect(fromA).toBeGreaterThan(0);
    expect(shown).toEqual([...themeA.papers.slice(0, fromA), ...themeB.papers.slice(0, want - fromA)].map((p) => key(p.title)));
    expect(Buffer.byteLength(copy.html)).toBeLessThan(GMAIL_CLIP);
  });
});

describe('a synthetic 1,000-paper day built from the real papers', () => {
  it('keeps every copy at most MAX_PAPERS papers and under 102 KB; the issue keeps all 1,000', async () => {
    const days = ['arxiv-2025-06-06.json', 'arxiv-2026-06-24.json', 'arxiv-2026-02-16.json', 'arxiv-2025-10-13.json'].map(loadDay);
    const real = days.flatMap((d) => d.papers);
    const papers = Array.from({ length: 1000 }, (_, i) => ({ ...real[i % real.length]!, id: `${real[i % real.length]!.id}-r${Math.floor(i / real.length)}` }));
    const themed = assignTopics({ ...days[0]!, papers }, { map });
    const compiled = await compileDay(themed);
    expect(compiled.paperCount).toBe(1000);
    expect(compiled.themes.flatMap((t) => t.papers)).toHaveLength(1000);
    const all = personalizeIssue(compiled, makeRecipient())!;
    expect(cardsIn(all.html)).toBe(MAX_PAPERS);
    expect(Buffer.byteLength(all.html)).toBeLessThan(GMAIL_CLIP);
    expect(compiled.htmlBytes).toBeLessThan(GMAIL_CLIP);
    // The biggest single section alone: its 30 best papers.
    const biggest = [...compiled.sections].sort((x, y) => y.paperCount - x.paperCount)[0]!;
    const one = personalizeIssue(compiled, makeRecipient({ themes: [biggest.id] }))!;
    expect(cardsIn(one.html)).toBe(Math.min(MAX_PAPERS, biggest.paperCount));
    expect(Buffer.byteLength(one.html)).toBeLessThan(GMAIL_CLIP);
    console.log(`1,000-paper day: ${compiled.sections.length} sections; all topics ${(Buffer.byteLength(all.html) / 1024).toFixed(1)} KB; "${biggest.label}" alone ${(Buffer.byteLength(one.html) / 1024).toFixed(1)} KB; ${all.subject}`);
  });
});

describe('MAX_PAPERS', () => {
  it('must be a whole number of 1 or more', async () => {
    const digest = loadDay('arxiv-2026-02-16.json');
    const themed = assignTopics(digest, { map });
    for (const bad of [0, -1, 2.5, Number.NaN]) await expect(compileDay(themed, bad), String(bad)).rejects.toThrow(/maxPapers must be a whole number of 1 or more/);
  });

  it('too big for the size limit shrinks every copy\'s budget, never drops a topic (its readers would get nothing)', async () => {
    const themed = assignTopics(loadDay('arxiv-2025-06-06.json'), { map });
    const compiled = await compileDay(themed, 60);
    expect(compiled.warnings).toHaveLength(1);
    const [, budget] = /^MAX_PAPERS 60 makes a copy of every topic \d+ bytes of HTML, over the 90000-byte limit: each copy shows at most (\d+) papers$/.exec(compiled.warnings[0]!) ?? [];
    expect(Number(budget)).toBe(compiled.maxPapers);
    expect(compiled.maxPapers).toBeGreaterThan(MAX_PAPERS);
    expect(compiled.maxPapers).toBeLessThan(60);
    expect(compiled.htmlBytes).toBeLessThanOrEqual(90_000);
    // Every topic keeps its section, and a reader of the smallest ones still gets them.
    expect(compiled.sections.map((s) => s.id)).toEqual(themed.themes.filter((t) => t.papers.length > 0).map((t) => t.id));
    const smallest = [...named(compiled)].sort((x, y) => x.paperCount - y.paperCount).slice(0, 2);
    const copy = personalizeIssue(compiled, makeRecipient({ themes: smallest.map((s) => s.id) }))!;
    expect(copy).not.toBeNull();
    expect(cardsIn(copy.html)).toBe(smallest[0]!.paperCount + smallest[1]!.paperCount);
    const all = personalizeIssue(compiled, makeRecipient())!;
    expect(cardsIn(all.html)).toBe(compiled.maxPapers);
    expect(Buffer.byteLength(all.html)).toBeLessThanOrEqual(90_000);
  });

  it('of 1 shows the first section\'s top paper and links every section', async () => {
    const themed = assignTopics(loadDay('arxiv-2026-02-16.json'), { map });
    const compiled = await compileDay(themed, 1);
    const copy = personalizeIssue(compiled, makeRecipient())!;
    expect(cardsIn(copy.html)).toBe(1);
    expect(copy.subject).toMatch(/: 1 paper on /);
    expect(copy.html).toContain(`#${compiled.sections[0]!.key}`);
  });
});
