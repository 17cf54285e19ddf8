/**
 * POST /admin/issues/<date>/test: "send a test to…" from the preview page. The same copy the
 * preview shows for a reader of every topic (the frozen issue once sent, else the draft), subject
 * prefixed [TEST], outside the ledger, like `paperpost send --to`:
 *
 * 1. resolve the issue (none: the preview page again with the problem, 400);
 * 2. send it through the configured SMTP server (send-test-copy.ts);
 * 3. accepted: back to the preview, which says so; refused: the preview with the server's
 *    answer (502), or with the user's mistake (400), secrets redacted.
 */
import type { Context, Hono } from 'hono';
import { sendTestCopy } from '../../deliver/send-test-copy.js';
import { SendFailure } from '../../deliver/transport.js';
import { PaperpostError } from '../../errors.js';
import { redactSecrets } from '../../redact-secrets.js';
import { resolveIssue } from '../build-issue-preview.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import type { AdminChrome } from './create-admin-chrome.js';
import { readForm } from './read-form.js';
import { showIssuePreview, type PreviewFlash } from './show-issue-preview.js';

/** Adds the test-send route. */
export function mountAdminTestSend(hono: Hono<WebEnv>, ctx: WebContext, chrome: AdminChrome): void {
  const { app } = ctx;
  const showIssue = (c: Context<WebEnv>, flash: PreviewFlash, status: 400 | 502) => showIssuePreview(c, ctx, chrome, flash, status);

  hono.post('/admin/issues/:date/test', async (c) => {
    const date = c.req.param('date');
    const form = await readForm(c);
    const to = (form.get('to') ?? '').trim();
    // The same copy the preview shows: the frozen issue once sent, else the draft.
    const resolved = await resolveIssue(ctx, date);
    if (!resolved || 'error' in resolved) {
      return showIssue(c, { kind: 'problem', text: `There is no issue ${date} to send a test of.` }, 400);
    }
    try {
      await sendTestCopy(app, resolved.compiled, to);
    } catch (error) {
      if (error instanceof SendFailure) return showIssue(c, { kind: 'problem', text: redactSecrets(`The test was not sent: the mail server said ${error.message}`) }, 502);
      if (!(error instanceof PaperpostError)) throw error;
      return showIssue(c, { kind: 'problem', text: redactSecrets(`The test was not sent: ${error.message}${error.hint ? ` (${error.hint})` : ''}`) }, error.exitCode === 2 ? 400 : 502);
    }
    return c.redirect(`/admin/issues/${date}?tested=${encodeURIComponent(to)}`, 303);
  });
}
