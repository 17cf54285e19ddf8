/**
 * The body of /admin/issues/<date>: the issue as one recipient gets it (envelope, HTML size
 * against Gmail's clip line, what came back after the send, why each paper is in its topic,
 * render warnings, the HTML framed at 600 and 375 px, the plain text) and the "send a test"
 * form. It only renders the model build-issue-preview.ts makes.
 */
import { percent } from '../../bounces/complaint-rates.js';
import { formatDate } from '../../render/format-date.js';
import { GMAIL_CLIP_BYTES, type IssuePreview } from '../build-issue-preview.js';
import { renderHtml as h, type Html } from './render-html.js';
import { renderMailEventTable } from './render-mail-event-table.js';
import { renderTopicExplanations } from './render-topic-insights.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** What came back from a sent issue: bounces, complaints and the complaint rate against the 0.3% line. */
function renderAfterTheSend({ health, events }: NonNullable<IssuePreview['afterSend']>): Html {
  return h`<h2>After the send</h2>
<dl class="facts">
<dt>Accepted</dt><dd>${health.accepted}</dd>
<dt>Bounced</dt><dd>${health.hard} hard, ${health.soft} soft</dd>
<dt>Complaints</dt><dd>${health.complaints}: ${percent(health.complaintRate)} of accepted${health.overLine ? h` <strong class="problem">over the 0.3% Gmail and Yahoo allow bulk senders</strong>` : h` (the line is 0.3%)`}</dd>
</dl>
${renderMailEventTable(events)}`;
}

/** The page body for `p`; `flash` is the line above it (a test sent or refused), `csrf` the admin form's hidden field. */
export function renderIssuePreview(p: IssuePreview, { flash, csrf }: { flash: Html | string; csrf: Html }): Html {
  const { date, compiled, frozen, as, htmlBytes, textBytes } = p;
  const asQuery = as ? `?as=${encodeURIComponent(as)}` : '';
  const frame = `/admin/issues/${date}/frame${asQuery}`;
  return h`<h1>Issue of ${formatDate(date, 'long') || date}</h1>
${flash}
${
  frozen
    ? h`<p><span class="tag sent">sent</span> The frozen issue, stored ${frozen.createdAt}${frozen.sentAt ? h`, completely sent ${frozen.sentAt}` : ' (still being sent)'}. This is the issue exactly as it went out; editing the templates does not change it.${as ? ' A reader\'s copy of it is laid out with their topics, follows and ratings as they are now: their picks may differ from the ones they were sent.' : ''}</p>`
    : h`<p><span class="tag draft">draft</span> Rendered from the templates (TEMPLATES_DIR) just now: edit a template and reload to see the change.</p>`
}
<form method="get" action="/admin/issues/${date}">
<label for="as">Preview as subscriber <span class="hint">Their address; leave empty for a reader of every topic.</span></label>
<div class="row"><input id="as" name="as" type="email" value="${as ?? ''}" autocomplete="off"><button type="submit" class="secondary">Show their copy</button></div>
</form>
<p>Showing the copy for ${p.who}.</p>
${p.notes.map((n) => h`<p class="notice">${n}</p>`)}
<h2>Envelope</h2>
<dl class="facts">
<dt>Subject</dt><dd>${p.copy?.subject ?? '—'}</dd>
<dt>Preheader</dt><dd>${p.copy?.preheader ?? '—'}</dd>
<dt>HTML size</dt><dd><meter id="size" min="0" max="${GMAIL_CLIP_BYTES}" low="${Math.round(GMAIL_CLIP_BYTES * 0.85)}" high="${Math.round(GMAIL_CLIP_BYTES * 0.95)}" optimum="0" value="${Math.min(htmlBytes, GMAIL_CLIP_BYTES)}">${kb(htmlBytes)}</meter> ${kb(htmlBytes)} of Gmail's ${kb(GMAIL_CLIP_BYTES)} clip line (${Math.round((htmlBytes / GMAIL_CLIP_BYTES) * 100)}%)${p.overClip ? h` <strong>: Gmail will clip this copy and hide its footer, unsubscribe link included.</strong>` : ''}</dd>
<dt>Text size</dt><dd>${kb(textBytes)}</dd>
<dt>Topics</dt><dd>${compiled.sections.length}: ${compiled.sections.map((s) => s.label).join(', ')}</dd>
<dt>Papers</dt><dd>${compiled.shownPaperCount} shown of ${compiled.paperCount}</dd>
</dl>
${p.afterSend ? renderAfterTheSend(p.afterSend) : ''}
${p.explanations ? renderTopicExplanations(p.explanations) : ''}
<h2>Render warnings</h2>
${compiled.warnings.length === 0 ? h`<p>None.</p>` : h`<ul>${compiled.warnings.map((w) => h`<li>${w}</li>`)}</ul>`}
${
  p.copy
    ? h`<h2>HTML</h2>
<div class="frames">
<figure><figcaption>Desktop, 600 px</figcaption><iframe class="desktop" src="${frame}" title="The email at 600 pixels wide" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe></figure>
<figure><figcaption>Phone, 375 px</figcaption><iframe class="phone" src="${frame}" title="The email at 375 pixels wide" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe></figure>
</div>
<h2>Plain text</h2>
<pre tabindex="0" aria-label="The plain-text part">${p.copy.text}</pre>`
    : ''
}
<h2>Send a test</h2>
<form method="post" action="/admin/issues/${date}/test">
${csrf}
<label for="to">Send a test to <span class="hint">One address. It gets the copy for a reader of every topic, subject prefixed [TEST], outside the ledger (like paperpost send --to).</span></label>
<div class="row"><input id="to" name="to" type="email" required autocomplete="email"><button type="submit">Send the test</button></div>
</form>`;
}
