/**
 * Domain topics (issue #21): `domain: true` in content/topics.yml marks an application domain,
 * whose score counts DOMAIN_WEIGHT times, so that "a vision-language model for chest X-rays" is
 * filed under medicine rather than multimodal models when it fits both about as well. The key is
 * optional and must be a boolean.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { buildTopicMatcher, DOMAIN_WEIGHT } from '../../src/topics/build-topic-matcher.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { makePaper, ROOT } from './helpers/digests.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperpost-domain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const MAP = `topics:
  - id: multimodal-models
    label: Multimodal Models
    description: Vision-language models.
    phrases: [vision-language model, vlm]
  - id: medicine-health
    label: Medicine & Health
    description: Clinical AI.
    phrases: [chest x-ray, radiology]
    domain: true
`;

describe('domain topics', () => {
  it('reads `domain: true`, leaves other topics without it, and refuses a non-boolean', () => {
    const { topics } = loadTopicMap(write('ok.yml', MAP));
    expect(topics.map((t) => [t.id, t.domain])).toEqual([
      ['multimodal-models', undefined],
      ['medicine-health', true],
    ]);
    let error: unknown;
    try {
      loadTopicMap(write('bad.yml', MAP.replace('domain: true', 'domain: sometimes')));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/bad\.yml:\d+: domain must be true or false/);
  });

  it('counts a domain topic DOMAIN_WEIGHT times, so a domain paper that uses a method goes to the domain', () => {
    const map = loadTopicMap(write('ok2.yml', MAP));
    const paper = makePaper({ title: 'A Vision-Language Model for Chest X-Ray Reports' });
    const scores = buildTopicMatcher(map).score(paper);
    expect(scores[0]!.id).toBe('medicine-health');
    const plain = buildTopicMatcher({ topics: map.topics.map(({ domain: _domain, ...t }) => t) }).score(paper);
    const med = (s: typeof scores) => s.find((x) => x.id === 'medicine-health')!.score;
    expect(med(scores)).toBeCloseTo(DOMAIN_WEIGHT * med(plain), 9);
  });

  it('marks the application domains of the shipped map, and only those', () => {
    const { topics } = loadTopicMap(path.join(ROOT, 'content/topics.yml'));
    const domains = topics.filter((t) => t.domain).map((t) => t.id);
    expect(domains).toEqual(expect.arrayContaining(['medicine-health', 'robotics', 'remote-sensing', 'autonomous-driving']));
    expect(domains).not.toContain('multimodal-models');
    expect(domains).not.toContain('llm-agents');
  });
});
