// Measures the topic map on real labelled days (issue #21, item 4), separately for the days it
// was tuned on and the days held out for reporting, so that a figure quoted for the map is never
// one it was fitted to. Reads the built code: run `npm run build` first, then
//   node scripts/measure-topics.mjs                 the figures table and every story label
//   node scripts/measure-topics.mjs --max-sections=10   the same with the old section cap
//   node scripts/measure-topics.mjs --detail=2026-02-09   sections of one TUNE day, with the
//                                                   editor's areas of their papers (for tuning)
//   node scripts/measure-topics.mjs --set=tune      only the tune days (what to run while tuning)
//   node scripts/measure-topics.mjs --json          machine-readable figures
//   node scripts/measure-topics.mjs --confusion     over the arXiv TUNE days: where each editor area's
//                                                   papers went, and the sections that lose most pairs
//   node scripts/measure-topics.mjs --agreement     two editors against each other (*.second-editor.json):
//                                                   the ceiling a grouping can reach against one editor
// --detail and --confusion refuse report days: looking at how a held-out day is grouped is tuning on it.
// --agreement groups nothing: it compares two sets of human labels, so it may read a report day.
//
// 1. Load each day through src/ingest (paperpost JSON for arXiv days, HF API JSON for HF days)
//    and its editor labels (*.labels.json next to it).
// 2. Group it with assignTopics and the shipped content/topics.yml (no section cap by default).
// 3. Score it with scoreAgainstLabels: papers, sections, clusters + catch-all share, pairwise
//    precision; list every story label and flag the generic ones (isGenericLabel).
// 4. Print one table per set (tune, report) with the targets of issue #21 for report days.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDigest } from '../dist/ingest/parse-digest.js';
import { assignTopics } from '../dist/topics/assign-topics.js';
import { isGenericLabel } from '../dist/topics/is-generic-label.js';
import { loadTopicMap } from '../dist/topics/load-topic-map.js';
import { scoreAgainstLabels } from '../dist/topics/score-against-labels.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIX = path.join(ROOT, 'test/fixtures/topics');

/** The labelled days: which were used to tune the map, which are held out. */
export const DAYS = [
  ...['2025-06-06', '2026-02-09', '2026-06-10'].map((d) => ({ set: 'tune', kind: 'arXiv', date: d, file: `arxiv-days/arxiv-${d}.json` })),
  ...['2026-05-29', '2026-06-24', '2026-07-31', '2026-09-04'].map((d) => ({ set: 'tune', kind: 'HF', date: d, file: `days/hf-api-${d}.json` })),
  ...['2025-10-13', '2025-11-05', '2026-02-16', '2026-06-24'].map((d) => ({ set: 'report', kind: 'arXiv', date: d, file: `arxiv-days/arxiv-${d}.json` })),
  ...['2024-10-10', '2025-10-14', '2026-05-13', '2026-07-28'].map((d) => ({ set: 'report', kind: 'HF', date: d, file: `hf-hidden-days/hf-api-${d}.json` })),
];
/** Issue #21 targets on report days. */
const TARGET = { arXiv: 0.2, HF: 0.25, precision: 0.8 };

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const maxSections = args['max-sections'] ? Number(args['max-sections']) : Number.POSITIVE_INFINITY;
const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));
const pct = (x) => `${(100 * x).toFixed(0)}%`;

function measure(day) {
  const file = path.join(FIX, day.file);
  const { digest } = parseDigest(readFileSync(file), { name: path.basename(file) });
  const labels = JSON.parse(readFileSync(file.replace(/\.json$/, '.labels.json'), 'utf8'));
  const themed = assignTopics(digest, { map, maxSections });
  return { day, themed, labels, figures: scoreAgainstLabels(themed, labels) };
}

const readLabels = (file) => JSON.parse(readFileSync(file, 'utf8'));

if (args.agreement) {
  // Each second editor's areas as sections (its Other as the catch-all), scored against the
  // first editor's labels with the same scorer; and the share of papers given the same area.
  for (const day of DAYS) {
    const file = path.join(FIX, day.file.replace(/\.json$/, '.second-editor.json'));
    let second;
    try {
      second = readLabels(file);
    } catch {
      continue;
    }
    const first = readLabels(path.join(FIX, day.file.replace(/\.json$/, '.labels.json')));
    const { digest } = parseDigest(readFileSync(path.join(FIX, day.file)), { name: path.basename(day.file) });
    const byId = new Map(digest.papers.map((p) => [p.id, p]));
    const themes = second.groups.map((g) => ({
      id: g.topic ?? 'other', label: g.label, keywords: [], other: g.topic === null, kind: g.topic === null ? 'other' : 'topic',
      papers: g.papers.map((id) => byId.get(id)),
    }));
    const f = scoreAgainstLabels({ date: digest.date, source: digest.source, themes }, first);
    const area = (labels, id) => labels.paper_topics[id] ?? 'Other';
    const same = digest.papers.filter((p) => area(first, p.id) === area(second, p.id)).length;
    console.log(`${day.set} ${day.date}: ${digest.papers.length} papers, same area ${same} (${pct(same / digest.papers.length)}), second editor's sections against the first's labels: pairwise precision ${f.precision.toFixed(2)} over ${f.pairs} pairs`);
  }
  process.exit(0);
}

