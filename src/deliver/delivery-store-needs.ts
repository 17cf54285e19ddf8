/**
 * What each part of delivery needs from the Store, in one place: every part depends on the
 * few methods it calls, not on the whole 55-method Store, so it can be read, tested and
 * moved on its own, and another backend (or a role interface such as `DeliveryLedger` or
 * `Locks`) can stand in for the Store wherever these names are used.
 *
 * When the Store is split into role interfaces, each alias below becomes the role (or the
 * intersection of roles) that holds its methods; nothing else in deliver/ needs to change.
 */
import type { Store } from '../store/store.js';

/** The lock lease (take-lock-lease.ts): a named lock with a TTL, renewed while held. */
export type LockLeaseStore = Pick<Store, 'acquireLock' | 'renewLock' | 'lockHolder' | 'releaseLock'>;

/** The job source (create-job-source.ts): who is to be mailed, and what the ledger has for them. */
export type JobSourceStore = Pick<Store, 'listSubscribers' | 'countSubscribers' | 'getDeliveries'>;

/**
 * The ledger writer (create-ledger-writer.ts): every ledger write of a run, and marking a
 * subscriber bounced when the server refuses their address for good.
 */
export type LedgerWriterStore = Pick<
  Store,
  'beginDeliveries' | 'beginDelivery' | 'finishDeliveries' | 'finishDelivery' | 'restoreDeliveries' | 'setSubscriberStatus'
>;

/**
 * deliverIssue (deliver-issue.ts) and deliverInBatches (deliver-in-batches.ts): their parts'
 * needs, and the ledger's counts to say whether the issue is sent. `maxSubscriberId` (how far
 * the batches of ids reach) only deliverInBatches calls; the two take the same store because
 * their caller (issue/send-issue.ts) picks one of them per database and passes either the
 * same options.
 */
export type DeliverIssueStore = LockLeaseStore & JobSourceStore & LedgerWriterStore & Pick<Store, 'countDeliveries' | 'markIssueSent' | 'maxSubscriberId'>;
