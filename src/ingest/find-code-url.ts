/**
 * Links in untrusted text. Only http(s) URLs may reach a paper's url or codeUrl: anything
 * else (javascript:, data:, relative paths) would end up as a link in an email.
 */

import { toSafeUrl } from '../to-safe-url.js';

const GITHUB_LINK = /(?<![A-Za-z0-9.@-])(?:https?:\/\/)?(?:www\.)?github\.com\/[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+(?:\/[^\s<>"'`()[\]{}]*)?/i;

/** The first GitHub repository link in `text` ("…available at github.com/a/b." → https://github.com/a/b), or null. */
export function findCodeUrl(text: string): string | null {
  if (!/github\./i.test(text)) return null;
  const m = GITHUB_LINK.exec(text);
  if (!m) return null;
  const link = m[0].replace(/[.,;:!?]+$/, '');
  const withScheme = /^https?:\/\//i.test(link) ? link : `https://${link}`;
  return toSafeUrl(withScheme);
}
