/**
 * The size check: Gmail clips a message whose HTML passes about 102 KB and hides the rest
 * behind "View entire message", footer and unsubscribe link included. A copy at or over the
 * line is an error; the preview's badge turns amber from SIZE_AMBER_BYTES on, as a nudge.
 */
import { plural } from '../../plural.js';
import { GMAIL_CLIP_BYTES, type CheckProblem, type CopyUnderCheck } from './check-problem.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** An error when the copy's HTML reaches Gmail's clip line. */
export function checkHtmlSize(copy: Pick<CopyUnderCheck, 'html'>): CheckProblem[] {
  const bytes = Buffer.byteLength(copy.html);
  if (bytes < GMAIL_CLIP_BYTES) return [];
  return [
    {
      level: 'error',
      check: 'size',
      message: `the HTML is ${kb(bytes)} (${plural(bytes, 'byte')}), at or over Gmail's ${kb(GMAIL_CLIP_BYTES)} clip line: Gmail hides the rest of the message, the unsubscribe link included (lower MAX_PAPERS or trim the templates)`,
    },
  ];
}
