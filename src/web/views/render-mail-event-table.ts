/**
 * The table of recorded bounces and complaints on /admin (an issue's "After the send" and one
 * subscriber's record): what came back, from where, and what paperpost did about it.
 */
import type { MailEventRows } from '../load-mail-events.js';
import { renderHtml as h, type Html } from './render-html.js';

/** Recorded bounces and complaints, newest first. */
export function renderMailEventTable({ events, emails }: MailEventRows): Html {
  if (events.length === 0) return h`<p class="muted">No bounce or complaint recorded.</p>`;
  return h`<div class="scroll" role="region" aria-label="Bounces and complaints" tabindex="0"><table>
<thead><tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">What</th><th scope="col">Subscriber</th><th scope="col">Issue</th><th scope="col">Status</th><th scope="col">Did</th></tr></thead>
<tbody>${events.map(
    (e) =>
      h`<tr><td>${e.receivedAt.slice(0, 16).replace('T', ' ')}</td><td>${e.source}</td><td>${e.type}${e.severity ? ` (${e.severity})` : ''}</td><td>${e.subscriberId !== null ? h`<a href="/admin/subscribers?email=${encodeURIComponent(emails.get(e.subscriberId) ?? '')}">${emails.get(e.subscriberId)}</a>` : (e.recipient ?? '-')}</td><td>${e.issueId ?? '-'}</td><td>${e.status ?? ''} <span class="muted">${(e.diagnostic ?? '').slice(0, 120)}</span></td><td>${e.outcome}</td></tr>`,
  )}</tbody></table></div>`;
}
