// Benchmark of the group stage (issue #3): groups 1,000 synthetic trending papers and fails
// (exit 1) when that takes 2 s or more on this single thread. Run after `npm run build`:
//   node bench/group.bench.mjs
// The papers are sampled from 30 topic vocabularies mixed with generic ML prose and noise,
// so the vocabulary, abstract length and share of unrelated papers look like a busy day.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { groupPapers } from '../dist/topics/group-papers.js';

const PAPERS = 1000;
const TARGET_MS = 2000;

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const TOPICS = [
  ['KV cache', 'cache eviction', 'long-context inference', 'attention heads', 'quantized keys', 'memory footprint', 'token retention', 'prefill'],
  ['knowledge distillation', 'teacher model', 'student network', 'logit matching', 'divergence', 'soft labels', 'compact student'],
  ['intrinsic dimension', 'representation geometry', 'manifold', 'local dimensionality', 'embedding space', 'estimator'],
  ['web agents', 'tool use', 'browser actions', 'planning', 'API calls', 'task completion', 'agentic workflows'],
  ['video diffusion', 'temporal consistency', 'frame interpolation', 'motion', 'text-to-video', 'camera trajectories'],
  ['robot manipulation', 'grasping', 'dexterous hands', 'imitation learning', 'teleoperation', 'embodiment'],
  ['speculative decoding', 'draft model', 'acceptance rate', 'token verification', 'decoding latency'],
  ['mixture-of-experts', 'expert routing', 'load balancing', 'sparse experts', 'gating network'],
  ['retrieval-augmented generation', 'retriever', 'passage reranking', 'knowledge base', 'citation', 'query rewriting'],
  ['object hallucination', 'vision-language models', 'visual grounding', 'image captions', 'visual tokens'],
  ['Gaussian splatting', 'novel view synthesis', 'scene reconstruction', 'radiance fields', 'multi-view images'],
  ['preference optimization', 'DPO', 'reward model', 'human feedback', 'alignment', 'preference pairs'],
  ['protein design', 'protein structure', 'amino acid sequences', 'binding affinity', 'folding'],
  ['weather forecasting', 'atmospheric reanalysis', 'precipitation', 'climate variables', 'ensemble forecasts'],
  ['speech synthesis', 'text-to-speech', 'voice cloning', 'audio codec', 'prosody', 'speaker similarity'],
  ['federated learning', 'client drift', 'differential privacy', 'secure aggregation', 'heterogeneous clients'],
  ['theorem proving', 'Lean', 'formal proofs', 'proof search', 'tactics', 'autoformalization'],
  ['time series forecasting', 'seasonality', 'forecast horizon', 'multivariate series', 'temporal patterns'],
  ['graph neural networks', 'message passing', 'node classification', 'over-smoothing', 'graph structure'],
  ['adversarial robustness', 'adversarial examples', 'certified defense', 'perturbation budget', 'attack success'],
  ['continual learning', 'catastrophic forgetting', 'replay buffer', 'task sequence', 'plasticity'],
  ['code generation', 'program synthesis', 'unit tests', 'repository context', 'bug fixing'],
  ['machine translation', 'low-resource languages', 'parallel corpora', 'translation quality', 'multilingual'],
  ['medical imaging', 'radiology reports', 'segmentation masks', 'clinical findings', 'chest X-rays'],
  ['recommender systems', 'user engagement', 'item embeddings', 'click-through rate', 'cold-start items'],
  ['reinforcement learning', 'policy gradient', 'reward shaping', 'exploration', 'value function'],
  ['quantization', 'low-bit weights', 'outlier channels', 'post-training quantization', 'integer kernels'],
  ['scaling laws', 'compute budget', 'loss curves', 'model size', 'data scaling'],
  ['tabular data', 'gradient boosted trees', 'feature columns', 'in-context prediction', 'table rows'],
  ['music generation', 'melody', 'symbolic music', 'audio tokens', 'accompaniment'],
];
const GENERIC = [
  'we propose', 'a novel framework', 'state-of-the-art results', 'extensive experiments', 'our method',
  'significantly improves', 'across benchmarks', 'large language models', 'in practice', 'we show that',
  'compared with baselines', 'with minimal overhead', 'on several datasets', 'we analyse', 'leading to',
  'a simple approach', 'existing methods', 'our analysis reveals', 'efficiently', 'at scale',
];
const NOISE = [
  'calibration', 'sampling', 'uncertainty', 'benchmarks', 'interpretability', 'throughput', 'robust',
  'pretraining', 'fine-tuning', 'curriculum', 'annotation', 'latency', 'sparsity', 'transformer',
  'dataset', 'evaluation', 'hardware', 'privacy', 'fairness', 'optimization', 'bias', 'noise', 'labels',
];

