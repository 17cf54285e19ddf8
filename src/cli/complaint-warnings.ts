/**
 * The run summary's warning when a recent issue's complaint rate is over the 0.3% line Gmail
 * and Yahoo hold bulk senders to (complaints arrive days after a send, so each run looks at
 * the last issues, not only its own).
 */
import type { App } from '../app.js';
import { complaintWarning, issueMailHealth } from '../bounces/complaint-rates.js';

/** How many recent issues each run checks. */
const RECENT_ISSUES = 7;

/** One line per recent issue over the line. */
export async function complaintWarnings(app: App): Promise<string[]> {
  const ids = (await app.store().listIssueIds()).slice(0, RECENT_ISSUES).map((i) => i.id);
  return (await issueMailHealth(app.store(), ids)).filter((h) => h.overLine).map(complaintWarning);
}
