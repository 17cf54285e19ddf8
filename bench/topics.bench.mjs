// Benchmark of topic assignment (issue #12): assigns 1,000 trending papers to the topic map,
// with their stories and emerging sections, and fails (exit 1) when that takes 2 s or more on
// this single thread. Run after `npm run build`:
//   node bench/topics.bench.mjs
// The papers are sampled from the real fixture papers (the sample day and the four labelled
// days), each copy with a varied title (a made-up method name, another paper's title words) and
// its abstract's sentences rotated, so that the vocabulary and lengths are those of real days.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDigest } from '../dist/ingest/parse-digest.js';
import { assignTopics } from '../dist/topics/assign-topics.js';
import { loadTopicMap } from '../dist/topics/load-topic-map.js';

const PAPERS = 1000;
const TARGET_MS = 2000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

// 1. The real papers: 39 of the sample day and 122 of the labelled days.
const read = (file, now) => parseDigest(readFileSync(path.join(ROOT, file)), { name: path.basename(file), now }).digest.papers;
const real = [
  ...read('content/digests/hf-papers-2025-12-11.txt', new Date('2025-12-11T12:00:00Z')),
  ...['2026-05-29', '2026-06-24', '2026-07-31', '2026-09-04'].flatMap((d) => read(`test/fixtures/topics/days/hf-api-${d}.json`)),
];

// mulberry32: the same 1,000 papers on every run.
let seed = 20260804;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'tor', 'vex', 'pra', 'sul', 'dim', 'qua', 'zen', 'rho', 'fel', 'gan', 'bis', 'tro'];
const name = () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join('').replace(/^./, (c) => c.toUpperCase());

// 2. 1,000 copies with varied titles and rotated abstracts.
const papers = Array.from({ length: PAPERS }, (_, i) => {
  const base = pick(real);
  const other = pick(real).title.split(/\s+/);
  const tail = other.slice(Math.floor(random() * other.length)).slice(0, 4).join(' ');
  const sentences = base.abstract.split(/(?<=\.)\s+/);
  const r = Math.floor(random() * sentences.length);
  return {
    ...base,
    id: `2608.${String(10000 + i)}`,
    title: `${name()}: ${base.title}${random() < 0.5 ? ` and ${tail}` : ''}`,
    abstract: [...sentences.slice(r), ...sentences.slice(0, r)].join(' '),
    upvotes: Math.floor(random() * random() * 200),
  };
});
const digest = { date: '2026-08-04', source: 'bench', papers };
const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));
// Room for every topic: the cost of stories is paid in full, as on a large archive day.
const options = { map, maxSections: 50 };

// 3. One cold run (what a day's job pays), then two warm ones.
gc();
const start = performance.now();
const themed = assignTopics(digest, options);
const elapsed = performance.now() - start;
const warm = [];
for (let k = 0; k < 2; k++) {
  const t0 = performance.now();
  assignTopics(digest, options);
  warm.push(performance.now() - t0);
}

const count = (kind) => themed.themes.filter((t) => t.kind === kind).length;
const stories = themed.themes.reduce((s, t) => s + (t.stories?.length ?? 0), 0);
const other = themed.themes.find((t) => t.other)?.papers.length ?? 0;
console.log(
  `topics: ${PAPERS} papers (sampled from ${real.length} real ones) in ${elapsed.toFixed(0)} ms (warm ${warm.map((w) => w.toFixed(0)).join(', ')} ms; target < ${TARGET_MS} ms); ` +
    `${count('topic')} topic sections, ${count('emerging')} emerging, ${stories} stories, ${other} in the catch-all; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
console.log(themed.themes.slice(0, 6).map((t) => `${t.label} · ${t.papers.length} (${(t.stories ?? []).slice(0, 2).map((s) => `${s.label} · ${s.papers.length}`).join(', ')})`).join(' | '));
if (elapsed >= TARGET_MS) {
  console.error(`topics: FAILED, ${elapsed.toFixed(0)} ms is over the ${TARGET_MS} ms target`);
  process.exit(1);
}
