import { describe, expect, it } from 'vitest';
import { extractPhrases, phraseLength } from '../../src/topics/extract-phrases.js';
import { tokenizeText } from '../../src/topics/tokenize-text.js';

const surfaces = (text: string, max = 3) => extractPhrases(tokenizeText(text), max).map((p) => p.surface);

describe('extractPhrases', () => {
  it('gives the unigrams, bigrams and trigrams of a run of content words', () => {
    expect(surfaces('KV cache compression')).toEqual([
      'KV',
      'KV cache',
      'KV cache compression',
      'cache',
      'cache compression',
      'compression',
    ]);
  });

  it('never lets a phrase span an English stop word or punctuation', () => {
    expect(surfaces('cache of the layers, compression')).toEqual(['cache', 'layers', 'compression']);
  });

  it('lets generic ML words end a phrase only as a head noun, and never start one', () => {
    const found = surfaces('diffusion models proposed method');
    expect(found).toContain('diffusion models');
    expect(found).not.toContain('proposed method');
    expect(found).not.toContain('models');
    expect(found).not.toContain('method');
  });

  it('keeps hyphenated "of"/"to" compounds whole and counts them by their content words', () => {
    const phrases = extractPhrases(tokenizeText('Sparse Mixture-of-Experts layers'), 3);
    const moe = phrases.find((p) => p.surface === 'Mixture-of-Experts');
    expect(moe).toEqual({ key: 'mixtur of expert', surface: 'Mixture-of-Experts', length: 2, segment: 0, end: 3 });
    expect(phrases.map((p) => p.surface)).toContain('Sparse Mixture-of-Experts');
    expect(phraseLength('mixtur of expert')).toBe(2);
    // Written with spaces, "of" is an ordinary stop word and breaks the phrase.
    expect(surfaces('mixture of experts')).toEqual(['mixture', 'experts']);
  });

  it('respects maxLength', () => {
    expect(extractPhrases(tokenizeText('KV cache compression rate'), 2).every((p) => p.length <= 2)).toBe(true);
  });
});
