/**
 * The one way web pages and emails built here produce HTML: hono/html's tagged template,
 * which escapes every interpolated string (titles, names, form input, addresses). Only
 * values already wrapped by `renderHtml` itself (or `raw`, used for trusted markup such as
 * a subscriber-facing email body) pass through unescaped.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export { raw };

/** Escaped HTML, safe to interpolate into another template. */
export type Html = HtmlEscapedString;

/**
 * Tagged template: `renderHtml\`<p>${untrusted}</p>\``. Synchronous by construction: no
 * template here interpolates a Promise, and one that did would be a bug, so it throws.
 */
export function renderHtml(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = html(strings, ...values);
  if (out instanceof Promise) throw new Error('renderHtml: a Promise was interpolated; await it first');
  return out;
}
