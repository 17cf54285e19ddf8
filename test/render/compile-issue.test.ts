import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, TemplateError } from '../../src/errors.js';
import { compileIssue } from '../../src/render/compile-issue.js';
import { loadTemplates } from '../../src/render/load-templates.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import type { Paper, ThemedDigest } from '../../src/types.js';
import { inspectHtml } from './support/inspect-html.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';

const publicUrl = 'https://paperpost.example.org/';
const small = () => loadThemedFixture('themed-hf-api-2026-08-03.json');

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paperpost-templates-'));
  await fs.cp(TEMPLATES_DIR, dir, { recursive: true });
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function edit(file: string, from: string | RegExp, to: string) {
  const full = path.join(dir, file);
  const source = await fs.readFile(full, 'utf8');
  const changed = source.replace(from, to);
  expect(changed).not.toBe(source);
  await fs.writeFile(full, changed);
}

async function templateError(promise: Promise<unknown>): Promise<TemplateError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('compileIssue', () => {
  it('leaves only per-subscriber expressions, intact through MJML', async () => {
    const compiled = await compileIssue(small(), { templatesDir: dir, publicUrl });
    const expressions = compiled.htmlTemplate.match(/\{\{[^}]*\}\}/g) ?? [];
    for (const key of ['constitutional-midtraining', 'agent-knowledge-layers', 'more-trending-papers']) {
      // One conditional around the section, one around its table-of-contents entry.
      expect(expressions.filter((e) => e === `{{#if (follows "${key}")}}`)).toHaveLength(2);
    }
    expect(expressions).toEqual(expect.arrayContaining(['{{subject}}', '{{preheader}}', '{{recipient.unsubscribeUrl}}', '{{recipient.preferencesUrl}}', '{{recipient.name}}']));
    expect(new Set(expressions.map((e) => e.replace(/"[^"]*"/, '"…"')))).toEqual(
      new Set(['{{subject}}', '{{preheader}}', '{{#if recipient.name}}', '{{recipient.name}}', '{{else}}', '{{/if}}', '{{pluralWord paperCount "…" "are"}}', '{{plural paperCount "…"}}', '{{#if followedLabels}}', '{{pluralWord themeCount "…"}}', '{{plural themeCount "…"}}', '{{#if (follows "…")}}', '{{recipient.email}}', '{{followedLabels}}', '{{recipient.preferencesUrl}}', '{{recipient.unsubscribeUrl}}',
        // Issue #21: the length budget is applied per copy (which papers, "N more", sections listed by name).
        '{{#if (shows "…")}}', '{{~#if (moreIn "…")}}', '{{plural (moreIn "…") "more paper"}}', '{{/if~}}',
        '{{#if listedCount}}', '{{#if (listed "…")}}', '{{plural (moreIn "…") "paper"}}',
        // Issue #20: each section's papers are cards placed in the reader's order (no longer one
        // conditional per paper), and "Picked for you" at the top.
        '{{#cards "…"}}', '{{#unless @first}}', '{{/unless}}', '{{card}}', '{{/cards}}', '{{#if pickCount}}', '{{plural pickCount "…"}}', '{{#picks}}', '{{/picks}}',
        // A copy of picks alone (none of the reader's topics today) names no sections.
        '{{#if themeCount}}']),
    );
    expect(compiled.htmlTemplate).not.toContain('\uE000');
    expect(compiled.textTemplate).toContain('{{recipient.unsubscribeUrl}}');
    expect(compiled.webUrl).toBe('https://paperpost.example.org/archive/2026-08-03');
  });

  it('returns plain JSON data that personalises the same after a round trip (a resend)', async () => {
    const compiled = await compileIssue(small(), { templatesDir: dir, publicUrl });
    const stored = JSON.parse(JSON.stringify(compiled)) as typeof compiled;
    expect(stored).toEqual(compiled);
    await fs.rm(dir, { recursive: true });
    expect(personalizeIssue(stored, makeRecipient())).toEqual(personalizeIssue(compiled, makeRecipient()));
  });

  it('re-reads the templates on every call', async () => {
    const before = await compileIssue(small(), { templatesDir: dir, publicUrl });
    await edit('partials/header.mjml.hbs', 'Trending ML papers</h1>', 'Fresh ML papers</h1>');
    await edit('subject.txt.hbs', 'Trending papers', 'Hot papers');
    const after = await compileIssue(small(), { templatesDir: dir, publicUrl });
    expect(before.htmlTemplate).toContain('Trending ML papers</h1>');
    expect(after.htmlTemplate).toContain('Fresh ML papers</h1>');
    expect(after.subject).toBe('Hot papers, Aug 3: 3 papers on Constitutional Midtraining and 1 more topic');
  });

  it('reports invalid MJML (strict validation) with the template file and line', async () => {
    await edit('partials/theme-section.mjml.hbs', '<mj-text>', '<mj-text foo="bar">');
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(error.message).toContain(`${dir}/partials/theme-section.mjml.hbs line 3 (mj-text): Attribute foo is illegal`);
  });

  it('reports a Handlebars syntax error with the template file and line', async () => {
    await edit('partials/paper-card.txt.hbs', '{{#if meta}}', '{{#if meta}');
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(error.message.startsWith(`${dir}/partials/paper-card.txt.hbs: Parse error on line 5`)).toBe(true);
  });

  it("reports a subject template's parse error whole, in one line: the file, the line, the place and what was expected", async () => {
    await fs.writeFile(path.join(dir, 'subject.txt.hbs'), 'Trending papers{{#if date}}, {{formatDate date "short"}}\n');
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(error.message).toBe(
      `${dir}/subject.txt.hbs: Parse error on line 1, after "...tDate date "short"}}", at the end: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'`,
    );
    await fs.writeFile(path.join(dir, 'subject.txt.hbs'), 'Trending papers');
    await fs.writeFile(path.join(dir, 'preheader.txt.hbs'), '{{topTitle}');
    const preheader = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(preheader.message).toMatch(new RegExp(`^${dir}/preheader\\.txt\\.hbs: Parse error on line 1, after "\\{\\{topTitle", at "\\}": Expecting .*, got 'INVALID'$`));
  });

  it('reports a misspelt field (strict mode) with the template file', async () => {
    await edit('partials/paper-card.mjml.hbs', '{{tldr}}</p>', '{{tldrr}}</p>');
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(error.message.startsWith(`${dir}/partials/paper-card.mjml.hbs: "tldrr" is neither a field of this template nor a helper (templates/README.md lists both)`)).toBe(true);
    expect(error.message).not.toContain('[object Object]');
  });

  it('reports an unclosed per-subscriber block at compile time, not at send time', async () => {
    await edit('partials/footer.mjml.hbs', /\\\{\{\/if\}\}/, '');
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(error.message).toMatch(/per-subscriber expressions .* in the HTML templates do not form a valid template/);
  });

  it('names a template by TEMPLATES_DIR as the operator gave it: relative inside the working directory, else absolute', async () => {
    // The templates above are in a temporary folder, outside the working directory: absolute.
    await fs.appendFile(path.join(dir, 'partials/footer.mjml.hbs'), '{{#if issue}}\n');
    const absolute = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(absolute.message).toContain(`${dir}/partials/footer.mjml.hbs: Parse error`);
    expect(absolute.message).not.toMatch(/(^|[^/])templates\//);
    // A copy inside the working directory: named from there, whatever the folder is called.
    const mail = path.join(dir, 'mail');
    await fs.cp(TEMPLATES_DIR, mail, { recursive: true });
    const section = path.join(mail, 'partials/theme-section.mjml.hbs');
    await fs.writeFile(section, (await fs.readFile(section, 'utf8')).replace('<mj-text>', '<mj-text foo="bar">'));
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const relative = await templateError(compileIssue(small(), { templatesDir: mail, publicUrl }));
      expect(relative.message).toContain('invalid MJML: mail/partials/theme-section.mjml.hbs line 3 (mj-text): Attribute foo is illegal');
      await fs.cp(path.join(TEMPLATES_DIR, 'partials/theme-section.mjml.hbs'), section);
      await fs.rm(path.join(mail, 'preheader.txt.hbs'));
      expect((await templateError(compileIssue(small(), { templatesDir: mail, publicUrl }))).message).toBe('template mail/preheader.txt.hbs is missing');
    } finally {
      process.chdir(cwd);
    }
    // The shipped templates, from the package's folder (the default TEMPLATES_DIR): templates/….
    process.chdir(path.dirname(TEMPLATES_DIR));
    try {
      const shipped = await loadTemplates(TEMPLATES_DIR);
      expect([shipped.html.file, shipped.htmlPartials.get('footer')!.file]).toEqual(['templates/issue.mjml.hbs', 'templates/partials/footer.mjml.hbs']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('names a missing template file', async () => {
    await fs.rm(path.join(dir, 'issue.txt.hbs'));
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl }));
    expect(error.message).toBe(`template ${path.join(dir, 'issue.txt.hbs')} is missing`);
  });

  it('refuses a publicUrl that is not http(s)', async () => {
    await expect(compileIssue(small(), { templatesDir: dir, publicUrl: 'javascript:alert(1)' })).rejects.toBeInstanceOf(ConfigError);
  });

  it('handles an undated digest, empty themes and still-trending papers with refused links', async () => {
    const digest = small();
    digest.date = null;
    digest.themes.splice(1, 0, { id: 'empty', label: 'Empty', keywords: [], other: false, papers: [] });
    const compiled = await compileIssue(digest, {
      templatesDir: dir,
      publicUrl,
      stillTrending: [{ title: 'Old but gold', url: 'javascript:alert(1)', upvotesThen: 1, upvotesNow: 1 }],
    });
    expect(compiled.id).toBe('undated');
    expect(compiled.subject).toBe('Trending papers: 3 papers on Constitutional Midtraining and 1 more topic');
    expect(compiled.sections.map((s) => s.key)).toEqual(['constitutional-midtraining', 'agent-knowledge-layers', 'more-trending-papers']);
    const copy = personalizeIssue(compiled, makeRecipient())!;
    // Its refused link is replaced by a search for its title, as for papers without a URL.
    expect(copy.text).toContain('- Old but gold (1 upvote)\n  https://huggingface.co/papers?q=Old%20but%20gold\n');
    expect(inspectHtml(copy.html).textOf('li')).toContain('Old but gold · 1 upvote');
    expect(inspectHtml(copy.html).hrefs).toContain('https://huggingface.co/papers?q=Old%20but%20gold');
    expect(copy.html).toContain('https://paperpost.example.org/archive/undated');
  });
});

describe('compileIssue size limit', () => {
  it('shows the top papers of each theme and "N more on the web" links to stay under the limit', async () => {
    const digest = loadThemedFixture('themed-2025-12-11.json');
    const compiled = await compileIssue(digest, { templatesDir: dir, publicUrl, maxHtmlBytes: 45_000 });
    expect(compiled.htmlBytes).toBeLessThanOrEqual(45_000);
    expect(compiled.shownPaperCount).toBeLessThan(39);
    expect(compiled.shownPaperCount).toBeGreaterThan(10);
    expect(compiled.paperCount).toBe(39);
    expect(compiled.warnings).toHaveLength(1);
    expect(compiled.warnings[0]).toMatch(/^HTML trimmed to fit 45000 bytes \(\d+ in full, \d+ now\): at most \d papers per theme, \d+ of 39 papers left to the web version$/);
    const cap = Math.max(...compiled.sections.map((s) => s.shownCount));
    const other = compiled.sections.find((s) => s.key === 'more-trending-papers')!;
    expect(other.shownCount).toBe(cap);
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const more = `${14 - cap} more papers in More trending papers, on the web`;
    expect(inspectHtml(copy.html).textOf('a')).toContain(more);
    expect(copy.html).toContain('href="https://paperpost.example.org/archive/2025-12-11#more-trending-papers"');
    expect(copy.text).toContain(`${more}:\nhttps://paperpost.example.org/archive/2025-12-11#more-trending-papers`);
  });

  it('keeps every paper in CompiledIssue.themes while the email shows fewer', async () => {
    const digest = loadThemedFixture('themed-2025-12-11.json');
    const compiled = await compileIssue(digest, { templatesDir: dir, publicUrl, maxHtmlBytes: 45_000 });
    expect(compiled.warnings[0]).toMatch(/^HTML trimmed/);
    // The web archive and the issue history read themes: nothing trimmed from the email is lost.
    expect(compiled.themes).toEqual(digest.themes);
    expect(compiled.themes.flatMap((t) => t.papers)).toHaveLength(39);
    expect(compiled.sections.map((s) => s.paperCount)).toEqual(digest.themes.map((t) => t.papers.length));
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const titles = inspectHtml(copy.html).textOf('h3');
    expect(titles).toHaveLength(compiled.shownPaperCount);
    expect(titles.length).toBeLessThan(39);
    expect(titles).toContain(digest.themes.at(-1)!.papers[0]!.title);
    expect(titles).not.toContain(digest.themes.at(-1)!.papers.at(-1)!.title);
    // A stored copy: changing the digest afterwards does not change the issue.
    digest.themes[0]!.papers[0]!.title = 'Changed';
    expect(compiled.themes[0]!.papers[0]!.title).not.toBe('Changed');
  });

  it('lists the last themes by name when even one paper per theme is too big', async () => {
    const paper = (t: number, p: number): Paper => ({
      id: `p${t}-${p}`,
      title: `Paper ${p} of theme ${t}`,
      abstract: 'An abstract sentence. Another one.',
      summary: null,
      authors: ['A. Author'],
      authorCount: 1,
      publishedAt: '2025-12-01',
      upvotes: 3,
      url: `https://example.org/${t}/${p}`,
      codeUrl: null,
      keywords: [],
    });
    const digest: ThemedDigest = {
      date: '2025-12-11',
      source: 'synthetic',
      themes: Array.from({ length: 8 }, (_, t) => ({ id: `theme-${t}`, label: `Theme ${t}`, keywords: [], other: false, papers: [paper(t, 1), paper(t, 2)] })),
    };
    const compiled = await compileIssue(digest, { templatesDir: dir, publicUrl, maxHtmlBytes: 16_000 });
    expect(compiled.htmlBytes).toBeLessThanOrEqual(16_000);
    expect(compiled.sections.length).toBeLessThan(8);
    expect(compiled.warnings[0]).toMatch(/topics only listed by name \(their followers get no email\)$/);
    const copy = personalizeIssue(compiled, makeRecipient())!;
    expect(copy.text).toContain('MORE THEMES ON THE WEB');
    expect(copy.text).toContain('Theme 7');
    expect(personalizeIssue(compiled, makeRecipient({ themes: ['Theme 7'] }))).toBeNull();
    // Themes only listed by name are still kept whole for the web version.
    expect(compiled.themes).toEqual(digest.themes);
  });

  it('fails with a TemplateError when nothing fits', async () => {
    const error = await templateError(compileIssue(small(), { templatesDir: dir, publicUrl, maxHtmlBytes: 3_000 }));
    expect(error.message).toMatch(/even with one theme and one paper, over the 3000-byte limit/);
  });
});

describe('papers without a URL', () => {
  const search = (title: string) => `https://huggingface.co/papers?q=${encodeURIComponent(title)}`;

  it('link the title to a Hugging Face papers search, in the HTML and the text', async () => {
    const digest = small();
    const paper = digest.themes[0]!.papers[0]!;
    // A page saved as text gives neither a link nor an arXiv id: the id is a slug of the title.
    Object.assign(paper, { url: null, id: 'constitutional-midtraining-content-presence' });
    const compiled = await compileIssue(digest, { templatesDir: dir, publicUrl });
    // The stored paper keeps its missing URL: the search link is only how the email shows it.
    expect(compiled.themes[0]!.papers[0]!.url).toBeNull();
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const doc = inspectHtml(copy.html);
    expect(doc.hrefs).toContain(search(paper.title));
    expect(doc.textOf('a')).toContain(paper.title);
    expect(copy.html).toContain(`<a href="${search(paper.title).replace('=', '&#x3D;')}" style="color:#0b57d0;text-decoration:none">${paper.title}</a></h3>`);
    expect(copy.text).toContain(`\n   Search: ${search(paper.title)}\n`);
    // Papers with a URL still link to it.
    const other = digest.themes[1]!.papers[0]!;
    expect(doc.hrefs).toContain(other.url);
    expect(doc.hrefs.filter((h) => h.startsWith('https://huggingface.co/papers?q='))).toHaveLength(1);
  });

  it('encode every character of the title, so the link is escaped and finds exactly that title', async () => {
    const digest = small();
    const title = 'Q&A: "Fast" <KV> {{recipient.email}} #1 = 50% / \\ naïve 🤖';
    Object.assign(digest.themes[0]!.papers[0]!, { url: null, title, id: 'q-a-fast-kv' });
    const compiled = await compileIssue(digest, { templatesDir: dir, publicUrl });
    const copy = personalizeIssue(compiled, makeRecipient())!;
    const href = inspectHtml(copy.html).hrefs.find((h) => h.startsWith('https://huggingface.co/papers?q='))!;
    expect(new URL(href).searchParams.get('q')).toBe(title);
    expect(href).not.toMatch(/[\s"'<>{}#&\\]|=.*=/);
    const line = copy.text.split('\n').find((l) => l.includes('huggingface.co/papers?q='))!;
    expect(line.trim()).toBe(`Search: ${href}`);
    expect(copy.text).not.toContain('ada@example.org {{');
  });

  it('stay unlinked when there is no title to search for', async () => {
    const digest = small();
    Object.assign(digest.themes[0]!.papers[0]!, { url: null, title: '  ', id: 'paper-0a1b2c3d' });
    const compiled = await compileIssue(digest, { templatesDir: dir, publicUrl });
    const copy = personalizeIssue(compiled, makeRecipient())!;
    expect(copy.html).toContain('>Untitled paper</h3>');
    expect(copy.html).not.toContain('huggingface.co/papers?q=');
    expect(copy.text).not.toContain('huggingface.co/papers?q=');
  });
});
