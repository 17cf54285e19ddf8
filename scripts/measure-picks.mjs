// Measures readers' picks on real labelled days (issue #20, "Measured"): simulated readers who
// like one or two of an editor's broad areas rate papers of real days and are scored on a later
// real day they never saw. Reads the built code: run `npm run build` first, then
//   node scripts/measure-picks.mjs                  report days (held out), the table of figures
//   node scripts/measure-picks.mjs --set=tune       tune days only (what to look at while tuning)
//   node scripts/measure-picks.mjs --readers=40 --json
//   node scripts/measure-picks.mjs --no-matcher     rated papers' topic from the day's nearest
//                                                   topic, as when indexDay gets no matcher
//   node scripts/measure-picks.mjs --tune=c:0.1,background:40 --summary [--kind=arXiv]
//                                                   other settings (picks/pick-settings.ts), one line
//   node scripts/measure-picks.mjs --loo="topicBonus:2;profileWeight:2"
//                                                   leave-one-tune-day-out choice among settings
//   node scripts/measure-picks.mjs --by-area        P@5 per liked area at 10 ratings, where picks go wrong
// test/picks/measure-picks.test.ts imports measurePicks() and asserts the figures.
//
// Days (the sets of test/fixtures/topics, see their READMEs; never mixed):
// - tune: arXiv 2025-06-06, 2026-02-09, 2026-06-10; HF 2026-05-29, 2026-06-24, 2026-07-31, 2026-09-04.
//   The model's settings (C, background, reasons) were chosen looking at these only: readers rate
//   on tune days and are scored on another tune day.
// - report: arXiv 2025-10-13, 2026-02-16, 2026-06-24; HF 2024-10-10, 2026-05-13, 2026-07-28.
//   Readers rate on the tune days of the same source (what they would have seen before) and are
//   scored on a report day.
//
// 1. Each day is read through src/ingest, grouped with the shipped topic map (assignTopics), and
//    indexed once (indexDay); a paper's area is the editor's label.
// 2. A reader (seeded, mulberry32) likes one or two areas that have at least MIN_AREA papers on
//    the scored day and at least 3 on the tune days. They start on a tune day where each liked
//    area has papers ("day 1") and scan its list from the top, as the issue shows it, on to the
//    next tune day if they still have ratings to give: a paper in their areas gets "more" (60%
//    of their ratings), another "less" (40%), and one rating in ten (at random) says the
//    opposite (noise). Papers of the scored day are skipped (HF days share trending papers; an
//    issue never repeats one an earlier issue carried).
// 3. "Topics only": the same reader follows, for each liked area, the topic whose section on
//    day 1 matches the area best (F1), and rates nothing.
// 4. On the scored day: Precision@5 of the picks (the first five), nDCG@10 of the ranking
//    (picks, then the day's order), relevance = the paper is in a liked area. Figures at 0, 3,
//    10 and 30 ratings; 0 ratings is the issue unchanged (the day's order).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDigest } from '../dist/ingest/parse-digest.js';
import { assignTopics } from '../dist/topics/assign-topics.js';
import { buildTopicMatcher } from '../dist/topics/build-topic-matcher.js';
import { loadTopicMap } from '../dist/topics/load-topic-map.js';
import { indexDay, planReader } from '../dist/picks/plan-reader.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIX = path.join(ROOT, 'test/fixtures/topics');

