/**
 * MailEvents: bounces, complaints and other reports that arrive after a send, each recorded
 * once (a second copy of the same report changes nothing), and the counts bounces/ decides
 * from.
 */

/** A bounce, complaint or other report that arrived after a send, as recorded. */
export interface MailEvent {
  id: number;
  /** What makes a second copy of the same report change nothing (a provider's event id, a report's hash). */
  eventKey: string;
  /** Where it came in: 'smtp', 'imap', 'webhook:ses', … */
  source: string;
  /** 'bounce', 'complaint', or what an unmatched report claimed to be. */
  type: string;
  severity: 'hard' | 'soft' | null;
  issueId: string | null;
  subscriberId: number | null;
  recipient: string | null;
  /** The DSN status code (5.1.1) or the provider's. */
  status: string | null;
  diagnostic: string | null;
  occurredAt: string | null;
  receivedAt: string;
  /** What it did: 'bounced', 'soft-counted', 'complained', 'recorded' (no change: already so), 'unmatched'. */
  outcome: string;
}

/** Which events a listing covers. */
export interface MailEventFilter {
  since?: string;
  subscriberId?: number;
  issueId?: string;
  limit?: number;
}

export interface MailEvents {
  /** Records a mail event unless one with its key exists; `recorded` false means a repeat (change nothing). */
  recordMailEvent(event: Omit<MailEvent, 'id' | 'receivedAt'>): Promise<{ recorded: boolean; event: MailEvent }>;
  /** Sets what a recorded event did, once its rules have run. */
  setMailEventOutcome(id: number, outcome: string): Promise<void>;
  /** Events, newest first: since a time, for a subscriber or an issue. */
  listMailEvents(filter?: MailEventFilter): Promise<MailEvent[]>;
  /** Distinct issues with a soft bounce for this subscriber since `since` (soft bounces count per issue, not per retry). */
  countSoftBounceIssues(subscriberId: number, since: string): Promise<number>;
  /** Per issue: subscribers with a hard bounce, a soft bounce, a complaint. */
  mailEventCounts(issueId: string): Promise<{ hard: number; soft: number; complaints: number }>;
}
