/**
 * The preview's side panel, as an HTML fragment the page fetches after every build: the
 * build's error with its file:line (the last good issue stays in the frame, marked stale), who
 * the copy is for, subject and preheader, a size badge against Gmail's clip line (amber from
 * 50 KB, red at 102 KB, as Maizzle's dev server shows it), the pre-send checks, and the
 * plain-text part beside the HTML.
 */
import { GMAIL_CLIP_BYTES, SIZE_AMBER_BYTES, type CheckProblem } from '../../render/checks/check-problem.js';
import { plural } from '../../plural.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import type { PreviewView } from './create-preview-session.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The size badge: ok, amber (past 50 KB) or over (Gmail clips). */
export function sizeBadge(bytes: number): Html {
  const level = bytes >= GMAIL_CLIP_BYTES ? 'over' : bytes >= SIZE_AMBER_BYTES ? 'amber' : 'ok';
  const say = level === 'over' ? 'Gmail clips it' : level === 'amber' ? 'past 50 KB' : 'well under the clip line';
  return h`<p id="size" class="badge ${level}" data-level="${level}" data-bytes="${bytes}">HTML ${kb(bytes)} of Gmail's ${kb(GMAIL_CLIP_BYTES)} clip line (${Math.round((bytes / GMAIL_CLIP_BYTES) * 100)}%): ${say}</p>`;
}

function renderChecks(problems: CheckProblem[], linkCheck: PreviewView['linkCheck']): Html {
  const errors = problems.filter((p) => p.level === 'error').length;
  const summary = problems.length === 0 ? 'All checks pass.' : `${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')}. An error stops a send unless SEND_CHECKS=warn.`;
  const links = linkCheck === 'pending' ? h`<p class="muted" id="link-check">Fetching the links…</p>` : linkCheck === 'done' ? h`<p class="muted" id="link-check">Every link fetched.</p>` : '';
  return h`<h2>Checks</h2>
<p id="checks-summary">${summary}</p>
${links}
<ul id="checks">${problems.map((p) => h`<li class="${p.level}" data-check="${p.check}"><strong>${p.level}</strong> ${p.check}: ${p.message}</li>`)}</ul>`;
}

/** The panel for `v`. */
export function renderPreviewPanel(v: PreviewView): Html {
  const error = v.error
    ? h`<div id="build-error" class="build-error" role="alert"><h2>The templates do not compile</h2><p>${v.error}</p>${v.stale ? h`<p>The frame shows the last issue that compiled.</p>` : ''}</div>`
    : '';
  const copy = v.copy;
  return h`<div id="panel-body" data-version="${v.version}">
${error}
<p class="muted" id="build">Build ${v.version}${v.issueId ? h`, issue ${v.issueId}` : ''}, in ${v.buildMs} ms.</p>
<p id="who">As ${v.who}.</p>
${v.notes.map((n) => h`<p class="notice">${n}</p>`)}
${
  copy
    ? h`<dl class="facts"><dt>Subject</dt><dd id="subject">${copy.copy.subject}</dd><dt>Preheader</dt><dd id="preheader">${copy.copy.preheader}</dd></dl>
${sizeBadge(Buffer.byteLength(copy.copy.html))}
${renderChecks(v.problems, v.linkCheck)}
${v.warnings.length ? h`<h2>Render warnings</h2><ul>${v.warnings.map((w) => h`<li>${w}</li>`)}</ul>` : ''}
<h2>Plain text</h2>
<pre id="text" tabindex="0" aria-label="The plain-text part">${copy.copy.text}</pre>`
    : ''
}
</div>`;
}
