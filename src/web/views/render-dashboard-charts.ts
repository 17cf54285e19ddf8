/**
 * /admin's charts (issue #22, item 5), from the summary tables (store/roles/dashboard-stats.ts):
 * 1. subscribers over time, one line per status, each with a different dash and its name and
 *    count written at its end (labels that would print over each other are moved apart, up or
 *    down as there is room, with a short leader to their line);
 * 2. per issue, the mail of the newest issues: sent, deferred and failed stacked (failed
 *    hatched), every bar with a <title> giving all its numbers;
 * 3. per issue, complaints as a share of sent mail against the 0.3% line (Gmail's and Yahoo's
 *    bulk-sender limit), bars over it marked with "!" as well as colour; the line is named in a
 *    key under the axis, where no bar can cover it, and on the axis when there is room;
 * 4. per topic, its followers (active subscribers), a horizontal bar each under its name.
 * Axis margins are sized from the numbers they print (textWidth), so none is cut off.
 */
import type { IssueStats, StatusDayDelta, TopicFollowers } from '../../store/store.js';
import type { SubscriberStatus } from '../../types.js';
import { plural } from '../../plural.js';
import { renderHtml as h, type Html } from './render-html.js';
import { CHART_WIDTH as W, fmt, hatch, r2, renderSvgChart, textWidth } from './render-svg-chart.js';

/** The complaint rate over which big mailbox providers start refusing a sender. */
export const COMPLAINT_LIMIT = 0.003;

const STATUS_LINES: { status: SubscriberStatus; label: string; colour: string; dash: string }[] = [
  { status: 'active', label: 'active', colour: '#1a7f37', dash: '' },
  { status: 'pending', label: 'pending', colour: '#8a4600', dash: '8 4' },
  { status: 'unsubscribed', label: 'left', colour: '#57606a', dash: '2 4' },
  { status: 'bounced', label: 'bounced', colour: '#b3261e', dash: '12 4 2 4' },
  { status: 'complained', label: 'complained', colour: '#6e3fc9', dash: '4 2' },
];

/** The count of each status at the end of each day with a change, oldest first. */
export function statusSeries(days: StatusDayDelta[]): { day: string; counts: Record<SubscriberStatus, number> }[] {
  const running: Record<SubscriberStatus, number> = { active: 0, pending: 0, unsubscribed: 0, bounced: 0, complained: 0 };
  const out: { day: string; counts: Record<SubscriberStatus, number> }[] = [];
  for (const d of days) {
    if (out.at(-1)?.day !== d.day) out.push({ day: d.day, counts: running });
    running[d.status] += d.delta;
    out[out.length - 1] = { day: d.day, counts: { ...running } };
  }
  return out;
}

/** 1. Subscribers over time. */
export function renderSubscriberChart(days: StatusDayDelta[]): Html {
  const series = statusSeries(days);
  const last = series.at(-1)?.counts ?? { active: 0, pending: 0, unsubscribed: 0, bounced: 0, complained: 0 };
  const desc = `${series.length === 0 ? 'No subscribers yet' : `From ${series[0]!.day} to ${series.at(-1)!.day}`}; now ${STATUS_LINES.map((l) => `${fmt(last[l.status])} ${l.label}`).join(', ')}.`;
  const height = 300;
  const max = Math.max(1, ...series.flatMap((p) => Object.values(p.counts)));
  const labelWidth = Math.max(...STATUS_LINES.map((l) => textWidth(`${l.label} ${fmt(last[l.status])}`)));
  const [left, right, top, bottom] = [Math.max(40, 14 + textWidth(fmt(max))), W - 16 - labelWidth, 24, height - 40];
  const t0 = series.length > 0 ? Date.parse(series[0]!.day) : 0;
  const span = Math.max(1, (series.length > 0 ? Date.parse(series.at(-1)!.day) : 0) - t0);
  const x = (day: string) => r2(series.length < 2 ? right : left + ((Date.parse(day) - t0) / span) * (right - left));
  const y = (n: number) => r2(bottom - (n / max) * (bottom - top));
  const xs = series.map((p) => x(p.day));
  // End labels, one line of text apart: pushed down past the one above, then, where that ran
  // past the axis, pushed back up from it, so a crowd near zero stacks upwards and a label that
  // is clear of the crowd stays beside its line.
  const gap = 24;
  const ends = STATUS_LINES.map((l) => ({ ...l, line: y(last[l.status]), y: y(last[l.status]) })).sort((a, b) => a.y - b.y);
  for (let i = 1; i < ends.length; i++) ends[i]!.y = Math.max(ends[i]!.y, ends[i - 1]!.y + gap);
  if (ends.length > 0) ends[ends.length - 1]!.y = Math.min(ends.at(-1)!.y, bottom);
  for (let i = ends.length - 2; i >= 0; i--) ends[i]!.y = Math.min(ends[i]!.y, ends[i + 1]!.y - gap);
  const body = h`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#6e7781"/>
<line x1="${left}" y1="${top}" x2="${right}" y2="${top}" stroke="#d0d7de"/>
<text x="${left - 6}" y="${top + 5}" text-anchor="end">${fmt(max)}</text><text x="${left - 6}" y="${bottom + 5}" text-anchor="end">0</text>
${series.length > 0 ? h`${series.length > 1 ? h`<text x="${left}" y="${height - 12}">${series[0]!.day}</text>` : ''}<text x="${right}" y="${height - 12}" text-anchor="end">${series.at(-1)!.day}</text>` : ''}
${STATUS_LINES.map((l) => {
  const points = series.map((p, k) => `${xs[k]},${y(p.counts[l.status])}`).join(' ');
  return h`<polyline fill="none" stroke="${l.colour}" stroke-width="3" stroke-dasharray="${l.dash || 'none'}" points="${series.length === 1 ? `${left},${y(last[l.status])} ${points}` : points}"><title>${l.label}: ${fmt(last[l.status])} now</title></polyline>`;
})}
${ends.map((e) => h`${Math.abs(e.y - e.line) > 3 ? h`<line x1="${right}" y1="${e.line}" x2="${right + 8}" y2="${r2(e.y)}" stroke="${e.colour}" stroke-width="1.5"/>` : ''}<text x="${right + 12}" y="${r2(e.y + 7)}" fill="${e.colour === '#57606a' ? '#1f2328' : e.colour}">${e.label} ${fmt(last[e.status])}</text>`)}`;
  return renderSvgChart({ id: 'chart-subscribers', title: 'Subscribers over time', desc, height, body });
}

