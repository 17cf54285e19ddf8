/**
 * The pre-send checks of one copy (issue #22), pure and offline: its size against Gmail's
 * clip line, the form of every link, alt text on every image, the unsubscribe link and
 * headers, and template leftovers. `render` prints them, `preview` lists them, and the gate
 * before `send` and each scheduled run (issue/check-before-send.ts) stops on an error.
 * Fetching the links is separate and on request (deliver/check-link-status.ts).
 */
import { checkHtmlSize } from './check-html-size.js';
import { checkImageAlt } from './check-image-alt.js';
import { checkLeftovers } from './check-leftovers.js';
import { checkLinks } from './check-links.js';
import { sortProblems, type CheckProblem, type CopyUnderCheck } from './check-problem.js';
import { checkUnsubscribe } from './check-unsubscribe.js';

/** Every offline check of `copy`: errors first, then warnings. */
export function checkCopy(copy: CopyUnderCheck): CheckProblem[] {
  return sortProblems([...checkHtmlSize(copy), ...checkLinks(copy), ...checkImageAlt(copy), ...checkUnsubscribe(copy), ...checkLeftovers(copy)]);
}
