/**
 * What the subscribe form does to the list, by the address's current status. The page says
 * the same thing in every case; only the email (or its absence) differs, and it goes to the
 * address's owner.
 *
 * - unknown: added as pending; confirmation email.
 * - pending: name and themes updated (the newest form wins; nothing counts until the owner
 *   confirms); confirmation email again.
 * - unsubscribed: back to pending with the new name and themes; confirmation email. They
 *   left once, so they confirm again.
 * - active: nothing changes (a stranger must not edit someone's subscription); an email
 *   saying they are already subscribed, with their own preferences link.
 * - bounced, complained: nothing changes and nothing is sent (the address is dead, or its
 *   owner marked us as spam).
 */
import type { App } from '../../app.js';
import type { Subscriber } from '../../types.js';
import type { SubscriptionMailKind } from './send-subscription-mail.js';

/** One submission of the subscribe form, already validated. */
export interface SubscribeRequest {
  email: string;
  name: string | null;
  themes: string[] | null;
}

/** The outcome: the subscriber (if any) and which email to send them (if any). */
export interface SubscribeOutcome {
  subscriber: Subscriber | null;
  mail: SubscriptionMailKind | null;
}

/** Applies one submission to the store. */
export async function subscribeAddress(app: App, request: SubscribeRequest): Promise<SubscribeOutcome> {
  const store = app.store();
  const existing = await store.getSubscriberByEmail(request.email);
  if (!existing) {
    const { subscriber } = await store.upsertSubscriber({ email: request.email, name: request.name, themes: request.themes, status: 'pending' });
    return { subscriber, mail: 'confirm' };
  }
  switch (existing.status) {
    case 'pending':
    case 'unsubscribed': {
      await store.setSubscriberPreferences(existing.id, { name: request.name ?? existing.name, themes: request.themes });
      if (existing.status === 'unsubscribed') await store.setSubscriberStatus(existing.id, 'pending');
      return { subscriber: await store.getSubscriberById(existing.id), mail: 'confirm' };
    }
    case 'active':
      return { subscriber: existing, mail: 'already-subscribed' };
    default:
      return { subscriber: existing, mail: null };
  }
}
