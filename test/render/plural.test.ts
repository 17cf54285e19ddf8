/**
 * One pluralisation rule for every count paperpost prints, and no "1 papers", "1 themes" or
 * "(s)" anywhere in the code that prints counts to readers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural, pluralWord } from '../../src/plural.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });

describe('plural', () => {
  it('takes the singular for exactly 1 and the plural otherwise', () => {
    expect([0, 1, 2, 12].map((n) => plural(n, 'paper'))).toEqual(['0 papers', '1 paper', '2 papers', '12 papers']);
    expect(plural(1, 'theme')).toBe('1 theme');
    expect(plural(3, 'child', 'children')).toBe('3 children');
    expect(plural(1204, 'paper')).toBe('1,204 papers');
    expect(plural(Number.NaN, 'paper')).toBe('0 papers');
    expect(pluralWord(1, 'is', 'are')).toBe('is');
    expect(pluralWord(39, 'is', 'are')).toBe('are');
  });

  it('is the only rule: no hand-made plurals in the templates, the render stage, the archive, the feeds or digest/themes', () => {
    const checked = [
      ...files(path.join(ROOT, 'templates')),
      ...files(path.join(ROOT, 'src/render')),
      // The reader-facing web pages and feeds (the forms and admin pages have changes of their own under way).
      ...['render-issue-page.ts', 'render-issue-content.ts', 'render-status-page.ts', 'render-layout.ts'].map((f) => path.join(ROOT, 'src/web/views', f)),
      path.join(ROOT, 'src/web/routes/mount-archive-routes.ts'),
      ...['digest.ts', 'themes.ts'].map((f) => path.join(ROOT, 'src/cli/commands', f)),
    ];
    for (const file of checked.filter((f) => /\.(ts|hbs)$/.test(f) && !f.endsWith('plural.ts'))) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/=== 1 \? '|\b(?:paper|theme|section|topic|subscriber|issue|message|author|upvote|minute)\(s\)|\b1 papers\b|} papers in \$|} themes<|plural themeCount "theme"/);
    }
  });
});
