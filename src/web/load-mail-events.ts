/**
 * Recorded bounces and complaints with the address of each subscriber they concern, as the
 * admin pages list them. The address is looked up once per subscriber, not once per event.
 */
import type { App } from '../app.js';
import type { MailEvent } from '../store/store.js';

/** Events, newest first, and the address of each subscriber id among them ('?' when that subscriber is gone). */
export interface MailEventRows {
  events: MailEvent[];
  emails: Map<number, string>;
}

/** Adds the subscribers' addresses to `events`. */
export async function loadMailEvents(app: App, events: MailEvent[]): Promise<MailEventRows> {
  const emails = new Map<number, string>();
  for (const e of events) if (e.subscriberId !== null && !emails.has(e.subscriberId)) emails.set(e.subscriberId, (await app.store().getSubscriberById(e.subscriberId))?.email ?? '?');
  return { events, emails };
}
