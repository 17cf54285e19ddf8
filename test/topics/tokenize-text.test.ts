import { describe, expect, it } from 'vitest';
import { isStopWord } from '../../src/topics/is-stop-word.js';
import { tokenizeText, type Token } from '../../src/topics/tokenize-text.js';

const stems = (segments: Token[][]) => segments.map((s) => s.map((t) => t.stem));
const content = (text: string) => tokenizeText(text).flat().filter((t) => t.stop === null).map((t) => t.stem);

describe('tokenizeText', () => {
  it('gives inflections of a word one stem, so "distillation" and "distilling" count as one term', () => {
    expect(content('distillation distilling distilled')).toEqual(['distil', 'distil', 'distil']);
    expect(content('agents agent')).toEqual(['agent', 'agent']);
  });

  it('keeps acronyms unstemmed and folds their plural ("LLMs" → "llm", "KV" → "kv")', () => {
    const tokens = tokenizeText('LLMs and GNNs with KV caches').flat();
    expect(tokens.map((t) => t.stem)).toEqual(['llm', 'and', 'gnn', 'with', 'kv', 'cach']);
    expect(tokens.map((t) => t.surface)).toEqual(['LLMs', 'and', 'GNNs', 'with', 'KV', 'caches']);
  });

  it('ends a segment at punctuation, so no phrase spans a comma, bracket or sentence end', () => {
    expect(stems(tokenizeText('KV cache, quantization (KIVI). Next sentence'))).toEqual([
      ['kv', 'cach'],
      ['quantiz'],
      ['kivi'],
      ['next', 'sentenc'],
    ]);
  });

  it('splits hyphenated words but remembers the hyphen for the label ("KV-Cache")', () => {
    const [segment] = tokenizeText('KV-Cache Compression');
    expect(segment!.map((t) => [t.surface, t.hyphenBefore])).toEqual([
      ['KV', false],
      ['Cache', true],
      ['Compression', false],
    ]);
  });

  it('drops URLs and "code is available at" sentences, which say nothing about the topic', () => {
    const words = tokenizeText('We study pruning. Our code is publicly available at https://github.com/a/b. See www.example.org/x')
      .flat()
      .map((t) => t.stem);
    expect(words).not.toContain('github');
    expect(words).not.toContain('code');
    expect(words).not.toContain('exampl');
    expect(words).toContain('prune');
  });

  it('reads TeX accents as the letter ("Schr\\"odinger" is one word)', () => {
    expect(tokenizeText('Schr\\"odinger bridges').flat().map((t) => t.surface)).toEqual(['Schrodinger', 'bridges']);
  });

  it('marks numbers and model-size tags as phrase-breaking stop words but keeps 2D/3D', () => {
    const tokens = tokenizeText('Qwen2 7B on 3D scenes 2024').flat();
    expect(tokens.map((t) => [t.surface, t.stop])).toEqual([
      ['Qwen2', 'english'],
      ['7B', 'english'],
      ['on', 'english'],
      ['3D', null],
      ['scenes', null],
      ['2024', 'english'],
    ]);
  });

  it('returns nothing for text without words', () => {
    expect(tokenizeText('')).toEqual([]);
    expect(tokenizeText(' ... !!! ')).toEqual([]);
  });
});

describe('isStopWord', () => {
  it('tells English stop words, generic ML words and content words apart', () => {
    expect(isStopWord('the')).toBe('english');
    expect(isStopWord('which')).toBe('english');
    expect(isStopWord('model')).toBe('generic');
    expect(isStopWord('proposed')).toBe('generic');
    expect(isStopWord('results')).toBe('generic');
    expect(isStopWord('performance')).toBe('generic');
    expect(isStopWord('distillation')).toBe(null);
    expect(isStopWord('learning')).toBe(null);
    expect(isStopWord('generalization')).toBe(null);
  });
});
