/**
 * The subscriber a command names by address, or bad input (exit 2, one line) when there is
 * none: every command on one reader's data starts here.
 */
import type { App } from '../app.js';
import { clipInput } from '../echo-input.js';
import { InputError } from '../errors.js';
import type { Subscriber } from '../types.js';

export async function findSubscriber(app: App, email: string): Promise<Subscriber> {
  const subscriber = await app.store().getSubscriberByEmail(email);
  if (!subscriber) throw new InputError(`${clipInput(email)}: no such subscriber`, 'see paperpost subscribers list');
  return subscriber;
}
