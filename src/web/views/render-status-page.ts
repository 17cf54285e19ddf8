/**
 * Short pages that only say something: not found, forbidden, too many requests, errors.
 * They never name the reason in detail (a forged token and an unknown one look the same),
 * except what the reader can act on: a refused form says which check failed.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { plural } from '../../plural.js';
import type { FormRefusal } from '../security/check-form-post.js';
import { renderHtml as h, type Html } from './render-html.js';
import { renderLayout } from './render-layout.js';

/** Responds with a one-heading page. */
export function renderStatusPage(c: Context, status: ContentfulStatusCode, title: string, body: Html | string) {
  return c.html(renderLayout({ title, body: h`<h1>${title}</h1>${typeof body === 'string' ? h`<p>${body}</p>` : body}` }), status);
}

/** 404 with no detail. */
export const notFoundPage = (c: Context) => renderStatusPage(c, 404, 'Page not found', 'There is nothing at this address. If you followed a link from an email, check that it was copied whole.');

/** What the 403 for a refused form says, per reason (check-form-post.ts): what happened, and what to do. */
const REFUSALS: Record<FormRefusal, { title: string; body: string }> = {
  'cross-site': {
    title: 'Sent from another site',
    body: 'Your browser says this form was sent from a page on another site, so it was not accepted: a page elsewhere cannot act for you here. If you meant to send it, open the form on this site and send it from there.',
  },
  'no-field': {
    title: 'The form is incomplete',
    body: 'The form arrived without its hidden check field, so it was not accepted. Send it from the page itself: go back, reload the page and send it again.',
  },
  'no-cookie': {
    title: 'Your browser did not send its cookie',
    body: 'This form is checked against a cookie this site set when you opened it, and the cookie did not come back: it may have been cleared (closing the browser does that), or cookies are blocked for this site. Reload the page and send it again; if this keeps happening, allow cookies for this site.',
  },
  mismatch: {
    title: 'This form could not be checked',
    body: 'Its check field does not match this visit: the page may come from an earlier visit, or the field was changed. Go back, reload the page and send it again.',
  },
};

/** 403 for a form post refused for `reason`. */
export function forbiddenPage(c: Context, reason: FormRefusal) {
  const { title, body } = REFUSALS[reason];
  return renderStatusPage(c, 403, title, body);
}

/** 429 with Retry-After. */
export function tooManyPage(c: Context, retryAfterSeconds: number) {
  c.header('Retry-After', String(retryAfterSeconds));
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return renderStatusPage(c, 429, 'Too many attempts', `Please wait ${plural(minutes, 'minute')} and try again.`);
}
