/**
 * The one summary line a delivery run ends with (send, run, schedule), plus why anything was
 * left over.
 */
import type { DeliverySummary } from '../deliver/deliver-issue.js';

/** The summary line of one delivery run; `outbox`: the messages were written to the outbox, not sent. */
export function describeSummary(issueId: string, s: DeliverySummary, outbox = false): string {
  // Counted from the ledger when the run stopped early (deliver-issue.ts); the old subtraction missed readers who had the issue from an earlier run in batches never read.
  const left = s.notTried ?? s.total - s.sent - s.failed - s.skipped - s.suppressed - s.alreadyDone - s.leftMeanwhile - s.deferred;
  return (
    `issue ${issueId}: ${outbox ? 'written to the outbox' : 'sent'} ${s.sent}, deferred ${s.deferred}, failed ${s.failed}, skipped ${s.skipped}` +
    (s.suppressed ? `, suppressed ${s.suppressed}` : '') +
    ` in ${s.seconds.toFixed(1)} s (${s.perSecond.toFixed(1)} messages/s)` +
    (s.alreadyDone ? `; ${s.alreadyDone} had it from an earlier run` : '') +
    (s.leftMeanwhile ? `; ${s.leftMeanwhile} left the list or were suppressed during the send, not mailed` : '') +
    // The ledger cannot tell which of an interrupted run's queued messages went out: each goes again under its Message-ID.
    (s.resent ? `; ${s.resent} left queued by an interrupted run, sent under their first Message-ID (any that went out before is a duplicate receivers drop)` : '') +
    (s.deferred && s.lastError ? `; last error: ${s.lastError}` : '') +
    (s.stoppedEarly && left > 0 ? `; ${left} not tried yet: run it again to send the rest` : '')
  );
}
