/**
 * The plain-text part numbers papers "1." to "12." and so on; every line of an item starts in
 * the same column however wide its number is (" 9." beside "12."), so items 10 and up are no
 * longer indented one column short. Golden: an issue with 12 papers in one theme.
 */
import { describe, expect, it } from 'vitest';
import { compileIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import type { ThemedDigest } from '../../src/types.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';

/** 12 papers of the sample, in one theme, in the fixture's order. */
function twelveInOneTheme(): ThemedDigest {
  const sample = loadThemedFixture('themed-2025-12-11.json');
  const papers = sample.themes.flatMap((t) => t.papers).slice(0, 12);
  return { date: '2025-12-11', source: 'test', themes: [{ id: 'twelve', label: 'Twelve Papers', keywords: [], other: false, papers }] };
}

describe('plain-text items', () => {
  it('line up at any count: the golden text of 12 papers in one theme', async () => {
    const compiled = await compileIssue(twelveInOneTheme(), { templatesDir: TEMPLATES_DIR, publicUrl: 'https://paperpost.example.org' });
    const text = personalizeIssue(compiled, makeRecipient())!.text;
    await expect(text.replace(/tok-[a-z]+/g, '<token>')).toMatchFileSnapshot('__snapshots__/twelve-papers-one-theme.txt');

    // Every item: its number right-aligned in 3 columns, then every line of it from column 5.
    const section = text.slice(text.indexOf('== Twelve Papers =='), text.indexOf('\n--\n'));
    const items = section.split('\n\n').filter((block) => /^ ?\d+\. /.test(block));
    expect(items).toHaveLength(12);
    items.forEach((item, i) => {
      const [first, ...rest] = item.split('\n').filter((line) => line !== '');
      expect(first!.slice(0, 4)).toBe(`${String(i + 1).padStart(2)}. `);
      expect(first![4]).not.toBe(' ');
      for (const line of rest) expect(line, line).toMatch(/^ {4}\S/);
    });
  });

  it('keep the one-digit layout when a theme has fewer than 10 papers', async () => {
    const digest = twelveInOneTheme();
    digest.themes[0]!.papers = digest.themes[0]!.papers.slice(0, 9);
    const compiled = await compileIssue(digest, { templatesDir: TEMPLATES_DIR, publicUrl: 'https://paperpost.example.org' });
    const text = personalizeIssue(compiled, makeRecipient())!.text;
    expect(text).toMatch(/\n1\. \S/);
    expect(text).toMatch(/\n9\. \S/);
    expect(text).not.toMatch(/\n {4}\S/);
  });
});
