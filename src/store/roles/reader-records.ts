/**
 * ReaderRecords: everything paperpost keeps about one reader, as a whole. A reader may download
 * it (the preferences page, `paperpost subscribers show EMAIL --json`) and may have it erased
 * (`paperpost subscribers forget EMAIL`, the page's "delete my data"): the right of access and
 * the right to erasure, each one call, so no table is forgotten by a caller.
 */
import type { Follow, Rating } from '../../picks/reader-signals.js';
import type { Subscriber } from '../../types.js';
import type { MailEvent } from './mail-events.js';

/** One reader's data as a JSON document (what the download gives them). */
export interface ReaderData {
  /** What the document is, for whoever opens the file. */
  about: string;
  exportedAt: string;
  /** The subscriber's record (address, name, status, topics, times; and any later field such as a cadence). */
  subscriber: Omit<Subscriber, 'id'>;
  /** "More like this" / "Less like this", newest first, with the paper's text as kept. */
  ratings: Rating[];
  /** Authors and phrases followed, phrases muted, in the order added. */
  follows: Follow[];
  /** Consent: each request from the subscribe form (when, whether and when its link was confirmed). */
  confirmations: { requestedAt: string; expiresAt: string; usedAt: string | null; name: string | null; themes: string[] | null }[];
  /** The delivery ledger: which issues were sent to them, under which Message-ID, the server's reply and the relay that took it. */
  deliveries: { issueId: string; status: string; attempts: number; messageId: string; response: string | null; relay: string | null; updatedAt: string }[];
  /**
   * Bounces and complaints: recorded for them, or naming their address (its recipient,
   * diagnostic or key), which is exactly what forgetting erases.
   */
  mailEvents: Omit<MailEvent, 'id' | 'eventKey' | 'subscriberId'>[];
  /** Rate-limit windows keyed by their address (the subscribe form's), as forgetting erases them. */
  rateLimits: { key: string; windowStart: string; count: number }[];
  /** The suppression entry that covers their address (the address itself, else its @domain), if any. */
  suppression: { pattern: string; reason: string; createdAt: string } | null;
}

export interface ReaderRecords {
  /** Everything kept about a reader, or null when there is no such subscriber. */
  readerData(subscriberId: number): Promise<ReaderData | null>;
  /**
   * Erases a reader, in one transaction (false when there is no such subscriber): their
   * ratings, follows, confirmation requests, ledger rows, mail events, rate-limit windows, the
   * subscriber row itself (address and name), any run detail or event naming the address. What
   * stays is a keyed hash of the address on the suppression list
   * (subscribers/forgotten-address.ts), so an import or an operator's add cannot bring it
   * back: only its owner's confirmation through the subscribe form does. Their id is never
   * given to anyone else, so old links in their mail lead nowhere. Needs SECRET_KEY (the
   * store's options).
   */
  forgetSubscriber(subscriberId: number): Promise<boolean>;
}
