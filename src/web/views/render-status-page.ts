/**
 * Short pages that only say something: not found, forbidden, too many requests, errors.
 * They never name the reason in detail (a forged token and an unknown one look the same).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { plural } from '../../plural.js';
import { renderHtml as h, type Html } from './render-html.js';
import { renderLayout } from './render-layout.js';

/** Responds with a one-heading page. */
export function renderStatusPage(c: Context, status: ContentfulStatusCode, title: string, body: Html | string) {
  return c.html(renderLayout({ title, body: h`<h1>${title}</h1>${typeof body === 'string' ? h`<p>${body}</p>` : body}` }), status);
}

/** 404 with no detail. */
export const notFoundPage = (c: Context) => renderStatusPage(c, 404, 'Page not found', 'There is nothing at this address. If you followed a link from an email, check that it was copied whole.');

/** 403 for a form whose CSRF token or origin does not check out. */
export const forbiddenPage = (c: Context) =>
  renderStatusPage(c, 403, 'This form has expired', h`<p>The form could not be checked. Go back, reload the page and send it again.</p>`);

/** 429 with Retry-After. */
export function tooManyPage(c: Context, retryAfterSeconds: number) {
  c.header('Retry-After', String(retryAfterSeconds));
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return renderStatusPage(c, 429, 'Too many attempts', `Please wait ${plural(minutes, 'minute')} and try again.`);
}
