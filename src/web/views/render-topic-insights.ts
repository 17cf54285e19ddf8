/**
 * What the operator needs to keep the topic map good: the emerging clusters of recent issues
 * (papers that fit no topic but came in threes or more), each with a ready topics.yml entry
 * to copy, and for an issue, why each paper is where it is.
 */
import type { IssuePaper } from '../../store/store.js';
import type { TopicExplanation } from '../../topics/explain-topics.js';
import { EMERGING_ID_PREFIX } from '../../topics/load-topic-map.js';
import { renderHtml as h, type Html } from './render-html.js';

/** Emerging clusters among `papers` (the issue papers of recent issues), newest first. */
export function renderEmergingClusters(papers: IssuePaper[]): Html {
  const clusters = new Map<string, { label: string; issues: Set<string>; titles: string[]; keywords: Map<string, number> }>();
  for (const p of papers) {
    if (!p.themeId?.startsWith(EMERGING_ID_PREFIX)) continue;
    let c = clusters.get(p.themeId);
    if (!c) clusters.set(p.themeId, (c = { label: p.themeLabel, issues: new Set(), titles: [], keywords: new Map() }));
    c.issues.add(p.issueId);
    c.titles.push(p.title);
    for (const k of p.keywords ?? []) c.keywords.set(k.toLowerCase(), (c.keywords.get(k.toLowerCase()) ?? 0) + 1);
  }
  if (clusters.size === 0) return h`<h2>Emerging clusters</h2><p>None lately: every paper of the recent issues fitted a topic or the catch-all.</p>`;
  return h`<h2>Emerging clusters</h2>
<p>Papers of recent issues that fitted no topic but came in threes or more. To make one a topic, copy its entry into content/topics.yml and edit the description and phrases.</p>
${[...clusters].map(([id, c]) => {
  const phrases = [c.label.toLowerCase(), ...[...c.keywords].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k)]
    .filter((v, i, all) => all.indexOf(v) === i)
    .slice(0, 8);
  const entry = `  - id: ${id.slice(EMERGING_ID_PREFIX.length)}\n    label: ${c.label}\n    description: (one line: what papers of this topic do)\n    phrases: [${phrases.map((p) => (/^[a-z0-9][a-z0-9 -]*$/.test(p) ? p : JSON.stringify(p))).join(', ')}]\n`;
  return h`<h3>${c.label} <span class="muted">· ${c.titles.length} papers in ${[...c.issues].sort().reverse().join(', ')}</span></h3>
<ul>${c.titles.slice(0, 8).map((t) => h`<li>${t}</li>`)}</ul>
<pre tabindex="0" aria-label="topics.yml entry for ${c.label}">${entry}</pre>`;
})}`;
}

/** Why each paper of an issue is where it is: the section it landed in and its best candidate topics. */
export function renderTopicExplanations(rows: { title: string; placedIn: string; why: TopicExplanation }[]): Html {
  return h`<details><summary>Why each paper is in its topic</summary>
<div class="scroll" role="region" aria-label="Topic scores" tabindex="0"><table>
<thead><tr><th scope="col">Paper</th><th scope="col">In the issue</th><th scope="col">Candidate topics (score: matched terms)</th></tr></thead>
<tbody>
${rows.map(
  (r) => h`<tr><td>${r.title}</td><td>${r.placedIn}</td><td>${r.why.candidates.length === 0 ? h`<span class="muted">no topic term matched</span>` : ''}${r.why.candidates.slice(0, 3).map(
    (c, i) => h`${i > 0 ? h`<br>` : ''}${c.label} ${c.score.toFixed(1)}: ${c.matches.slice(0, 4).map((m) => m.term + (m.learned ? '*' : '')).join(', ')}`,
  )}</td></tr>`,
)}
</tbody></table></div>
<p class="muted">A paper joins its best topic from a score of ${rows[0]?.why.threshold ?? 3}; * marks a term the topic learned from earlier issues. The same with paperpost topics explain.</p>
</details>`;
}
