/**
 * The counters a delivery run reports while it sends and at its end. They are their own file
 * because every part of a run adds to them (the job source counts who it leaves out, the
 * dispatcher what happened to who it sent to) and the commands and the scheduler read them.
 */

/** Counters reported while sending and at the end. */
export interface DeliveryProgress {
  total: number;
  sent: number;
  deferred: number;
  failed: number;
  /** Active subscribers not mailed because the issue has none of the themes they follow. */
  skipped: number;
  /** Active subscribers left out because their address or domain is on the suppression list. */
  suppressed: number;
  /** Active subscribers the ledger already has as sent or failed (an earlier run). */
  alreadyDone: number;
  /**
   * Subscribers who stopped being mailable while the run went on (unsubscribed, bounced,
   * complained, suppressed or forgotten after their batch was read): not mailed, their ledger
   * rows put back as they were (create-job-source.ts).
   */
  leftMeanwhile: number;
  /** Of `sent`, how many were resends of a delivery whose outcome was unknown. */
  resent: number;
  /** The last failure seen (a 4xx reply, a refused connection), to say why anything was deferred. */
  lastError: string | null;
}

/** The outcome of one run. */
export interface DeliverySummary extends DeliveryProgress {
  seconds: number;
  perSecond: number;
  /** True when the run stopped early (limit, abort) and some subscribers were not tried. */
  stoppedEarly: boolean;
  /** True when every active subscriber now has a final ledger row (sent or failed) or was skipped. */
  complete: boolean;
  /** Why a guardrail stopped the run (create-guardrail.ts), in one line; absent when none did. */
  stoppedBy?: string;
  /**
   * True when the run stopped only because it reached its `limit` (`send --limit`): nothing in
   * it was deferred, and no failure, guardrail or signal stopped it. Not a failure: the next
   * run sends the rest. Absent otherwise.
   */
  stoppedAtLimit?: true;
  /**
   * When the run stopped early: the readers it was for (active, not suppressed) whom the
   * ledger has no outcome (sent or failed) for in this issue and who were not tried in this
   * run (not deferred by it, not skipped by it): what the next run has left to send. Counted
   * from the ledger, so readers who had the issue from an earlier run are not among them even
   * when the run stopped before reading their batch. Absent when the run did not stop early.
   */
  notTried?: number;
  /** Relays that failed connections or were left out during the run (Transport.takeNotes), one warning line each; absent when none. */
  relayNotes?: string[];
}