export const DAYS = [
  ...['2025-06-06', '2026-02-09', '2026-06-10'].map((d) => ({ set: 'tune', kind: 'arXiv', date: d, file: `arxiv-days/arxiv-${d}.json` })),
  ...['2026-05-29', '2026-06-24', '2026-07-31', '2026-09-04'].map((d) => ({ set: 'tune', kind: 'HF', date: d, file: `days/hf-api-${d}.json` })),
  ...['2025-10-13', '2026-02-16', '2026-06-24'].map((d) => ({ set: 'report', kind: 'arXiv', date: d, file: `arxiv-days/arxiv-${d}.json` })),
  ...['2024-10-10', '2026-05-13', '2026-07-28'].map((d) => ({ set: 'report', kind: 'HF', date: d, file: `hf-hidden-days/hf-api-${d}.json` })),
];
export const RATINGS = [0, 3, 10, 30];
/** Papers a liked area needs on the scored day, so that five picks can all be right. */
const MIN_AREA = 5;
const NOISE = 0.1;
const MORE_SHARE = 0.6;

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let map;
let matcher;
/** Settings other than the product's (--tune=name:value,…, picks/pick-settings.ts). */
const settings = {};
const NO_MATCHER = process.argv.includes('--no-matcher');
/** 1. One day, read, grouped, labelled and indexed. */
function loadDay(day) {
  map ??= loadTopicMap(path.join(ROOT, 'content/topics.yml'));
  matcher ??= buildTopicMatcher(map);
  const file = path.join(FIX, day.file);
  const { digest } = parseDigest(readFileSync(file), { name: path.basename(file) });
  const labels = JSON.parse(readFileSync(file.replace(/\.json$/, '.labels.json'), 'utf8'));
  const area = new Map(Object.entries(labels.paper_topics));
  const themed = assignTopics(digest, { map });
  const section = new Map();
  for (const t of themed.themes) for (const p of t.papers) section.set(p.id, t.kind === 'topic' ? { id: t.id, label: t.label } : null);
  const dayPapers = digest.papers.map((paper, rank) => ({ paper, topicId: section.get(paper.id)?.id ?? null, topicLabel: section.get(paper.id)?.label ?? null, rank }));
  const counts = new Map();
  for (const p of digest.papers) if (area.get(p.id)) counts.set(area.get(p.id), (counts.get(area.get(p.id)) ?? 0) + 1);
  return { ...day, papers: digest.papers, dayPapers, area, counts, index: indexDay(dayPapers, NO_MATCHER ? { settings } : { matcher, settings }) };
}

const rated = (paper, choice, k) => ({
  paperId: paper.id, title: paper.title, abstract: paper.abstract.slice(0, 4000), authors: paper.authors, keywords: paper.keywords, choice,
  ratedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
});

/** 2. A reader's ratings: scanning the tune days from day 1, in list order. */
function rate(days, liked, count, random, skip) {
  const more = Math.ceil(count * MORE_SHARE);
  const ratings = [];
  let ups = 0;
  for (const day of days) {
    for (const paper of day.papers) {
      if (ratings.length === count) return ratings;
      // An issue never carries a paper an earlier one did (issue history), so none of the scored day's.
      if (skip.has(paper.id)) continue;
      const inArea = liked.has(day.area.get(paper.id));
      // Noise: one rating in ten says the opposite of what the reader's areas say.
      const flip = (choice) => (random() < NOISE ? (choice === 'more' ? 'less' : 'more') : choice);
      if (inArea && ups < more) {
        ratings.push(rated(paper, flip('more'), ratings.length));
        ups++;
      }
      else if (!inArea && ratings.length - ups < count - more) ratings.push(rated(paper, flip('less'), ratings.length));
    }
  }
  return ratings;
}

/** 3. The topics that best match the liked areas on day 1 (F1 of a topic's section against the area). */
function topicsFor(day, liked) {
  const chosen = new Set();
  for (const a of liked) {
    const inArea = day.dayPapers.filter((p) => day.area.get(p.paper.id) === a);
    const bySection = new Map();
    for (const p of day.dayPapers) if (p.topicId) bySection.set(p.topicId, [...(bySection.get(p.topicId) ?? []), p]);
    let best = null;
    let bestF1 = 0;
    for (const [id, papers] of bySection) {
      const hit = papers.filter((p) => day.area.get(p.paper.id) === a).length;
      const f1 = (2 * hit) / (papers.length + inArea.length);
      if (f1 > bestF1) [best, bestF1] = [id, f1];
    }
    if (best) chosen.add(best);
  }
  return [...chosen];
}

/** 3. "Topics only": the papers of the reader's topics first, in the day's order, as a copy narrowed to them lists them (no picks). */
function topicsOnly(day, topics) {
  const chosen = new Set(topics);
  const inTopics = day.dayPapers.filter((p) => chosen.has(p.topicId));
  return { picks: inTopics.slice(0, 10).map((p) => ({ paperId: p.paper.id })) };
}

