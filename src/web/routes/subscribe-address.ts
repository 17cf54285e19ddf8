/**
 * What the subscribe form does to the list, by the address's current status. The page says
 * the same thing in every case; only the email (or its absence) differs, and it goes to the
 * address's owner. Consent is absolute: nothing here makes anyone active. Every request is
 * recorded as a confirmation request with its own link; only the owner's click on that link
 * (store.confirmSubscription) activates them, with the name and themes of that request.
 *
 * - unknown: added as pending; confirmation email.
 * - pending: confirmation email with a fresh link (the record waits for a click).
 * - unsubscribed, bounced, complained: the record keeps its status; confirmation email with
 *   a fresh link. They left once, so only their own click brings them back.
 * - active: nothing changes (a stranger must not edit someone's subscription); an email
 *   saying they are already subscribed, with their own preferences link.
 * - on the suppression list (the address or its domain): nothing changes, nothing is sent.
 */
import type { App } from '../../app.js';
import type { ConfirmationRequest } from '../../store/store.js';
import type { Cadence, Subscriber } from '../../types.js';
import type { SubscriptionMailKind } from './send-subscription-mail.js';

/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600 * 1000;

/** One submission of the subscribe form, already validated. */
export interface SubscribeRequest {
  email: string;
  name: string | null;
  themes: string[] | null;
  /** Daily or weekly on a weekday (absent: daily for someone new; an existing subscriber's is set by the confirmation). */
  cadence?: Cadence;
}

/** The outcome: the subscriber (if any), which email to send them (if any), and the request its link confirms. */
export interface SubscribeOutcome {
  subscriber: Subscriber | null;
  mail: SubscriptionMailKind | null;
  confirmation?: ConfirmationRequest;
}

/** Applies one submission to the store. */
export async function subscribeAddress(app: App, request: SubscribeRequest): Promise<SubscribeOutcome> {
  const store = app.store();
  if (await store.findSuppression(request.email)) return { subscriber: null, mail: null };
  let subscriber = await store.getSubscriberByEmail(request.email);
  if (subscriber?.status === 'active') return { subscriber, mail: 'already-subscribed' };
  if (!subscriber) {
    subscriber = (await store.upsertSubscriber({ email: request.email, name: request.name, themes: request.themes, cadence: request.cadence, status: 'pending' })).subscriber;
  }
  const confirmation = await store.createConfirmation(subscriber.id, { name: request.name, themes: request.themes, cadence: request.cadence }, CONFIRM_TTL_MS);
  return { subscriber, mail: 'confirm', confirmation };
}