// mulberry32: the same 1,000 papers on every run.
let seed = 20251211;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
// Rare words (made-up, like the method names and jargon of real abstracts): what keeps an
// off-topic paper from resembling any other.
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'tor', 'vex', 'pra', 'sul', 'dim', 'qua', 'zen', 'rho', 'fel', 'gan', 'bis', 'tro'];
const RARE = Array.from({ length: 3000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join(''));
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function makePaper(i) {
  // One paper in eight belongs to no topic: the catch-all's share on a real day.
  const topic = random() < 0.125 ? null : pick(TOPICS);
  const vocab = () => {
    const r = random();
    if (topic && r < 0.55) return pick(topic);
    return r < 0.7 ? pick(RARE) : r < 0.85 ? pick(NOISE) : pick(GENERIC);
  };
  const title = `${cap(topic ? pick(topic) : pick(RARE))} ${pick(['for', 'with', 'via', 'in'])} ${vocab()}: ${cap(vocab())} and ${vocab()}`;
  const sentences = [];
  // 7–10 sentences of 12–24 words: the 200-odd words of a real arXiv abstract.
  const count = 7 + Math.floor(random() * 4);
  for (let s = 0; s < count; s++) {
    const words = [];
    const length = 12 + Math.floor(random() * 13);
    for (let w = 0; w < length; w++) words.push(random() < 0.35 ? vocab() : pick(['the', 'of', 'a', 'to', 'and', 'is', 'that', 'for', 'on', 'by']));
    sentences.push(cap(words.join(' ')) + '.');
  }
  return {
    id: `2512.${String(10000 + i)}`,
    title,
    abstract: sentences.join(' '),
    summary: null,
    authors: [],
    authorCount: null,
    publishedAt: `2025-12-${String(1 + (i % 28)).padStart(2, '0')}`,
    upvotes: Math.floor(random() * random() * 200),
    url: null,
    codeUrl: null,
    keywords: [],
    topic,
  };
}

const papers = Array.from({ length: PAPERS }, (_, i) => makePaper(i));
const words = papers.reduce((sum, p) => sum + p.abstract.split(' ').length, 0) / PAPERS;
const topicOf = new Map(papers.map((p) => [p.id, p.topic]));
for (const p of papers) delete p.topic;
const digest = { date: '2025-12-11', source: 'bench', papers };

gc();
const before = process.memoryUsage();
const start = performance.now();
const themed = groupPapers(digest, { maxThemes: 50 });
const elapsed = performance.now() - start;
const after = process.memoryUsage();
gc();
const retained = process.memoryUsage();
const peakRssMb = process.resourceUsage().maxRSS / 1024;

// Warm runs show the steady state once the stemmer cache and JIT are hot.
const warm = [];
for (let r = 0; r < 2; r++) {
  const t0 = performance.now();
  groupPapers(digest, { maxThemes: 50 });
  warm.push(performance.now() - t0);
}

// How clean the themes are: the share of each theme's papers drawn from its main topic.
let agreeing = 0;
let grouped = 0;
for (const theme of themed.themes.filter((t) => !t.other)) {
  const counts = new Map();
  for (const p of theme.papers) counts.set(topicOf.get(p.id), (counts.get(topicOf.get(p.id)) ?? 0) + 1);
  agreeing += Math.max(...counts.values());
  grouped += theme.papers.length;
}
const other = themed.themes.find((t) => t.other)?.papers.length ?? 0;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

console.log(
  `group: ${PAPERS} papers (abstracts of ${words.toFixed(0)} words on average) in ${elapsed.toFixed(0)} ms (warm ${warm.map((w) => w.toFixed(0)).join(', ')} ms; target < ${TARGET_MS} ms); ` +
    `${themed.themes.length - (other > 0 ? 1 : 0)} themes, ${other} in the catch-all, purity ${((100 * agreeing) / Math.max(1, grouped)).toFixed(1)}%; ` +
    `heap +${mb(after.heapUsed - before.heapUsed)} MB right after (garbage included), +${mb(retained.heapUsed - before.heapUsed)} MB retained ` +
    `(result and word cache), peak RSS ${peakRssMb.toFixed(0)} MB ` +
    `(similarity matrix ${mb(PAPERS * PAPERS * 8)} MB)`,
);
console.log(themed.themes.slice(0, 8).map((t) => `${t.label} · ${t.papers.length}`).join(' | '));
if (elapsed >= TARGET_MS) {
  console.error(`group: FAILED, ${elapsed.toFixed(0)} ms is over the ${TARGET_MS} ms target`);
  process.exit(1);
}
