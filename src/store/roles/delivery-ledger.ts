/**
 * DeliveryLedger: one row per (issue, subscriber), written before a message goes out and
 * after it did. It is what makes a send exactly once across crashes and several senders
 * (delivery asks for this role and Locks).
 */
import type { Delivery, DeliveryStatus } from '../../types.js';

/** Counts of an issue's ledger rows by status. */
export type DeliveryCounts = Record<DeliveryStatus, number>;

export interface DeliveryLedger {
  getDelivery(issueId: string, subscriberId: number): Promise<Delivery | null>;
  /** Records an attempt before the message goes out (status queued, attempts + 1). */
  beginDelivery(issueId: string, subscriberId: number, messageId: string): Promise<Delivery>;
  /** Records the outcome of an attempt. */
  finishDelivery(issueId: string, subscriberId: number, status: DeliveryStatus, response: string | null): Promise<void>;
  countDeliveries(issueId: string): Promise<DeliveryCounts>;
  /** The ledger rows of these subscribers for an issue, by subscriber id (those that exist). */
  getDeliveries(issueId: string, subscriberIds: number[]): Promise<Map<number, Delivery>>;
  /** beginDelivery for each row, in one transaction: all are queued before any of them goes out. */
  beginDeliveries(issueId: string, rows: { subscriberId: number; messageId: string }[]): Promise<void>;
  /** finishDelivery for each row, in one transaction; `relay` records which relay accepted the message (left as it was when not given). */
  finishDeliveries(issueId: string, rows: { subscriberId: number; status: DeliveryStatus; response: string | null; relay?: string }[]): Promise<void>;
  /**
   * Undoes beginDeliveries for rows that were never attempted (the run stopped first), in one
   * transaction: a row that did not exist before is removed, any other gets back its status,
   * attempts, response and time as `previous` had them.
   */
  restoreDeliveries(issueId: string, rows: { subscriberId: number; previous: Delivery | null }[]): Promise<void>;
  /** The delivery that carried this Message-ID, or null (how a bounce finds what it answers). */
  findDeliveryByMessageId(messageId: string): Promise<Delivery | null>;
}