/** 4. The ranking a plan gives (picks, then the day's order) and its figures. */
function figures(day, plan, liked) {
  const picked = plan.picks.map((p) => p.paperId);
  const seen = new Set(picked);
  const ranking = [...picked, ...day.papers.map((p) => p.id).filter((id) => !seen.has(id))];
  const rel = (id) => (liked.has(day.area.get(id)) ? 1 : 0);
  // Strict: a plan with fewer than five picks counts the missing ones as misses.
  const p5 = picked.slice(0, 5).reduce((s, id) => s + rel(id), 0) / 5;
  // As the copy reads: the picks, then the day's order (a plan with five picks or more: the same).
  const p5Copy = ranking.slice(0, 5).reduce((s, id) => s + rel(id), 0) / 5;
  let dcg = 0;
  ranking.slice(0, 10).forEach((id, k) => (dcg += rel(id) / Math.log2(k + 2)));
  const relevant = day.papers.filter((p) => rel(p.id)).length;
  let ideal = 0;
  for (let k = 0; k < Math.min(10, relevant); k++) ideal += 1 / Math.log2(k + 2);
  return { p5, p5Copy, short: picked.length < 5 ? 1 : 0, ndcg: ideal === 0 ? 0 : dcg / ideal };
}

/** Runs the measurement; returns one row per scored day, areas and ratings count. */
export function measurePicks({ set = 'report', readers = 40, seed = 20261207, model } = {}) {
  const loaded = DAYS.map(loadDay);
  const rows = [];
  for (const scored of loaded.filter((d) => d.set === set)) {
    const source = loaded.filter((d) => d.set === 'tune' && d.kind === scored.kind && d !== scored);
    const tuneCount = (a) => source.reduce((s, d) => s + (d.counts.get(a) ?? 0), 0);
    const eligible = [...scored.counts.keys()].filter((a) => tuneCount(a) >= 3);
    for (const areas of [1, 2]) {
      const random = mulberry32(seed + areas * 1000 + scored.date.length * 7 + Number(scored.date.replaceAll('-', '')) % 9973);
      const sums = new Map();
      const byArea = new Map();
      let made = 0;
      for (let attempt = 0; made < readers && attempt < readers * 20; attempt++) {
        // 2. Areas, day 1, the tune days after it.
        const liked = new Set();
        while (liked.size < areas && liked.size < eligible.length) liked.add(eligible[Math.floor(random() * eligible.length)]);
        if (liked.size < areas) break;
        const onScored = [...liked].reduce((s, a) => s + scored.counts.get(a), 0);
        if (onScored < MIN_AREA || [...liked].some((a) => (scored.counts.get(a) ?? 0) === 0)) continue;
        const starts = source.filter((d) => [...liked].every((a) => (d.counts.get(a) ?? 0) >= (d.kind === 'HF' ? 1 : 3)));
        if (starts.length === 0) continue;
        const day1 = starts[Math.floor(random() * starts.length)];
        const days = [day1, ...source.filter((d) => d !== day1)];
        made++;
        const add = (key, f) => {
          const s = sums.get(key) ?? { p5: 0, p5Copy: 0, short: 0, ndcg: 0, n: 0 };
          s.p5 += f.p5;
          s.p5Copy += f.p5Copy;
          s.short += f.short;
          s.ndcg += f.ndcg;
          s.n++;
          sums.set(key, s);
        };
        const topics = topicsFor(day1, liked);
        add('topics', figures(scored, topicsOnly(scored, topics), liked));
        const ratingSeed = Math.floor(random() * 2 ** 31);
        for (const count of RATINGS) {
          const ratings = rate(days, liked, count, mulberry32(ratingSeed), scored.index.ids);
          const signals = { ratings, follows: [] };
          add(`model-${count}`, figures(scored, planReader(scored.index, { signals, topics: null }, { picks: 10, model }), liked));
          const bothPlan = planReader(scored.index, { signals, topics }, { picks: 10, model });
          const both = figures(scored, bothPlan, liked);
          add(`both-${count}`, both);
          if (count === 10) {
            // One row per liked area(s): where picks go wrong (--by-area); a wrong pick (of the
            // first five) "in section" sits in a followed topic's section: the grouping put it
            // there, the editor labelled it another area.
            const key = [...liked].sort().join('+');
            const a = byArea.get(key) ?? { onDay: [...liked].map((l) => scored.counts.get(l)), readers: 0, p5: 0, wrong: 0, inSection: 0 };
            a.readers++;
            a.p5 += both.p5;
            for (const { paperId } of bothPlan.picks.slice(0, 5)) {
              if (liked.has(scored.area.get(paperId))) continue;
              a.wrong++;
              if (topics.includes(scored.dayPapers[scored.index.ids.get(paperId)].topicId)) a.inSection++;
            }
            byArea.set(key, a);
          }
          if (process.env.PICKS_DEBUG && count === 10 && areas === 1) {
            const plan = planReader(scored.index, { signals, topics }, { picks: 5, model });
            const a = [...liked][0];
            console.error(JSON.stringify({ date: scored.date, area: a, onDay: scored.counts.get(a), topics, p5: figures(scored, plan, liked).p5, got: plan.picks.map((p) => `${scored.area.get(p.paperId)}/${scored.dayPapers[scored.index.ids.get(p.paperId)].topicId}: ${p.reason.slice(0, 60)}`) }));
          }
        }
      }
      const avg = (key) => {
        const s = sums.get(key);
        return s ? { p5: s.p5 / s.n, ndcg: s.ndcg / s.n, p5Copy: s.p5Copy / s.n, short: s.short / s.n } : null;
      };
      if (made === 0) continue;
      rows.push({
        set, kind: scored.kind, date: scored.date, areas, readers: made, topics: avg('topics'),
        byArea: Object.fromEntries([...byArea].map(([k, a]) => [k, { onDay: a.onDay, readers: a.readers, p5: a.p5 / a.readers, wrong: a.wrong, inSection: a.inSection }])),
        byRatings: Object.fromEntries(RATINGS.map((c) => [c, { model: avg(`model-${c}`), both: avg(`both-${c}`) }])),
      });
    }
  }
  return rows;
}

