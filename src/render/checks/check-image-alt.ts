/**
 * The image check: every <img> has an alt attribute. Many mail clients block images until the
 * reader allows them and show the alt text instead, and screen readers read it; an image
 * without one is announced by its file name. alt="" is fine: it marks a decorative image.
 */
import type { CheckProblem, CopyUnderCheck } from './check-problem.js';
import { scanTags } from './scan-html.js';

/** An error naming the images that have no alt attribute. */
export function checkImageAlt(copy: Pick<CopyUnderCheck, 'html'>): CheckProblem[] {
  const missing = scanTags(copy.html)
    .filter((t) => t.name === 'img' && !t.attrs.has('alt'))
    .map((t) => t.attrs.get('src') || '(no src)');
  if (missing.length === 0) return [];
  const shown = missing.slice(0, 3).map((s) => (s.length > 80 ? `${s.slice(0, 77)}...` : s));
  return [{ level: 'error', check: 'images', message: `images without alt text (${missing.length}): ${shown.join(', ')}${missing.length > 3 ? `, and ${missing.length - 3} more` : ''} (add alt="..."; alt="" for a decorative one)` }];
}
