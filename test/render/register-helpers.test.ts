import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { registerHelpers } from '../../src/render/register-helpers.js';

const env = Handlebars.create();
registerHelpers(env);
const render = (source: string, data: object = {}) => env.compile(source, { noEscape: true })(data);

describe('registerHelpers', () => {
  it('registers on the given environment only, not the global one', () => {
    expect(Object.keys(env.helpers)).toContain('plural');
    expect(Object.keys(Handlebars.helpers)).not.toContain('plural');
  });

  it('formats dates, plurals and numbers', () => {
    expect(render('{{formatDate d "long"}} | {{formatDate d}} | {{formatDate d "short"}}', { d: '2025-12-11' })).toBe(
      'Thursday, December 11, 2025 | Dec 11, 2025 | Dec 11',
    );
    expect(render('{{plural 1 "paper"}}, {{plural 3 "paper"}}, {{plural 1204 "paper"}}, {{plural 2 "child" "children"}}')).toBe(
      '1 paper, 3 papers, 1,204 papers, 2 children',
    );
    expect(render('{{pluralWord 1 "theme"}} {{pluralWord 0 "theme"}} {{formatNumber 12345}}')).toBe('theme themes 12,345');
  });

  it('truncates at a word boundary and lists top labels', () => {
    expect(render('{{truncate t 12}}', { t: 'one two three four' })).toBe('one two…');
    const themes = ['A', 'B', 'C', 'D'].map((label) => ({ label }));
    expect(render('{{topLabels themes 2}} / {{topLabels few 2}}', { themes, few: themes.slice(0, 2) })).toBe('A, B and 2 more / A, B');
  });

  it('wraps plain text with an indent', () => {
    expect(render('{{wrap t 10 "  "}}', { t: 'aaa bbb ccc ddd eee' })).toBe('aaa bbb\n  ccc ddd\n  eee');
  });

  it('answers follows from the root show map, and prints braces', () => {
    expect(render('{{#if (follows "a")}}yes{{/if}}{{#if (follows "b")}}no{{/if}}', { show: { a: true } })).toBe('yes');
    expect(render('{{lb}}{{lb}}x{{rb}}{{bs}}')).toBe('{{x}\\');
  });
});
