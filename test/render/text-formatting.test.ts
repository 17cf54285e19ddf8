import { describe, expect, it } from 'vitest';
import { paperSearchUrl } from '../../src/render/build-paper-view.js';
import { cleanSubject } from '../../src/render/clean-subject.js';
import { cleanText } from '../../src/render/clean-text.js';
import { formatAuthors } from '../../src/render/format-authors.js';
import { formatDate } from '../../src/render/format-date.js';
import { makeTldr } from '../../src/render/make-tldr.js';
import { splitSentences } from '../../src/render/split-sentences.js';
import { toSafeUrl } from '../../src/to-safe-url.js';
import { truncateWords } from '../../src/render/truncate-words.js';

describe('splitSentences', () => {
  it('does not split after e.g., i.e., et al., Fig. or inside decimals', () => {
    const text =
      'Data matters for general models (e.g. GPT-3) and i.e. Codex. Smith et al. Show that r=0.89 holds. ' +
      'See Fig. 2 for details! Does it scale? Yes. J. Smith agrees.';
    expect(splitSentences(text)).toEqual([
      'Data matters for general models (e.g. GPT-3) and i.e. Codex.',
      'Smith et al. Show that r=0.89 holds.',
      'See Fig. 2 for details!',
      'Does it scale?',
      'Yes.',
      'J. Smith agrees.',
    ]);
  });

  it('needs a capital, digit or quote after the stop, so "approx. three" stays together', () => {
    expect(splitSentences('It costs approx. three times less. "Quoted" next.')).toEqual(['It costs approx. three times less.', '"Quoted" next.']);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(splitSentences('We call it "DTS." Then it works.')).toEqual(['We call it "DTS."', 'Then it works.']);
  });
});

describe('makeTldr', () => {
  it("prefers the source's summary", () => {
    expect(makeTldr({ summary: 'A short TL;DR.', abstract: 'Long abstract. More.' })).toBe('A short TL;DR.');
  });

  it("uses the abstract's first sentence, adding the second when both are short", () => {
    expect(makeTldr({ summary: null, abstract: 'First one is short. Second is short too. Third never.' })).toBe(
      'First one is short. Second is short too.',
    );
    const longFirst = `We study ${'very '.repeat(45)}long things. Second sentence.`;
    expect(makeTldr({ summary: null, abstract: longFirst })).toBe(`We study ${'very '.repeat(45)}long things.`);
  });

  it('cuts an over-long single sentence at a word boundary with an ellipsis', () => {
    const tldr = makeTldr({ summary: null, abstract: `${'word '.repeat(200)}end.` }, 100);
    expect(tldr.length).toBeLessThanOrEqual(100);
    expect(tldr).toMatch(/^word( word)*…$/);
  });

  it('is empty when there is neither summary nor abstract', () => {
    expect(makeTldr({ summary: '  ', abstract: '' })).toBe('');
  });
});

describe('truncateWords', () => {
  it('leaves short text alone and cuts long text at the last space', () => {
    expect(truncateWords('short', 10)).toBe('short');
    expect(truncateWords('one two three four', 12)).toBe('one two…');
  });

  it('cuts a single long word mid-word', () => {
    expect(truncateWords('A'.repeat(50), 10)).toBe(`${'A'.repeat(9)}…`);
  });

  it('never splits an emoji or a flag', () => {
    const out = truncateWords('👩🏽‍🔬'.repeat(20), 5);
    expect(out).toBe(`${'👩🏽‍🔬'.repeat(4)}…`);
  });
});

describe('formatAuthors', () => {
  it('lists up to three names and then "et al."', () => {
    expect(formatAuthors(['A'], 1)).toBe('A');
    expect(formatAuthors(['A', 'B'], 2)).toBe('A and B');
    expect(formatAuthors(['A', 'B', 'C'], null)).toBe('A, B and C');
    expect(formatAuthors(['A', 'B', 'C', 'D'], 4)).toBe('A, B, C et al.');
    expect(formatAuthors(['A', 'B'], 9)).toBe('A, B et al.');
  });

  it('falls back to a count, or nothing', () => {
    expect(formatAuthors([], 7)).toBe('7 authors');
    expect(formatAuthors([], 1)).toBe('1 author');
    expect(formatAuthors([], null)).toBe('');
  });
});

describe('formatDate', () => {
  it('formats calendar days in UTC whatever the process time zone', () => {
    expect(formatDate('2025-12-11', 'long')).toBe('Thursday, December 11, 2025');
    expect(formatDate('2025-12-11')).toBe('Dec 11, 2025');
    expect(formatDate('2025-12-11', 'short')).toBe('Dec 11');
  });

  it('returns "" for impossible or missing dates', () => {
    expect(formatDate('2025-02-30')).toBe('');
    expect(formatDate('not a date')).toBe('');
    expect(formatDate(null)).toBe('');
  });
});

describe('cleanText and cleanSubject', () => {
  it('removes controls, markers and bidi overrides but keeps emoji and RTL text', () => {
    expect(cleanText('a\r\nb\u0000c\u202Ed\uE000e  f')).toBe('a bcde f');
    expect(cleanText('نموذج 🤖 x')).toBe('نموذج 🤖 x');
  });

  it('makes a single line of at most 150 characters', () => {
    const subject = cleanSubject(`Hello\r\nBcc: x@y.z ${'word '.repeat(60)}`);
    expect(subject).not.toMatch(/[\r\n]/);
    expect([...subject].length).toBeLessThanOrEqual(150);
    expect(subject.endsWith('…')).toBe(true);
  });
});

describe('toSafeUrl', () => {
  it('keeps http(s) URLs in canonical form', () => {
    expect(toSafeUrl(' https://example.org/a b?q="x" ')).toBe('https://example.org/a%20b?q=%22x%22');
    expect(toSafeUrl('HTTP://Example.org')).toBe('http://example.org/');
  });

  it('refuses script, data and relative URLs and credentials', () => {
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:x', ' javascript:x', 'data:text/html,x', 'vbscript:x', '/relative', '//evil.example', 'http://user:pw@evil.example/', '', null]) {
      expect(toSafeUrl(bad)).toBeNull();
    }
  });
});

describe('paperSearchUrl', () => {
  it('encodes the cleaned title into a Hugging Face papers search', () => {
    expect(paperSearchUrl(' KIVI: 2bit\nKV cache & more ')).toBe('https://huggingface.co/papers?q=KIVI%3A%202bit%20KV%20cache%20%26%20more');
    expect(paperSearchUrl("It's (not) *that* hard!")).toBe('https://huggingface.co/papers?q=It%27s%20(not)%20*that*%20hard!');
  });

  it('is null for an empty title, and for one too long to make a sane URL', () => {
    expect(paperSearchUrl('')).toBeNull();
    expect(paperSearchUrl(' \u0000 ')).toBeNull();
    expect(paperSearchUrl('模'.repeat(300))).toBeNull();
  });

  it('does not throw on a lone surrogate (encodeURIComponent would)', () => {
    expect(paperSearchUrl('Broken \uD800 title')).toBe('https://huggingface.co/papers?q=Broken%20%EF%BF%BD%20title');
  });
});
