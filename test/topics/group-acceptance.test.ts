/**
 * Issue #3 acceptance: the default parameters give readable themes on the real 39-paper page
 * and on two hand-written digests of other topics, so they are not tuned to one page.
 */
import { describe, expect, it } from 'vitest';
import { groupPapers } from '../../src/topics/group-papers.js';
import type { ThemedDigest } from '../../src/types.js';
import { loadSampleDigest, loadThemesFixture, themeOf } from './helpers/digests.js';

/** Sizes a reader would accept: 3–10 themes and at most 45% of the papers left in the catch-all. */
function expectReadableShape(themed: ThemedDigest, paperCount: number): void {
  const named = themed.themes.filter((t) => !t.other);
  expect(named.length).toBeGreaterThanOrEqual(3);
  expect(named.length).toBeLessThanOrEqual(10);
  const other = themed.themes.find((t) => t.other)?.papers.length ?? 0;
  expect(other / paperCount).toBeLessThanOrEqual(0.45);
}

/** The papers titled with `prefixes` share one non-catch-all theme; returns it. */
function expectTogether(themed: ThemedDigest, prefixes: string[]) {
  const theme = themeOf(themed, prefixes[0]!);
  expect(theme.other).toBe(false);
  for (const prefix of prefixes) expect(themeOf(themed, prefix).id, prefix).toBe(theme.id);
  return theme;
}

describe('the 39-paper page of 2025-12-11', () => {
  const digest = loadSampleDigest();
  const themed = groupPapers(digest);

  it('is read as 39 papers', () => {
    expect(digest.papers).toHaveLength(39);
  });

  it('puts the six KV-cache papers, and only them, in one theme labelled with "KV"', () => {
    const kv = ['PrefixKV', 'MatryoshkaKV', 'KIVI', 'xKV', 'CSKV', 'No Token Left Behind'];
    const theme = expectTogether(themed, kv);
    expect(theme.papers).toHaveLength(6);
    expect(theme.label).toContain('KV');
  });

  it('puts the five knowledge-distillation papers, and only them, in one theme labelled with "Distillation"', () => {
    const kd = ['Sinkhorn Distance', 'KDRL', 'Linear Projections of Teacher', 'DDK', 'BD-KD'];
    const theme = expectTogether(themed, kd);
    expect(theme.papers).toHaveLength(5);
    expect(theme.label).toContain('Distillation');
  });

  it('puts the intrinsic-dimension papers, and only them, in one theme labelled with "Intrinsic Dimension"', () => {
    const id = ['Measuring the Intrinsic Dimension', 'Unveiling Intrinsic Dimension', 'Intrinsic Dimensionality Explains', 'Less is More'];
    const theme = expectTogether(themed, id);
    expect(theme.papers).toHaveLength(4);
    expect(theme.label).toContain('Intrinsic Dimension');
  });

  it('has 3 to 10 themes and at most 45% of the papers in the catch-all', () => {
    expectReadableShape(themed, 39);
  });
});

describe('a day of agents, RL for reasoning, video generation and robotics (32 papers)', () => {
  const themed = groupPapers(loadThemesFixture('agents-video-robotics-2025-07-15.json'));

  it('groups the five RL-for-reasoning papers in one theme', () => {
    const theme = expectTogether(themed, ['Group Relative Policy', 'Entropy Collapse', 'Process Reward Models', 'Thinking Less', 'Verifier-Free RL']);
    expect(theme.label).toMatch(/RL|Reinforcement|Reward|Reasoning/);
  });

  it('groups the five robot-learning papers in one theme', () => {
    const theme = expectTogether(themed, ['OpenVLA-X', 'Learning Dexterous', 'Walk These Ways', 'Diffusion Policy Meets Force', 'RoboDreamer-2']);
    expect(theme.label).toMatch(/Robot|Manipulation|Action/);
  });

  // CamCtrl-3D (camera control) goes with the Gaussian-splatting paper on camera poses and 3D scenes.
  it('groups the video-generation papers in a theme labelled with "Video"', () => {
    const theme = expectTogether(themed, ['LongLive', 'One Step Is Enough', 'Physics in Pixels']);
    expect(theme.label).toContain('Video');
  });

  it('groups the web, GUI and tool-use agents in a theme labelled with "Agent"', () => {
    const theme = expectTogether(themed, ['WebPilot-R', 'ToolForge', 'ScreenSeeker', 'Hidden Instructions']);
    expect(theme.label).toMatch(/Agent/);
  });

  it('has 3 to 10 themes and at most 45% of the papers in the catch-all', () => {
    expectReadableShape(themed, 32);
  });
});

describe('a day of mixture-of-experts, speculative decoding, RAG, multimodal and 3D papers with source keywords (29 papers)', () => {
  const themed = groupPapers(loadThemesFixture('moe-rag-multimodal-2025-09-03.json'));

  it('groups the four mixture-of-experts papers, and only them, under an "Experts" label', () => {
    const theme = expectTogether(themed, ['Expert Choice Revisited', 'Sparse Upcycling', 'MoE-Offload', 'Not All Experts']);
    expect(theme.papers).toHaveLength(4);
    expect(theme.label).toMatch(/Experts|MoE/);
  });

  it('groups the three speculative-decoding papers, and only them, as "Speculative Decoding"', () => {
    const theme = expectTogether(themed, ['EAGLE-Tree', 'Self-Speculation', 'How Far Can Speculation Go']);
    expect(theme.papers).toHaveLength(3);
    expect(theme.label).toBe('Speculative Decoding');
  });

  it('groups the four retrieval-augmented generation papers under a "Retrieval" label', () => {
    const theme = expectTogether(themed, ['GraphRAG-Lite', 'Long Context or Retrieval', 'Rerank Less', 'Cite What You Use']);
    expect(theme.label).toMatch(/Retrieval|RAG/);
  });

  it('groups the three 3D-generation papers, and only them, under a "3D" label', () => {
    const theme = expectTogether(themed, ['Text-to-3D in Ten Seconds', 'MeshAnything-Pro', '4DGen-Fast']);
    expect(theme.papers).toHaveLength(3);
    expect(theme.label).toContain('3D');
  });

  it('groups the three preference-optimisation papers and the image-side multimodal papers', () => {
    expectTogether(themed, ['Beyond DPO', 'Reward Hacking in RLHF', 'UltraPrefs-2']);
    expectTogether(themed, ['Seeing Is Not Believing', 'FastV-2', 'Any-Resolution Vision Encoders']);
  });

  it('has 3 to 10 themes and at most 45% of the papers in the catch-all', () => {
    expectReadableShape(themed, 29);
  });
});
