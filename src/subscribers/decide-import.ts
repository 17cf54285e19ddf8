/**
 * What one import row may do to the list. Consent is absolute: an import (a CSV from the
 * operator, or an export from another paperpost) never makes anyone active who is not active
 * already. Only the person can do that, by confirming a fresh link from the subscribe form.
 * Rows that say someone left (unsubscribed, bounced, complained) are kept as such, so an
 * export taken elsewhere works as a suppression list.
 *
 * | the list has | the row says            | result                                            |
 * |--------------|-------------------------|---------------------------------------------------|
 * | nobody       | anything                | added with the row's status (active by default)   |
 * | active       | active (or no status)   | name and themes updated                           |
 * | active       | pending                 | name and themes updated, still active             |
 * | any          | unsubscribed/bounced/…  | that status (once left, the first reason stays)   |
 * | pending      | active (or no status)   | kept out: waits for the person's own confirmation |
 * | left         | active or pending       | kept out: only the person can come back           |
 */
import type { Subscriber, SubscriberStatus } from '../types.js';

/** Statuses of people who left, or whose address is dead: never mailed again until they confirm. */
export const LEFT: ReadonlySet<SubscriberStatus> = new Set(['unsubscribed', 'bounced', 'complained']);

/** The decision for one row. */
export type ImportDecision =
  | { action: 'add'; status: SubscriberStatus }
  | { action: 'update'; status: SubscriberStatus; keepProfile: boolean }
  | { action: 'skip'; reason: string };

/** Decides what a row with `status` (undefined: none given) does when the list has `existing`. */
export function decideImport(existing: Pick<Subscriber, 'status' | 'unsubscribedAt'> | null, status: SubscriberStatus | undefined): ImportDecision {
  const wanted = status ?? 'active';
  if (!existing) return { action: 'add', status: wanted };
  if (LEFT.has(wanted)) {
    // Someone who left stays left; the row can only confirm it (never changes one reason to another).
    if (LEFT.has(existing.status)) return { action: 'update', status: existing.status, keepProfile: true };
    return { action: 'update', status: wanted, keepProfile: false };
  }
  if (LEFT.has(existing.status)) {
    const when = existing.unsubscribedAt ? ` on ${existing.unsubscribedAt.slice(0, 10)}` : '';
    return { action: 'skip', reason: `${existing.status}${when}; an import cannot bring them back (only they can, by confirming a link from the subscribe form)` };
  }
  if (existing.status === 'pending') {
    return { action: 'skip', reason: 'pending: they have not confirmed the link we emailed them, and an import cannot confirm for them' };
  }
  return { action: 'update', status: 'active', keepProfile: false };
}
