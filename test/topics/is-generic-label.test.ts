import { describe, expect, it } from 'vitest';
import { isGenericLabel } from '../../src/topics/is-generic-label.js';

describe('isGenericLabel', () => {
  it('refuses the bare generic labels readers saw on real days', () => {
    for (const label of ['Kernel', 'Value', 'Success Rate', 'Knowledge', 'Consider', 'Pre-Trained', 'Editing', 'Latent Space', 'Local Appearance', 'Fine-Tuning', 'Action-Labeled', 'LLM', 'VLMs', 'Language Models', 'Reinforcement', '',
      // Praise and position (issue #21's check of story labels on the tune days).
      'Powerful Tool', 'Upper Bound', 'Lower Bound', 'Retain-Side', 'Novel Method']) {
      expect(isGenericLabel(label), label).toBe(true);
    }
  });

  it('accepts names of subjects: two words with one that says something, or an acronym or name', () => {
    for (const label of ['KV Cache', 'KV Cache Compression', 'Knowledge Distillation', 'Scaling Laws', 'Intrinsic Dimension', 'Speculative Decoding', 'Mixture-of-Experts', 'Self-Distillation', 'Video Generation', 'GRPO', 'MoE', 'BrowseComp', '3D', 'Mobile GUI Agents', 'Regret Bounds', 'Low-Rank Adaptation']) {
      expect(isGenericLabel(label), label).toBe(false);
    }
  });
});
