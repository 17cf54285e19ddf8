/**
 * /admin's table of issues: drafts and the newest stored issues, with their mail. On a phone
 * (under 40rem) each row stacks into a card whose cells carry their column's name, so nothing
 * hides in a sideways scroll and the caption wraps instead of being clipped (issue #22).
 */
import { renderHtml as h, type Html } from './render-html.js';

/** One row: a draft (not sent) or a stored issue. */
export interface IssueRow {
  id: string;
  kind: 'draft' | 'sent' | 'sending' | 'deferred';
  subject: Html | string;
  topics: number;
  papers: number;
  deliveries: Html | string;
  reports: Html | string;
}

/** The table; `caption` says where the rows come from. */
export function renderIssueTable(rows: IssueRow[], caption: string): Html {
  // Plain cells: on a phone the stylesheet writes each column's name before its cell (nth-child).
  const cell = (_label: string, value: unknown) => h`<td>${value}</td>`;
  return h`<table class="stack">
<caption class="muted">${caption}</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Subject or source</th><th scope="col">Topics</th><th scope="col">Papers</th><th scope="col">Deliveries</th><th scope="col">Bounces, complaints, unsubscribes</th></tr></thead>
<tbody>
${rows.map(
  (r) =>
    h`<tr>${cell('Date', h`<a href="/admin/issues/${r.id}">${r.id}</a>`)}${cell('Status', h`<span class="tag ${r.kind === 'sent' || r.kind === 'sending' ? 'sent' : r.kind}">${r.kind}</span>`)}${cell('Subject', r.subject)}${cell('Topics', r.topics)}${cell('Papers', r.papers)}${cell('Deliveries', r.deliveries)}${cell('Reports', r.reports)}</tr>`,
)}
</tbody></table>`;
}
