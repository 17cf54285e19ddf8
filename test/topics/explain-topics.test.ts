import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainTopics } from '../../src/topics/explain-topics.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { makePaper, ROOT } from './helpers/digests.js';

const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));

describe('explainTopics', () => {
  it('lists each candidate topic with its score and the terms that matched, field by field, best first', () => {
    const paper = makePaper({
      id: '2601.1',
      title: 'KV Cache Compression for Long-Context Agents',
      keywords: ['KV cache', 'quantization'],
      abstract: 'Agents with long context need a small KV cache; we quantize it.',
    });
    const why = explainTopics(paper, map);
    expect(why.paperId).toBe('2601.1');
    expect(why.best).toBe('efficient-inference');
    expect(why.candidates[0]).toMatchObject({ id: 'efficient-inference', label: 'Efficient Inference' });
    expect(why.candidates[0]!.matches[0]).toMatchObject({ term: 'kv-cache compression', title: 1, learned: false });
    expect(why.candidates.map((c) => c.id)).toContain('llm-agents');
    for (let k = 1; k < why.candidates.length; k++) expect(why.candidates[k - 1]!.score).toBeGreaterThanOrEqual(why.candidates[k]!.score);
  });

  it('names no best topic when the paper fits none well enough', () => {
    const why = explainTopics(makePaper({ title: 'On the Poetry of Medieval Manuscripts', abstract: 'We read old books.' }), map);
    expect(why.best).toBeNull();
    expect(why.threshold).toBe(3);
  });
});
