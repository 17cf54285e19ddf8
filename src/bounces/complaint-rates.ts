/**
 * Complaint rates per issue, against the line Gmail and Yahoo hold bulk senders to: spam
 * complaints under 0.3% of the messages delivered. The run summary, `bounces list` and
 * /admin all read it from here.
 */
import type { Store } from '../store/store.js';

/** 0.3%: above it, Gmail and Yahoo start refusing or filtering a sender's mail. */
export const COMPLAINT_RATE_LINE = 0.003;

/** What came back from one issue. */
export interface IssueMailHealth {
  issueId: string;
  /** Messages the receiving servers accepted (the ledger's `sent`). */
  accepted: number;
  /** Hard bounces: refused with a 5xx during the send (the ledger's `failed`) plus those reported later (DSN, webhook). */
  hard: number;
  soft: number;
  complaints: number;
  /** complaints / accepted, 0 when nothing was accepted. */
  complaintRate: number;
  overLine: boolean;
}

/** The health of each of `issueIds`. */
export async function issueMailHealth(store: Store, issueIds: readonly string[]): Promise<IssueMailHealth[]> {
  const out: IssueMailHealth[] = [];
  for (const issueId of issueIds) {
    const [deliveries, events] = await Promise.all([store.countDeliveries(issueId), store.mailEventCounts(issueId)]);
    const complaintRate = deliveries.sent > 0 ? events.complaints / deliveries.sent : 0;
    // A 5xx during the send is a hard bounce as much as a DSN is (docs/CONTEXT.md, "bounce"); the guardrail counts it so.
    out.push({ issueId, accepted: deliveries.sent, ...events, hard: events.hard + deliveries.failed, complaintRate, overLine: complaintRate > COMPLAINT_RATE_LINE });
  }
  return out;
}

/** "0.42%": a rate as operators read it. */
export const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 3 : 2)}%`;

/** The warning line for an issue over the line. */
export const complaintWarning = (h: IssueMailHealth) =>
  `issue ${h.issueId}: complaint rate ${percent(h.complaintRate)} (${h.complaints} of ${h.accepted}) is over the 0.3% that Gmail and Yahoo allow bulk senders; check who is on the list and how they joined`;
