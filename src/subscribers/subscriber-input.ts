/**
 * A subscriber as an import, the CLI or a form gives one: what the person (or an export) says,
 * before the store decides what it does to the list. It lives here, with the rules about
 * people, so that subscribers/ never imports store/: the store is the one that depends on
 * these rules (decide-import.ts, normalize-email.ts), never the other way round.
 */
import type { ReaderSignalSet } from '../picks/reader-signals.js';
import type { Cadence, SubscriberStatus } from '../types.js';

/** Fields accepted when adding or importing a subscriber. */
export interface SubscriberInput {
  email: string;
  name?: string | null;
  themes?: string[] | null;
  /** Daily or weekly on a weekday (subscribers/cadence.ts); undefined keeps what the list has (daily for someone new). */
  cadence?: Cadence;
  status?: SubscriberStatus;
  /** ISO times, kept as given by an import (an export's columns); else set by the store. */
  createdAt?: string | null;
  confirmedAt?: string | null;
  unsubscribedAt?: string | null;
  /** Ratings and follows from an export's signals column; the import records them after the row (the store ignores them). */
  signals?: ReaderSignalSet;
}
