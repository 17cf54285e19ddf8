/**
 * CSRF protection for every form but the RFC 8058 one-click unsubscribe. A form carries a
 * hidden field HMAC(SECRET_KEY, 'csrf:' + scope + ':' + binding), where the binding is
 * something a cross-site attacker cannot read: the signed token in the URL (subscriber
 * pages), or a random cookie (the subscribe form and the admin pages: a signed double-submit
 * cookie). SameSite cookies and an Origin check add a second layer.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The name of the hidden form field. */
export const CSRF_FIELD = 'csrf';
/** The double-submit cookie for forms that have no token in their URL. */
export const CSRF_COOKIE = 'pp_csrf';

/** Makes and checks form tokens. */
export interface CsrfGuard {
  /** The field value for a form of `scope` bound to `binding`. */
  tokenFor(scope: string, binding: string): string;
  /** True when `given` is the field value for (scope, binding); false for anything else. */
  check(scope: string, binding: string | undefined, given: unknown): boolean;
  /** A fresh random value for the double-submit cookie. */
  newCookieValue(): string;
}

/** A guard keyed by SECRET_KEY. */
export function createCsrfGuard(secretKey: string): CsrfGuard {
  const tokenFor = (scope: string, binding: string) =>
    createHmac('sha256', secretKey).update(`csrf:${scope}:${binding}`).digest('base64url');
  return {
    tokenFor,
    check(scope, binding, given) {
      if (typeof given !== 'string' || !binding) return false;
      const expected = Buffer.from(tokenFor(scope, binding));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
    newCookieValue: () => randomBytes(18).toString('base64url'),
  };
}