/**
 * --loo="a:1;b:2,c:3": is a choice of settings worth more than the product's on days it was
 * not chosen on? Each setting (and the product's, "default") is measured on the tune days;
 * then for each tune day in turn, the setting best on the other tune days is taken and its
 * figure on that day kept (leave one day out). Printed per area count and ratings (reader with
 * topics, P@5), beside the product's settings on the same days.
 */
function looTune(tunes, setTo, readers) {
  const runs = new Map();
  for (const tune of ['default', ...tunes.filter((t) => t !== 'default')]) {
    setTo(tune);
    runs.set(tune, measurePicks({ set: 'tune', readers }));
  }
  setTo('default');
  for (const areas of [1, 2]) {
    for (const ratings of RATINGS.filter((c) => c > 0)) {
      const fig = (tune, date) => runs.get(tune).find((r) => r.date === date && r.areas === areas)?.byRatings[ratings].both.p5;
      const days = [...new Set(runs.get('default').map((r) => r.date))].filter((d) => fig('default', d) !== undefined);
      const avg = (tune, ds) => ds.reduce((s, d) => s + fig(tune, d), 0) / ds.length;
      let held = 0;
      const chosen = days.map((d) => {
        const rest = days.filter((x) => x !== d);
        // Ties go to the product's settings.
        const best = [...runs.keys()].reduce((a, b) => (avg(b, rest) > avg(a, rest) ? b : a), 'default');
        held += fig(best, d) / days.length;
        return best;
      });
      console.log(`${areas} area(s), ${ratings} ratings: P@5 default ${avg('default', days).toFixed(3)}, chosen leaving one day out ${held.toFixed(3)} (chosen: ${[...new Set(chosen)].join(' / ')}); on all tune days: ${[...runs.keys()].map((t) => `${t} ${avg(t, days).toFixed(3)}`).join(', ')}`);
    }
  }
}

