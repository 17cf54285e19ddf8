/**
 * Confirmations: the subscribe form's requests, each waiting for its emailed link to be
 * clicked. Confirming one is the only way anyone becomes active (consent is absolute), so the
 * role is small and kept apart from the rest of SubscriberStore.
 */
import type { Cadence } from '../../types.js';

/** What confirming a subscription link found. */
export type ConfirmOutcome =
  /** The request was confirmed now: the subscriber is active with the request's name and themes. */
  | 'confirmed'
  /** This request was confirmed earlier. */
  | 'already-confirmed'
  /** The request is older than its expiry. */
  | 'expired'
  /** No such request for this subscriber. */
  | 'unknown';

/** An open request from the subscribe form, waiting for its link to be clicked. */
export interface ConfirmationRequest {
  nonce: string;
  subscriberId: number;
  name: string | null;
  themes: string[] | null;
  /** The cadence the form asked for; absent keeps the subscriber's. */
  cadence?: Cadence;
  requestedAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface Confirmations {
  /** Records a request from the subscribe form; its nonce goes into the confirmation link. */
  createConfirmation(subscriberId: number, request: { name: string | null; themes: string[] | null; cadence?: Cadence | null }, ttlMs: number): Promise<ConfirmationRequest>;
  getConfirmation(subscriberId: number, nonce: string): Promise<ConfirmationRequest | null>;
  /**
   * Confirms one request in one transaction: the subscriber becomes active with the request's
   * name, themes and cadence, whatever their status was. This is the only way back for someone who
   * unsubscribed, bounced or complained.
   */
  confirmSubscription(subscriberId: number, nonce: string): Promise<ConfirmOutcome>;
}