/** What one issue's bar says in words. */
export function describeIssue(i: IssueStats): string {
  const rate = i.sent > 0 ? (i.complaints / i.sent) * 100 : 0;
  return `${i.issueId}: ${fmt(i.sent)} sent, ${fmt(i.deferred)} deferred, ${fmt(i.failed)} failed, ${plural(i.hard + i.failed, 'hard bounce')}, ${plural(i.soft, 'soft bounce')}, ${plural(i.complaints, 'complaint')} (${rate.toFixed(2)}%), ${plural(i.unsubscribes, 'unsubscribe')}`;
}

/** 2. Deliveries per issue (`issues` newest first, drawn oldest first). */
export function renderIssueChart(issues: IssueStats[]): Html {
  const rows = [...issues].reverse();
  const height = 280;
  const max = Math.max(1, ...rows.map((i) => i.sent + i.deferred + i.failed + i.queued));
  const [left, right, top, bottom] = [Math.max(40, 14 + textWidth(fmt(max))), W - 10, 24, height - 40];
  const step = (right - left) / Math.max(1, rows.length);
  const bw = r2(Math.max(2, step * 0.7));
  const y = (n: number) => (n / max) * (bottom - top);
  const totals = rows.reduce((t, i) => ({ sent: t.sent + i.sent, deferred: t.deferred + i.deferred, failed: t.failed + i.failed }), { sent: 0, deferred: 0, failed: 0 });
  const desc = rows.length === 0 ? 'No issue stored yet.' : `The newest ${plural(rows.length, 'issue')}, ${rows[0]!.issueId} to ${rows.at(-1)!.issueId}: ${fmt(totals.sent)} sent, ${fmt(totals.deferred)} deferred, ${fmt(totals.failed)} failed in all. Each bar: sent (solid), deferred (light), failed (hatched).`;
  const body = h`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#6e7781"/>
<text x="${left - 6}" y="${top + 5}" text-anchor="end">${fmt(max)}</text><text x="${left - 6}" y="${bottom + 5}" text-anchor="end">0</text>
${rows.length > 0 ? h`<text x="${left}" y="${height - 12}">${rows[0]!.issueId}</text><text x="${right}" y="${height - 12}" text-anchor="end">${rows.at(-1)!.issueId}</text>` : ''}
${rows.map((i, k) => {
  const x = r2(left + k * step + (step - bw) / 2);
  const hs = y(i.sent), hd = y(i.deferred), hf = y(i.failed);
  return h`<g class="issue-bar" data-issue="${i.issueId}"><title>${describeIssue(i)}</title>
<rect x="${x}" y="${r2(bottom - hs)}" width="${bw}" height="${r2(hs)}" fill="#1a7f37"/>
<rect x="${x}" y="${r2(bottom - hs - hd)}" width="${bw}" height="${r2(hd)}" fill="#f0b37e"/>
<rect x="${x}" y="${r2(bottom - hs - hd - hf)}" width="${bw}" height="${r2(hf)}" fill="${hatch('chart-issues')}" stroke="#8a4600"/></g>`;
})}`;
  return renderSvgChart({ id: 'chart-issues', title: 'Mail per issue', desc, height, body });
}