if (args.confusion) {
  // Only arXiv tune days: the confusion of a held-out day is not to be looked at.
  const lost = [];
  const moves = new Map();
  for (const day of DAYS.filter((d) => d.set === 'tune' && d.kind === 'arXiv')) {
    const { themed, labels } = measure(day);
    const area = new Map(labels.groups.flatMap((g) => g.papers.map((id) => [id, g.topic ?? 'Other'])));
    for (const t of themed.themes) {
      const counts = new Map();
      for (const p of t.papers) {
        const a = area.get(p.id);
        counts.set(a, (counts.get(a) ?? 0) + 1);
        if (!moves.has(a)) moves.set(a, new Map());
        moves.get(a).set(t.id, (moves.get(a).get(t.id) ?? 0) + 1);
      }
      if (t.other) continue;
      const n = t.papers.length;
      let agreed = 0;
      for (const [a, c] of counts) if (a !== 'Other') agreed += (c * (c - 1)) / 2;
      const mix = [...counts].sort((x, y) => y[1] - x[1]).map(([a, c]) => `${a} ${c}`).join(', ');
      lost.push({ what: `${day.date} ${t.id} (${n})`, lost: (n * (n - 1)) / 2 - agreed, mix });
    }
  }
  console.log('Editor area → sections its papers went to (arXiv tune days):');
  for (const [a, m] of [...moves].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    console.log(`  ${a.padEnd(26)} ${[...m].sort((x, y) => y[1] - x[1]).map(([s, c]) => `${s} ${c}`).join(', ')}`);
  }
  console.log('\nSections losing most pairs (pairs of papers the editor filed apart):');
  for (const r of lost.sort((x, y) => y.lost - x.lost).slice(0, 15)) console.log(`  ${r.what.padEnd(44)} lost ${String(r.lost).padStart(4)}: ${r.mix}`);
  process.exit(0);
}

// --set=tune while tuning: the held-out days are not even grouped.
const results = DAYS.filter((d) => !args.set || d.set === args.set).map(measure);

if (args.json) {
  console.log(JSON.stringify(results.map(({ day, figures }) => ({ ...day, ...figures })), null, 1));
  process.exit(0);
}

if (args.detail) {
  const r = results.find((x) => x.day.date === args.detail && x.day.set === 'tune');
  if (!r) {
    console.error(`--detail: ${args.detail} is not a tune day (report days are held out; see DAYS)`);
    process.exit(2);
  }
  const area = new Map(r.labels.groups.flatMap((g) => g.papers.map((id) => [id, g.topic ?? 'Other'])));
  for (const t of r.themed.themes) {
    const counts = new Map();
    for (const p of t.papers) counts.set(area.get(p.id), (counts.get(area.get(p.id)) ?? 0) + 1);
    const mix = [...counts].sort((a, b) => b[1] - a[1]).map(([a, n]) => `${a} ${n}`).join(', ');
    console.log(`\n## ${t.label} [${t.kind}] ${t.papers.length}: ${mix}`);
    for (const s of t.stories ?? []) console.log(`   story "${s.label}" ${s.papers.length}`);
    if (args.papers) for (const p of t.papers) console.log(`   ${area.get(p.id).padEnd(24)} ${p.title.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
  process.exit(0);
}

for (const set of ['tune', 'report']) {
  console.log(`\n### ${set === 'tune' ? 'Tune days (the map was adjusted on these)' : 'Report days (held out: never looked at while tuning)'}\n`);
  console.log('| day | source | papers | sections | clusters + catch-all | catch-all | pairwise precision | pairs | generic story labels |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { day, figures: f } of results.filter((r) => r.day.set === set)) {
    const generic = f.storyLabels.filter((l) => isGenericLabel(l));
    const miss = set === 'report' && (f.unplacedShare > TARGET[day.kind] || f.precision < TARGET.precision || generic.length > 0) ? ' ✗' : '';
    console.log(`| ${day.date} | ${day.kind} | ${f.papers} | ${f.sections} | ${pct(f.unplacedShare)} | ${pct(f.catchAllShare)} | ${f.precision.toFixed(2)} | ${f.pairs} | ${generic.length}${miss} |`);
  }
}
console.log(`\nTargets on report days: clusters + catch-all ≤ ${pct(TARGET.arXiv)} (arXiv), ≤ ${pct(TARGET.HF)} (HF); precision ≥ ${TARGET.precision}; no generic story label. Section cap: ${maxSections}.`);
console.log('\nStory labels:');
for (const { day, figures: f } of results) console.log(`- ${day.set} ${day.date} (${f.storyLabels.length}): ${f.storyLabels.join(' · ')}`);