/** Mean of a figure over rows. */
export function mean(rows, get) {
  return rows.reduce((s, r) => s + get(r), 0) / rows.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
  const model = args.c ? { c: Number(args.c) } : undefined;
  const setTo = (tune) => {
    for (const k of Object.keys(settings)) delete settings[k];
    if (tune !== 'default') for (const kv of tune.split(',')) settings[kv.split(':')[0]] = Number(kv.split(':')[1]);
  };
  if (typeof args.loo === 'string') {
    looTune(args.loo.split(';'), setTo, Number(args.readers ?? 40));
    process.exit(0);
  }
  if (typeof args.tune === 'string') setTo(args.tune);
  const rows = measurePicks({ set: args.set ?? 'report', readers: Number(args.readers ?? 40), model });
  if (args.summary) {
    const f = (x) => x.toFixed(3);
    const line = [args.tune ?? 'default'];
    for (const areas of [1, 2]) {
      const sub = rows.filter((r) => r.areas === areas && (args.kind === undefined || r.kind === args.kind));
      line.push(`| ${areas}a topics ${f(mean(sub, (r) => r.topics.p5))}/${f(mean(sub, (r) => r.topics.ndcg))}`);
      for (const c of [3, 10, 30]) line.push(`${c}: ${f(mean(sub, (r) => r.byRatings[c].model.p5))}/${f(mean(sub, (r) => r.byRatings[c].model.ndcg))} +t ${f(mean(sub, (r) => r.byRatings[c].both.p5))}/${f(mean(sub, (r) => r.byRatings[c].both.ndcg))}`);
    }
    console.log(line.join(' '));
    process.exit(0);
  }
  if (args['by-area']) {
    // Precision@5 at 10 ratings (reader with topics), per liked area: papers of it on the scored day, readers, P@5;
    // then how many wrong picks the grouping had put in the reader's own topics.
    for (const r of rows.filter((x) => x.areas === 1)) {
      console.log(`${r.date} ${r.kind}: ` + Object.entries(r.byArea).sort((a, b) => a[1].p5 - b[1].p5).map(([k, a]) => `${k}(${a.onDay.join('+')}) ×${a.readers} ${a.p5.toFixed(2)}`).join('; '));
    }
    for (const areas of [1, 2]) {
      const all = rows.filter((x) => x.areas === areas).flatMap((r) => Object.values(r.byArea));
      const wrong = all.reduce((s, a) => s + a.wrong, 0);
      const inSection = all.reduce((s, a) => s + a.inSection, 0);
      console.log(`${areas} area(s): ${wrong} wrong picks among the first five, ${inSection} (${((100 * inSection) / Math.max(1, wrong)).toFixed(0)}%) in a followed topic's section`);
    }
    process.exit(0);
  }
  if (args.json) {
    console.log(JSON.stringify(rows, null, 1));
    process.exit(0);
  }
  const f = (x) => x.toFixed(2);
  const cell = (x) => `${f(x.p5)} / ${f(x.ndcg)}`;
  const title = args.set === 'tune' ? 'Tune days (readers rate on tune days, scored on another tune day)' : 'Report days (held out; readers rate on the tune days before)';
  // The reader of the issue follows the topics of their areas and rates papers ("with topics");
  // "ratings alone" is the same reader with every topic (no topic chosen).
  for (const [variant, label] of [['both', 'reader with topics and ratings'], ['model', 'ratings alone (every topic)']]) {
    console.log(`\n### ${title}: ${label}\n`);
    console.log('| day | source | areas | readers | topics only P@5 / nDCG@10 | ' + RATINGS.map((c) => `${c} ratings`).join(' | ') + ' |');
    console.log('|' + ' --- |'.repeat(5 + RATINGS.length));
    for (const r of rows) console.log(`| ${r.date} | ${r.kind} | ${r.areas} | ${r.readers} | ${cell(r.topics)} | ${RATINGS.map((c) => cell(r.byRatings[c][variant])).join(' | ')} |`);
    for (const areas of [1, 2]) {
      const sub = rows.filter((r) => r.areas === areas);
      if (sub.length === 0) continue;
      const avg = (get) => ({ p5: mean(sub, (r) => get(r).p5), ndcg: mean(sub, (r) => get(r).ndcg) });
      console.log(`| **mean** | | ${areas} | | ${cell(avg((r) => r.topics))} | ${RATINGS.map((c) => cell(avg((r) => r.byRatings[c][variant]))).join(' | ')} |`);
    }
    // Precision@5 above is strict (missing picks are misses); the copy's first five fill them from the day's order.
    for (const areas of [1, 2]) {
      const sub = rows.filter((r) => r.areas === areas);
      if (sub.length === 0) continue;
      const at = (get) => RATINGS.map((c) => `${c}: ${f(mean(sub, (r) => get(r.byRatings[c][variant])))}`).join(', ');
      console.log(`\n${areas} area(s): plans with fewer than five picks ${at((x) => x.short)}; P@5 of the copy's first five (picks, then the day's order) ${at((x) => x.p5Copy)}; topics only ${f(mean(sub, (r) => r.topics.p5Copy))} (strict ${f(mean(sub, (r) => r.topics.p5))})`);
    }
  }
}
