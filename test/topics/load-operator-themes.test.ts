import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadOperatorThemes } from '../../src/topics/load-operator-themes.js';
import { ROOT } from './helpers/digests.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperpost-themes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const f = path.join(dir, `themes-${++n}.yml`);
  writeFileSync(f, text);
  return f;
}

/** The problems of the ConfigError loading `text` raises. */
function problems(text: string): string[] {
  const f = file(text);
  try {
    loadOperatorThemes(f);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).hint).toContain('themes.example.yml');
    return (error as ConfigError).problems.map((p) => p.replace(f, 'FILE'));
  }
  throw new Error('expected a ConfigError');
}

describe('loadOperatorThemes', () => {
  it('returns [] when the file does not exist, is empty, or holds only comments', () => {
    expect(loadOperatorThemes(path.join(dir, 'missing.yml'))).toEqual([]);
    expect(loadOperatorThemes(file(''))).toEqual([]);
    expect(loadOperatorThemes(file('# nothing yet\n'))).toEqual([]);
    expect(loadOperatorThemes(file('themes:\n'))).toEqual([]);
  });

  it('reads labels, keywords and phrases in file order', () => {
    const f = file('themes:\n  - label: "  KV Cache   Compression "\n    phrases: [kv cache, key-value cache]\n  - label: LLM Agents\n    keywords:\n      - agent\n      - GUI\n');
    expect(loadOperatorThemes(f)).toEqual([
      { label: 'KV Cache Compression', keywords: [], phrases: ['kv cache', 'key-value cache'] },
      { label: 'LLM Agents', keywords: ['agent', 'GUI'], phrases: [] },
    ]);
  });

  it('parses the commented example shipped in content/', () => {
    const themes = loadOperatorThemes(path.join(ROOT, 'content/themes.example.yml'));
    expect(themes.length).toBeGreaterThan(0);
    for (const t of themes) expect(t.keywords.length + t.phrases.length).toBeGreaterThan(0);
  });

  it('reports bad YAML with file and line', () => {
    expect(problems('themes:\n  - label: x\n    keywords: [a, b\n')).toEqual([expect.stringMatching(/^FILE:\d+: invalid YAML: /)]);
    const [duplicate] = problems('themes:\n  - label: A\n    label: B\n    keywords: [a]\n');
    expect(duplicate).toMatch(/^FILE:3: invalid YAML: .*unique/i);
  });

  it('reports every shape problem at once, each with its line', () => {
    const text = [
      'themes:', //                     1
      '  - label: ""', //               2 empty label
      '    keywords: [agent]', //       3
      '  - keywords: [robot]', //       4 no label
      '  - label: Diffusion', //        5
      '    keyword: [diffusion]', //    6 unknown key
      '  - label: Diffusion', //        7 duplicate label, no terms
      '    keywords: [kv cache]', //    8 multi-word keyword
      '    phrases: []', //             9 empty list
      '  - label: More trending papers', // 10 reserved
      '    phrases: ["the"]', //         11 stop word only
      '  - just a string', //            12
    ].join('\n');
    expect(problems(text)).toEqual([
      'FILE:2: label is empty',
      'FILE:4: theme has no label',
      'FILE:6: unknown key "keyword" (expected label, keywords or phrases)',
      'FILE:5: theme "Diffusion" has neither keywords nor phrases, so no paper could match it',
      'FILE:7: label "Diffusion" is already used on line 5',
      'FILE:8: keyword "kv cache" has several words; list it under phrases',
      'FILE:9: phrases is an empty list; remove it or add entries',
      'FILE:10: "More trending papers" is the catch-all\'s label; choose another',
      'FILE:11: "the" in phrases is too common a word to tell papers apart',
      'FILE:12: a theme must be a mapping with label, keywords and phrases',
    ]);
  });

  it('reports a wrong top level', () => {
    expect(problems('- label: A\n  keywords: [a]\n')).toEqual(['FILE:1: expected "themes:" followed by a list of themes']);
    expect(problems('themes:\n  label: A\n')).toEqual(['FILE:2: "themes" must be a list of themes, each starting with "- label:"']);
    expect(problems('theme:\n  - label: A\n')).toEqual(['FILE:1: unknown key "theme" (the file holds one key, "themes")']);
    expect(problems('themes:\n  - label: 2024\n    keywords: [agent]\n')).toEqual(['FILE:2: label must be text (put it in quotes)']);
  });

  it('reports an unreadable file (a directory) as a ConfigError', () => {
    const d = path.join(dir, 'is-a-dir.yml');
    mkdirSync(d);
    expect(() => loadOperatorThemes(d)).toThrow(ConfigError);
    expect(() => loadOperatorThemes(d)).toThrow(/cannot read the themes file \(EISDIR\)/);
  });

  it('names files inside the working directory by their relative path', () => {
    const local = path.join(ROOT, 'test/fixtures/themes/malformed-themes.yml');
    expect(readFileSync(local, 'utf8')).toContain('label');
    const cwd = process.cwd();
    try {
      process.chdir(ROOT);
      expect(() => loadOperatorThemes(local)).toThrow(/^test\/fixtures\/themes\/malformed-themes\.yml:\d+: /);
    } finally {
      process.chdir(cwd);
    }
  });
});
