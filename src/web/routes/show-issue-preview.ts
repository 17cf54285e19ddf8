/**
 * Responds with the preview page of the issue in the route's :date, for the subscriber in
 * `?as=`: 404 when no issue has that date, 422 when its draft does not render (the reason on the
 * page, fix and reload), else the page. The issue routes show it, and the test send shows it
 * again with what happened.
 */
import type { Context } from 'hono';
import { buildIssuePreview } from '../build-issue-preview.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { renderHtml as h } from '../views/render-html.js';
import { renderIssuePreview } from '../views/render-issue-preview.js';
import type { AdminChrome } from './create-admin-chrome.js';

/** A line shown above the preview: a problem or a notice. */
export interface PreviewFlash {
  kind: 'notice' | 'problem';
  text: string;
}

/** The preview page of `c`'s issue, with `flash` above it. */
export async function showIssuePreview(c: Context<WebEnv>, ctx: WebContext, chrome: AdminChrome, flash: PreviewFlash | null = null, status: 200 | 400 | 502 = 200) {
  const date = c.req.param('date') ?? '';
  const as = c.req.query('as');
  const preview = await buildIssuePreview(ctx, date, as);
  if (!preview) return chrome.page(c, 'No such issue', h`<h1>No such issue</h1><p>No draft in DIGEST_SOURCE and no stored issue has the date ${date}. <a href="/admin">Back to the issues</a>.</p>`, 404);
  if ('error' in preview) {
    return chrome.page(c, `Issue ${date}`, h`<h1>Issue ${date}</h1><p class="problem" role="alert">The issue does not render: ${preview.error}</p><p>Fix the templates and reload this page.</p>`, 422);
  }
  const tested = c.req.query('tested');
  const flashHtml = flash
    ? h`<p class="${flash.kind}" role="${flash.kind === 'problem' ? 'alert' : 'status'}">${flash.text}</p>`
    : tested
      ? h`<p class="notice" role="status">A test copy went to ${tested}: the mail server accepted it.</p>`
      : '';
  c.set('policy', 'admin-preview');
  return chrome.page(c, `Issue ${date}`, renderIssuePreview(preview, { flash: flashHtml, csrf: chrome.csrfField(c) }), status);
}
