/**
 * Security headers for every response. Pages get a strict Content-Security-Policy (no
 * scripts at all, the one stylesheet by hash, nothing from other origins, no framing);
 * email HTML, which needs inline styles, is only ever served under a sandboxing policy of its
 * own. Tokens travel in URLs, so no page ever sends a Referer.
 */
import { STYLESHEET_HASH } from '../views/render-layout.js';

/**
 * Which policy a response gets: `page` (default), `admin-preview` (a page that frames the
 * email), `email-frame` (the email HTML inside the admin preview), `email-page` (the
 * archive's web version of an issue), `feed` (Atom XML).
 */
export type ResponsePolicy = 'page' | 'admin-preview' | 'email-frame' | 'email-page' | 'feed';

const PAGE = `default-src 'none'; style-src ${STYLESHEET_HASH}; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
// Email HTML carries inline styles and may link images; it may not run anything, submit
// anything, or share an origin with the pages around it (sandbox without allow-same-origin).
const EMAIL = `default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; font-src data:; form-action 'none'; base-uri 'none'; sandbox allow-popups allow-popups-to-escape-sandbox`;

const POLICIES: Record<ResponsePolicy, { csp: string; frame: 'DENY' | 'SAMEORIGIN' }> = {
  page: { csp: PAGE, frame: 'DENY' },
  'admin-preview': { csp: `${PAGE}; frame-src 'self'`, frame: 'DENY' },
  'email-frame': { csp: `${EMAIL}; frame-ancestors 'self'`, frame: 'SAMEORIGIN' },
  'email-page': { csp: `${EMAIL}; frame-ancestors 'none'`, frame: 'DENY' },
  feed: { csp: `default-src 'none'; sandbox; frame-ancestors 'none'`, frame: 'DENY' },
};

/** Sets the headers for `policy` on `headers`; Cache-Control defaults to no-store. */
export function setSecurityHeaders(headers: Headers, policy: ResponsePolicy): void {
  const p = POLICIES[policy];
  headers.set('Content-Security-Policy', p.csp);
  headers.set('X-Frame-Options', p.frame);
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  // Pages with tokens, forms or admin data must not be kept by shared caches or the back button.
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
}
