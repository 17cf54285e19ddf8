/**
 * Issue #21: a story labelled "Fall Short" (a verb fragment lifted from one paper's title) told
 * readers nothing. Labels must name a thing; verb phrases are refused, by isVerbFragment and
 * therefore by isGenericLabel, the gate every story and emerging label passes.
 */
import { describe, expect, it } from 'vitest';
import { isGenericLabel } from '../../src/topics/is-generic-label.js';
import { isVerbFragment } from '../../src/topics/is-verb-fragment.js';

const VERB_PHRASES = [
  'Fall Short', // the example
  'LLMs Fall Short',
  'Model Outperforms',
  'Benchmark Remains Fragmented',
  'Agents Fail',
  'Rethinking Attention',
  'Towards Robust Agents',
  'Works Surprisingly Well',
  'Generalize Effectively',
  'Self-Supervised',
  'Fine-Tuned',
  'Retrieval-Augmented',
  'Training-Free',
  // Adjective heads: what kind of thing, not the thing.
  'Cross-Lingual',
  'Spatio-Temporal',
  'Nonlinear Additive',
  'Cross-Domain Sequential',
  'Physics-Informed Neural',
  'Tuning-Free Asymmetric',
];
const NOUN_PHRASES = [
  'KV Cache',
  'Scaling Laws',
  'Speculative Decoding',
  'Knowledge Distillation',
  'Gaussian Splatting',
  'Anomaly Detection',
  'Federated Learning',
  'Time Series Forecasting',
  'Vision-Language-Action',
  'Mixture-of-Experts',
  'Structured Pruning',
  'Direct Preference Optimization',
  'Humanoid Locomotion',
  'Reward Hacking',
  'Random Seed',
  // Nouns with adjectives' endings.
  'Dense Retrieval',
  'Evaluation Metric',
  'Actor-Critic',
  'Contrastive Objective',
  'Temporal Logic',
  'Cross-Lingual Retrieval',
];

describe('isVerbFragment', () => {
  it('refuses labels that say something happens: finite verbs, adverb or adjective heads, participles, title rhetoric', () => {
    for (const label of VERB_PHRASES) expect(isVerbFragment(label), label).toBe(true);
  });

  it('accepts noun phrases, plural heads and -ing nouns included', () => {
    for (const label of NOUN_PHRASES) expect(isVerbFragment(label), label).toBe(false);
  });

  it('is part of isGenericLabel, so no story or emerging section gets such a label', () => {
    for (const label of VERB_PHRASES) expect(isGenericLabel(label), label).toBe(true);
    for (const label of NOUN_PHRASES) expect(isGenericLabel(label), label).toBe(false);
  });
});
