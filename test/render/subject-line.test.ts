/**
 * The subject names the strongest two or three topics and the paper count within 78
 * characters; "and 7 more topics" only when it fits, never a terse "+7".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { topicPhrases } from '../../src/render/fit-topics.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import type { ThemedDigest } from '../../src/types.js';
import { loadThemedFixture, makeRecipient, TEMPLATES_DIR } from './support/load-themed-fixture.js';

const publicUrl = 'https://paperpost.example.org';

/** The sample's papers under short labels, so that three topics fit. */
function shortLabels(): ThemedDigest {
  const digest = loadThemedFixture('themed-2025-12-11.json');
  const labels = ['Agents', 'Video', 'RL', 'Theory', 'Scaling', 'Vision'];
  digest.themes.forEach((t, i) => {
    if (!t.other) t.label = labels[i]!;
  });
  return digest;
}

describe('topicPhrases', () => {
  it('goes from three topics to one, with "and N more topics", "and more" or alone', () => {
    expect(topicPhrases(['A', 'B', 'C', 'D', 'E'])).toEqual(['A, B, C and 2 more topics', 'A, B, C and more', 'A, B, C', 'A, B and 3 more topics', 'A, B and more', 'A, B', 'A and 4 more topics', 'A and more', 'A']);
    expect(topicPhrases(['A', 'B'])).toEqual(['A and B', 'A, B', 'A and 1 more topic', 'A and more', 'A']);
    expect(topicPhrases(['A', 'B'], true)[0]).toBe('A, B and more');
  });
});

describe('the subject line', () => {
  let sample: CompiledIssue;
  let short: CompiledIssue;
  beforeAll(async () => {
    [sample, short] = await Promise.all([
      compileIssue(loadThemedFixture('themed-2025-12-11.json'), { templatesDir: TEMPLATES_DIR, publicUrl }),
      compileIssue(shortLabels(), { templatesDir: TEMPLATES_DIR, publicUrl }),
    ]);
  });

  it('names three short topics, how many more and the paper count', () => {
    expect(personalizeIssue(short, makeRecipient())!.subject).toBe('Trending papers, Dec 11: 39 papers on Agents, Video, RL and 3 more topics');
  });

  it('names fewer topics when long labels would pass 78 characters', () => {
    expect(sample.subject).toBe('Trending papers, Dec 11: 39 papers on KV Cache Compression and 5 more topics');
  });

  it('stays within 78 characters with no "+N" for every reader of the sample, whatever they follow', () => {
    const labels = sample.sections.map((s) => s.label);
    for (let mask = 1; mask < 1 << labels.length; mask++) {
      const themes = labels.filter((_, i) => mask & (1 << i));
      const { subject } = personalizeIssue(sample, makeRecipient({ themes }))!;
      expect([...subject].length, subject).toBeLessThanOrEqual(78);
      expect(subject).not.toMatch(/\+\d/);
      expect(subject).toMatch(/: (1 paper|\d+ papers) on |: \d+ new papers$/);
    }
  });
});