/** 3. Complaint rate per issue against the 0.3% line. */
export function renderComplaintChart(issues: IssueStats[]): Html {
  const rows = [...issues].reverse();
  const height = 260;
  const rates = rows.map((i) => (i.sent > 0 ? i.complaints / i.sent : 0));
  const max = Math.max(COMPLAINT_LIMIT * 2, ...rates);
  const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
  // Room above the tallest bar for its "!", and under the axis for the key that names the line.
  const [left, right, top, bottom] = [Math.max(40, 14 + textWidth(pct(max))), W - 10, 34, height - 48];
  const step = (right - left) / Math.max(1, rows.length);
  const bw = r2(Math.max(2, step * 0.7));
  const y = (rate: number) => r2(bottom - (rate / max) * (bottom - top));
  const over = rows.filter((_, k) => rates[k]! > COMPLAINT_LIMIT);
  const desc = rows.length === 0 ? 'No issue stored yet.' : over.length === 0 ? `No issue went over 0.3% complaints.` : `Over the 0.3% line: ${over.map((i) => i.issueId).join(', ')} (marked !).`;
  const limitY = y(COMPLAINT_LIMIT);
  // The line's value on the axis too, unless it would print over the top or bottom number.
  const tick = limitY - top >= 24 && bottom - limitY >= 24;
  const body = h`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#6e7781"/>
<text x="${left - 6}" y="${top + 7}" text-anchor="end">${pct(max)}</text><text x="${left - 6}" y="${bottom + 7}" text-anchor="end">0%</text>
${tick ? h`<text x="${left - 6}" y="${r2(limitY + 7)}" text-anchor="end" fill="#b3261e">0.3%</text>` : ''}
${rows.map((i, k) => {
  const x = r2(left + k * step + (step - bw) / 2);
  const bad = rates[k]! > COMPLAINT_LIMIT;
  return h`<g class="complaint-bar" data-issue="${i.issueId}"><title>${i.issueId}: ${plural(i.complaints, 'complaint')} of ${fmt(i.sent)} sent (${(rates[k]! * 100).toFixed(2)}%)</title>
<rect x="${x}" y="${y(rates[k]!)}" width="${bw}" height="${r2(bottom - y(rates[k]!))}" fill="${bad ? '#b3261e' : '#57606a'}"/>${bad ? h`<text x="${r2(x + bw / 2)}" y="${r2(y(rates[k]!) - 6)}" text-anchor="middle" font-weight="700">!</text>` : ''}</g>`;
})}
<line x1="${left}" y1="${limitY}" x2="${right}" y2="${limitY}" stroke="#b3261e" stroke-width="2" stroke-dasharray="6 4"/>
<line x1="${left}" y1="${height - 19}" x2="${left + 40}" y2="${height - 19}" stroke="#b3261e" stroke-width="2" stroke-dasharray="6 4"/>
<text x="${left + 48}" y="${height - 12}" fill="#b3261e">0.3% limit</text>`;
  return renderSvgChart({ id: 'chart-complaints', title: 'Complaints per issue', desc, height, body });
}

/** 4. Followers per topic; `labels` names topic ids ('*' is everyone who takes every topic). */
export function renderTopicChart(followers: TopicFollowers[], labels: Map<string, string>): Html {
  const rows = followers.map((f) => ({ ...f, label: f.topic === '*' ? 'Every topic' : (labels.get(f.topic) ?? f.topic) }));
  // Each topic's name on a line of its own over its bar, so a long name is not cut short to
  // fit a margin (a 375 px phone has room for about 40 characters).
  const row = 48;
  const height = Math.max(60, rows.length * row + 8);
  const max = Math.max(1, ...rows.map((r) => r.followers));
  const [left, right] = [8, W - 14 - textWidth(fmt(max))];
  const room = Math.floor((W - left) / 12.5);
  const desc = rows.length === 0 ? 'No active subscriber yet.' : rows.map((r) => `${r.label} ${fmt(r.followers)}`).join(', ') + '.';
  const body = h`${rows.map((r, k) => {
    const yk = 4 + k * row;
    const wk = r2(Math.max(1, (r.followers / max) * (right - left)));
    return h`<g class="topic-bar" data-topic="${r.topic}"><title>${r.label}: ${plural(r.followers, 'follower')}</title>
<text x="${left}" y="${yk + 18}">${r.label.length > room ? `${r.label.slice(0, room - 1)}…` : r.label}</text>
<rect x="${left}" y="${yk + 26}" width="${wk}" height="16" fill="${r.topic === '*' ? hatch('chart-topics') : '#0b57d0'}" stroke="#0b57d0"/>
<text x="${r2(left + wk + 6)}" y="${yk + 41}">${fmt(r.followers)}</text></g>`;
  })}`;
  return renderSvgChart({ id: 'chart-topics', title: 'Followers per topic', desc, height, body });
}
