/**
 * A reader's data as the download gives it (ReaderRecords.readerData), assembled from the rows
 * both stores read, and the one rule both apply when forgetting: what a run's detail becomes
 * once it named a forgotten address. Written once so the two stores return the same document.
 */
import type { ReaderSignalSet } from '../../picks/reader-signals.js';
import type { ReaderData } from '../roles/reader-records.js';
import { toConfirmation, toDelivery, toMailEvent, toSubscriber, type ConfirmationRow, type DeliveryRow, type MailEventRow, type SubscriberRow, type SuppressionRow } from './map-rows.js';

/** The meta key of the lowest id a new subscriber may get: above every forgotten one. */
export const ID_FLOOR = 'subscriber-id-floor';

/** What a run's detail that named a forgotten address becomes. */
export const REDACTED_DETAIL = '(removed: it named an address that was forgotten at its owner\'s request)';

const ABOUT =
  'Everything paperpost keeps about you: your subscription, your consent, the issues sent to you, bounces and complaints, ' +
  'rate limits on your address, your ratings and follows. ' +
  'Ratings are kept until you reset them or ask to be forgotten (at most 500); feedback links expire after 60 days.';

export function toReaderData(
  rows: {
    subscriber: SubscriberRow;
    signals: ReaderSignalSet;
    confirmations: ConfirmationRow[];
    deliveries: DeliveryRow[];
    mailEvents: MailEventRow[];
    rateLimits: RateLimitRow[];
    /** The entries that may cover the address: the address itself and its @domain. */
    suppressions: SuppressionRow[];
  },
  now: Date,
): ReaderData {
  const { id: _id, ...subscriber } = toSubscriber(rows.subscriber);
  // The address's own entry first, else its domain's.
  const suppression = rows.suppressions.find((r) => !r.pattern.startsWith('@')) ?? rows.suppressions[0];
  return {
    about: ABOUT,
    exportedAt: now.toISOString(),
    subscriber,
    ratings: rows.signals.ratings,
    follows: rows.signals.follows,
    confirmations: rows.confirmations.map(toConfirmation).map((c) => ({ requestedAt: c.requestedAt, expiresAt: c.expiresAt, usedAt: c.usedAt, name: c.name, themes: c.themes })),
    deliveries: rows.deliveries
      .map(toDelivery)
      .map((d) => ({ issueId: d.issueId, status: d.status, attempts: d.attempts, messageId: d.messageId, response: d.response, relay: d.relay ?? null, updatedAt: d.updatedAt })),
    mailEvents: rows.mailEvents.map(toMailEvent).map((e) => ({
      source: e.source,
      type: e.type,
      severity: e.severity,
      issueId: e.issueId,
      recipient: e.recipient,
      status: e.status,
      diagnostic: e.diagnostic,
      occurredAt: e.occurredAt,
      receivedAt: e.receivedAt,
      outcome: e.outcome,
    })),
    rateLimits: rows.rateLimits.map((r) => ({ key: r.key, windowStart: new Date(Number(r.window_start)).toISOString(), count: Number(r.count) })),
    suppression: suppression ? { pattern: suppression.pattern, reason: suppression.reason, createdAt: suppression.created_at } : null,
  };
}

/** A rate-limit window as both stores read it (PostgreSQL returns its BIGINT as text). */
export interface RateLimitRow {
  key: string;
  window_start: number | string;
  count: number | string;
}

/** The two patterns that can cover an address on the suppression list: the address, and its @domain. */
export const coveringAddress = (key: string): [string, string] => [key, key.slice(key.lastIndexOf('@'))];

/** A suppression entry's reason with the address taken out (it goes under a keyed mark). */
export const reasonWithout = (reason: string, key: string) => reason.replace(new RegExp(key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '(address)');
