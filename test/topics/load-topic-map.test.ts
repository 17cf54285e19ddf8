import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { labelWords, loadTopicMap } from '../../src/topics/load-topic-map.js';
import { ROOT } from './helpers/digests.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperpost-topics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string, ext = 'yml'): string {
  const f = path.join(dir, `topics-${++n}.${ext}`);
  writeFileSync(f, text);
  return f;
}

/** The problems of the ConfigError loading `text` raises, with the file name as FILE. */
function problems(text: string): string[] {
  const f = file(text);
  try {
    loadTopicMap(f);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).hint).toContain('content/topics.yml');
    return (error as ConfigError).problems.map((p) => p.replace(f, 'FILE'));
  }
  throw new Error('expected a ConfigError');
}

const GOOD = 'topics:\n  - id: llm-agents\n    label: LLM Agents\n    description: Agents.\n    phrases: [agent, tool use]\n';

describe('loadTopicMap', () => {
  it('reads the shipped map: 25-40 topics, unique kebab-case ids, labels of at most 4 words, phrases for each', () => {
    const { topics } = loadTopicMap(path.join(ROOT, 'content/topics.yml'));
    expect(topics.length).toBeGreaterThanOrEqual(25);
    expect(topics.length).toBeLessThanOrEqual(40);
    expect(new Set(topics.map((t) => t.id)).size).toBe(topics.length);
    for (const t of topics) {
      expect(t.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(labelWords(t.label)).toBeLessThanOrEqual(4);
      expect(t.phrases.length).toBeGreaterThanOrEqual(10);
      expect(t.description).not.toBe('');
      expect(t.origin).toBe('map');
    }
  });

  it('reads a topic as written, whitespace normalized, with its position', () => {
    const f = file(GOOD);
    expect(loadTopicMap(f).topics).toEqual([
      { id: 'llm-agents', label: 'LLM Agents', description: 'Agents.', phrases: ['agent', 'tool use'], origin: 'map', position: `${f}:2` },
    ]);
  });

  it('reports bad YAML with file and line', () => {
    expect(problems('topics:\n  - id: a\n    phrases: [a, b\n')).toEqual([expect.stringMatching(/^FILE:\d+: invalid YAML: /)]);
    expect(problems('topics:\n  - id: a\n    id: b\n')[0]).toMatch(/^FILE:3: invalid YAML: .*unique/i);
  });

  it('reports every problem of every topic at once, each with its line', () => {
    const text = [
      'topics:', //                                   1
      '  - label: No Id', //                          2 no id
      '    description: x', //                        3
      '    phrases: [agent]', //                      4
      '  - id: Bad_Id', //                            5 not kebab-case
      '    label: Bad', //                            6
      '    description: x', //                        7
      '    phrases: [robot]', //                      8
      '  - id: llm-agents', //                        9
      '    label: A Label Far Too Long Here', //      10 five words
      '    description: x', //                        11
      '    phrases: []', //                           12 empty list
      '  - id: llm-agents', //                        13 duplicate id
      '    label: Agents', //                         14
      '    description: x', //                        15
      '    synonyms: [x]', //                         16 unknown key, and no phrases
      '  - id: more-trending-papers', //              17 reserved
      '    label: More trending papers', //           18 reserved
      '    description: ""', //                       19 empty
      '    phrases: [the, wan2.1, agent, Agent]', //  20 stop word, split, duplicate
      '  - just a string', //                         21
    ].join('\n');
    expect(problems(text)).toEqual([
      'FILE:2: topic has no id',
      'FILE:5: id "Bad_Id" is not a kebab-case slug (lowercase letters, digits and single hyphens, like "llm-agents")',
      'FILE:10: label "A Label Far Too Long Here" has more than 4 words',
      'FILE:12: phrases is an empty list, so no paper could match the topic',
      'FILE:16: unknown key "synonyms" (expected id, label, description or phrases)',
      'FILE:13: id "llm-agents" is already used on line 9',
      'FILE:13: topic has no phrases, so no paper could match it',
      'FILE:17: id "more-trending-papers" is reserved for the catch-all and emerging sections; choose another',
      'FILE:18: "More trending papers" is the catch-all\'s label; choose another',
      'FILE:19: description is empty',
      'FILE:20: phrase "the" is too common a word to tell papers apart',
      'FILE:20: phrase "wan2.1" holds punctuation that splits it; write it as words',
      'FILE:20: phrase "Agent" is listed twice',
      'FILE:21: a topic must be a mapping with id, label, description and phrases',
    ]);
  });

  it('reports a duplicate label, an emerging- id and a label that is not text', () => {
    const text = GOOD + '  - id: emerging-x\n    label: LLM agents\n    description: x\n    phrases: [a1]\n  - id: y\n    label: 2024\n    description: x\n    phrases: [b2]\n';
    expect(problems(text)).toEqual([
      'FILE:6: id "emerging-x" is reserved for the catch-all and emerging sections; choose another',
      'FILE:7: label "LLM agents" is already used on line 3',
      'FILE:11: label must be text (put it in quotes)',
    ]);
  });

  it('reports a wrong top level, a missing file and a directory', () => {
    expect(problems('- id: a\n')).toEqual(['FILE:1: expected "topics:" followed by a list of topics']);
    expect(problems('topics:\n  id: a\n')).toEqual(['FILE:2: "topics" must be a non-empty list of topics, each starting with "- id:"']);
    expect(problems('topic:\n  - id: a\n')[0]).toBe('FILE:1: unknown key "topic" (the file holds one key, "topics")');
    expect(problems('')).toEqual(['FILE:1: expected "topics:" followed by a list of topics']);
    expect(() => loadTopicMap(path.join(dir, 'missing.yml'))).toThrow(/cannot read the topic map \(ENOENT\)/);
    const d = path.join(dir, 'a-dir.yml');
    mkdirSync(d);
    expect(() => loadTopicMap(d)).toThrow(ConfigError);
  });

  it('names files inside the working directory by their relative path', () => {
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const f = file('topics:\n  - id: X\n');
      expect(() => loadTopicMap(f)).toThrow(new RegExp(`^4 configuration problems:\\n  ${path.basename(f)}:2: `));
    } finally {
      process.chdir(cwd);
    }
  });

  it('keeps themes.yml working: each operator theme is one more topic (id = slug of its label), or adds its terms to the topic with that id', () => {
    const themes = file('themes:\n  - label: KV Cache Compression\n    keywords: [KIVI]\n    phrases: [kv cache]\n  - label: LLM Agents\n    keywords: [harness]\n');
    const { topics } = loadTopicMap(file(GOOD), { themesFile: themes });
    expect(topics.map((t) => [t.id, t.label, t.origin])).toEqual([
      ['llm-agents', 'LLM Agents', 'map'],
      ['kv-cache-compression', 'KV Cache Compression', 'themes'],
    ]);
    expect(topics[0]!.phrases).toEqual(['agent', 'tool use', 'harness']);
    expect(topics[1]!.phrases).toEqual(['KIVI', 'kv cache']);
    // A missing themes file means no operator themes, as before; the shipped example loads.
    expect(loadTopicMap(file(GOOD), { themesFile: path.join(dir, 'none.yml') }).topics).toHaveLength(1);
    expect(loadTopicMap(path.join(ROOT, 'content/topics.yml'), { themesFile: path.join(ROOT, 'content/themes.example.yml') }).topics.some((t) => t.origin === 'themes')).toBe(true);
  });

  it('reads an edited file anew, and gives each caller a copy of its own', () => {
    const f = file('topics:\n  - id: one\n    label: One\n    description: d\n    phrases: [alpha]\n');
    const a = loadTopicMap(f);
    a.topics[0]!.phrases.push('mutated');
    a.topics[0]!.label = 'Changed';
    expect(loadTopicMap(f).topics[0]).toMatchObject({ label: 'One', phrases: ['alpha'] });
    writeFileSync(f, 'topics:\n  - id: one\n    label: One\n    description: d\n    phrases: [alpha, beta]\n');
    expect(loadTopicMap(f).topics[0]!.phrases).toEqual(['alpha', 'beta']);
    const themes = file('themes:\n  - label: One\n    keywords: [gamma]\n');
    expect(loadTopicMap(f, { themesFile: themes }).topics[0]!.phrases).toEqual(['alpha', 'beta', 'gamma']);
    writeFileSync(themes, 'themes:\n  - label: One\n    keywords: [delta]\n');
    expect(loadTopicMap(f, { themesFile: themes }).topics[0]!.phrases).toEqual(['alpha', 'beta', 'delta']);
  });

  it('counts label words without "&"', () => {
    expect(labelWords('Image Generation & Editing')).toBe(3);
    expect(labelWords('Representation & Continual Learning')).toBe(3);
  });
});
