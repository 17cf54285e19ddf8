import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { deferSubscriberFields, FIELD_MARK, restoreSubscriberFields } from '../../src/render/defer-subscriber-fields.js';
import { registerHelpers } from '../../src/render/register-helpers.js';

const env = Handlebars.create();
registerHelpers(env);

/** Runs both passes the way compileIssue and personalizeIssue do (minus MJML). */
function twoPasses(template: string, value: string, mode: 'html' | 'text'): string {
  const first = env.compile(deferSubscriberFields(template), { noEscape: mode === 'text' })({ value });
  const second = env.compile(restoreSubscriberFields(first, mode), { noEscape: mode === 'text' });
  return second({ recipient: { name: 'N' }, show: { k: true } });
}

const decode = (html: string) =>
  html.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[e.toLowerCase()]!,
  );

// Paper text made of exactly the characters that can disturb Handlebars.
const nasty = fc.string({ unit: fc.constantFrom('{', '}', '\\', '~', '#', '/', '!', '>', '&', 'a', ' ', FIELD_MARK), maxLength: 24 });
const TEMPLATE = 'A\\{{recipient.name}}{{value}}\\{{#if (follows "k")}}[{{value}}]\\{{/if}}{{value}}\\{{recipient.name}}';

describe('deferSubscriberFields / restoreSubscriberFields', () => {
  it('keeps backslashed expressions for the second pass and fills the rest in the first', () => {
    expect(twoPasses('Hi \\{{recipient.name}}, {{value}}', 'x', 'text')).toBe('Hi N, x');
    expect(twoPasses('\\{{#if (follows "k")}}in\\{{/if}}\\{{#if (follows "z")}}out\\{{/if}}', '', 'html')).toBe('in');
  });

  it('leaves a literal backslash before a live first-pass expression alone', () => {
    expect(deferSubscriberFields('a\\\\{{b}} c\\{{d}}')).toBe(`a\\\\{{b}} c${FIELD_MARK}d}}`);
  });

  it('prints any paper text literally in the text part, never as Handlebars', () => {
    fc.assert(
      fc.property(nasty, (raw) => {
        // cleanText removes the marker from paper text before the first pass.
        const value = raw.replace(/\uE000/g, '');
        expect(twoPasses(TEMPLATE, value, 'text')).toBe(`AN${value}[${value}]${value}N`);
      }),
      { numRuns: 500 },
    );
  });

  it('prints any paper text literally (escaped) in the HTML part, never as Handlebars', () => {
    fc.assert(
      fc.property(nasty, (raw) => {
        const value = raw.replace(/\uE000/g, '');
        expect(decode(twoPasses(TEMPLATE, value, 'html'))).toBe(`AN${value}[${value}]${value}N`);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves CSS braces in HTML alone', () => {
    const html = '<style>.a { color: red } @media (x) { .b { c: d } }</style>';
    expect(restoreSubscriberFields(html, 'html')).toBe(html);
  });
});
