/**
 * SubscriberStore: the people on the list, as the store keeps them. A caller that adds,
 * reads, lists or imports subscribers asks for this role only (the web's forms, the CLI's
 * subscribers commands, a send's batches), not for the whole Store.
 */
import type { Cadence, Subscriber, SubscriberStatus } from '../../types.js';
import type { SubscriberInput } from '../../subscribers/subscriber-input.js';

export type { SubscriberInput };

/** Which subscribers a listing or count covers. */
export interface SubscriberFilter {
  status?: SubscriberStatus;
  /** false: only addresses not on the suppression list; true: only those on it. */
  suppressed?: boolean;
  /** Only ids from `from` (inclusive) to `to` (exclusive): one batch of a send shared by several processes. */
  idRange?: { from: number; to: number };
  /** Only subscribers with one of these cadences (an empty list: nobody). */
  cadence?: readonly Cadence[];
  /** Only these ids (an empty list: nobody): a send checks its next few readers again just before they go out. */
  ids?: readonly number[];
  /** Only subscribers the ledger has no outcome for (sent or failed) in this issue: who a stopped run left to send. */
  unfinishedIn?: string;
}

/** What an import did, row by row. */
export interface ImportOutcome {
  added: number;
  updated: number;
  /** Rows for existing subscribers that changed nothing. */
  unchanged: number;
  /** Rows kept out on purpose, with why (for example someone who unsubscribed). */
  skipped: { line: number; email: string; reason: string }[];
}

export interface SubscriberStore {
  /** Adds a subscriber or updates name/themes/cadence/status of an existing one (matched by normalized email). */
  upsertSubscriber(input: SubscriberInput): Promise<{ subscriber: Subscriber; created: boolean }>;
  getSubscriberByEmail(email: string): Promise<Subscriber | null>;
  getSubscriberById(id: number): Promise<Subscriber | null>;
  /** Sets status and the matching timestamp (confirmed/unsubscribed). */
  setSubscriberStatus(id: number, status: SubscriberStatus): Promise<void>;
  setSubscriberPreferences(id: number, prefs: { name?: string | null; themes?: string[] | null; cadence?: Cadence }): Promise<void>;
  /**
   * Streams subscribers in id order without loading them all. `suppressed: false` leaves out
   * addresses on the suppression list, `true` yields only those.
   */
  listSubscribers(filter?: SubscriberFilter): AsyncIterable<Subscriber>;
  countSubscribers(filter?: SubscriberFilter): Promise<number>;
  /**
   * The first subscriber (lowest id) of each distinct pair of topics followed (as stored) and
   * whether a name is known, in id order: one sample of every copy a send will make, found by
   * the database (issue/check-before-send.ts) rather than by streaming the whole list.
   */
  firstByThemesAndName(filter?: SubscriberFilter): Promise<Subscriber[]>;
  /** The highest subscriber id (0 when there is none): how far the batches of a shared send reach. */
  maxSubscriberId(): Promise<number>;
  /**
   * Imports rows in one transaction: all or nothing. What a row does to an existing record is
   * decided by subscribers/decide-import.ts: an import never activates anyone who is not
   * active already, and rows that say someone left are kept as such.
   */
  importSubscribers(rows: { line: number; input: SubscriberInput }[]): Promise<ImportOutcome>;
}
