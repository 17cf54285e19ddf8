// Not a *.bench.mjs (run-all runs those without arguments). Side-by-side CPU time of one cold reader (10 ratings never seen before) over a 500-paper day,
// for two builds of paperpost in one process, alternated reader by reader: on a shared machine
// the absolute times move with the load, their ratio much less (issue #20, "Speed"). Usage:
//   node bench/picks-ab.mjs OLD/dist NEW/dist [readers]
// where each dist/ is a build of a commit (git archive <commit> src tsconfig*.json package.json
// | tar -x -C DIR, node_modules linked into DIR, npx tsc --build tsconfig.build.json). Each build
// is timed with the topic matcher (as a send indexes the day) and the first also without.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIX = path.join(ROOT, 'test/fixtures/topics');
const [oldDist, newDist] = process.argv.slice(2, 4).map((d) => path.resolve(d));
if (!oldDist || !newDist) {
  console.error('usage: node bench/picks-ab.mjs OLD/dist NEW/dist [readers]');
  process.exit(2);
}
const variants = [];
for (const [name, dir, withMatcher] of [['old, no matcher', oldDist, false], ['old, matcher', oldDist, true], ['new, matcher', newDist, true]]) {
  const m = async (p) => import(`${dir}/${p}`);
  variants.push({ name, withMatcher, parseDigest: (await m('ingest/parse-digest.js')).parseDigest, assignTopics: (await m('topics/assign-topics.js')).assignTopics, loadTopicMap: (await m('topics/load-topic-map.js')).loadTopicMap, buildTopicMatcher: (await m('topics/build-topic-matcher.js')).buildTopicMatcher, indexDay: (await m('picks/plan-reader.js')).indexDay, planReader: (await m('picks/plan-reader.js')).planReader });
}
const files = [
  ...['2025-06-06', '2026-02-09', '2026-06-10', '2025-10-13', '2026-02-16', '2026-06-24'].map((d) => `arxiv-days/arxiv-${d}.json`),
  ...['2026-05-29', '2026-06-24', '2026-07-31', '2026-09-04'].map((d) => `days/hf-api-${d}.json`),
  ...['2024-10-10', '2026-05-13', '2026-07-28'].map((d) => `hf-hidden-days/hf-api-${d}.json`),
];
let seed = 20261207;
const random = () => { seed = (seed + 0x6d2b79f5) >>> 0; let t = Math.imul(seed ^ (seed >>> 15), seed | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const v of variants) {
  const all = files.flatMap((f) => v.parseDigest(readFileSync(path.join(FIX, f)), { name: path.basename(f) }).digest.papers);
  const unique = [...new Map(all.map((p) => [p.id, p])).values()];
  seed = 20261207;
  for (let i = unique.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [unique[i], unique[j]] = [unique[j], unique[i]]; }
  const map = v.loadTopicMap(path.join(ROOT, 'content/topics.yml'));
  const day = unique.slice(0, 500);
  v.pool = unique.slice(500);
  const themed = v.assignTopics({ date: '2026-12-07', source: 'bench', papers: day }, { map });
  const section = new Map();
  for (const t of themed.themes) for (const p of t.papers) section.set(p.id, t.kind === 'topic' ? t : null);
  v.index = v.indexDay(day.map((paper, rank) => ({ paper, topicId: section.get(paper.id)?.id ?? null, topicLabel: section.get(paper.id)?.label ?? null, rank })), v.withMatcher ? { matcher: v.buildTopicMatcher(map) } : {});
  v.times = [];
}
const R = Number(process.argv[4] ?? 400);
let k = 0;
for (let r = 0; r < R; r++) {
  const order = r % 2 ? [...variants].reverse() : variants;
  for (const v of order) {
    const ratings = Array.from({ length: 10 }, (_, j) => { const p = v.pool[(r * 10 + j) % v.pool.length]; return { paperId: `${p.id}#${k++}`, title: p.title, abstract: p.abstract.slice(0, 4000), authors: p.authors, keywords: p.keywords, choice: j % 5 < 3 ? 'more' : 'less', ratedAt: '2026-12-01T00:00:00Z' }; });
    const t = cpu();
    v.planReader(v.index, { signals: { ratings, follows: [] }, topics: null }, { picks: 5 });
    v.times.push(cpu() - t);
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = med(variants[0].times);
for (const v of variants) console.log(`${v.name}: median ${med(v.times).toFixed(2)} ms CPU, ${(med(v.times) / base).toFixed(2)}x of the first`);
