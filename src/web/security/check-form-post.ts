/**
 * Why a form post is refused, if it is, so the 403 page can say what happened instead of
 * "this form has expired" for every case. The checks, in order:
 *
 * 1. the browser says the post came from a page of another site (is-same-origin-post.ts);
 * 2. the hidden CSRF field is missing;
 * 3. the form's binding is missing: the double-submit cookie did not come back (cookies
 *    blocked, or a client that is not a browser);
 * 4. the field does not match its binding: a page from an earlier visit (the cookie has
 *    changed since), or a forged field. Only this case is an expired form.
 */
import type { Context } from 'hono';
import type { CsrfGuard } from './create-csrf-guard.js';
import { isSameOriginPost } from './is-same-origin-post.js';

/** What was wrong with a refused form post. */
export type FormRefusal = 'cross-site' | 'no-field' | 'no-cookie' | 'mismatch';

/** A form post to check: its CSRF scope, what its field is bound to, and the field as sent. */
export interface FormPost {
  scope: string;
  /** The double-submit cookie, or the token in the URL; undefined when the cookie did not come. */
  binding: string | undefined;
  given: string | undefined;
}

/** Null when the post may go on; else why not. */
export function checkFormPost(c: Context, csrf: CsrfGuard, publicUrl: string, post: FormPost): FormRefusal | null {
  if (!isSameOriginPost(c, publicUrl)) return 'cross-site';
  if (post.given === undefined || post.given === '') return 'no-field';
  if (!post.binding) return 'no-cookie';
  return csrf.check(post.scope, post.binding, post.given) ? null : 'mismatch';
}
