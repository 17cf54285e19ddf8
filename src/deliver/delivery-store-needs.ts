/**
 * What each part of delivery needs from the store, in one place: every part depends on the
 * roles it uses (store/roles/), or the few methods of a role it calls, not on the whole Store,
 * so it can be read, tested and moved on its own.
 */
import type { DeliveryLedger, IssueStore, Locks, MailEvents, Meta, SubscriberStore } from '../store/store.js';

/** The lock lease (take-lock-lease.ts): a named lock with a TTL, renewed while held. */
export type LockLeaseStore = Locks;

/** The job source (create-job-source.ts): who is to be mailed, and what the ledger has for them. */
export type JobSourceStore = Pick<SubscriberStore, 'listSubscribers' | 'countSubscribers'> & Pick<DeliveryLedger, 'getDeliveries'>;

/**
 * The ledger writer (create-ledger-writer.ts): every ledger write of a run, and marking a
 * subscriber bounced when the server refuses their address for good.
 */
export type LedgerWriterStore = Pick<DeliveryLedger, 'beginDeliveries' | 'beginDelivery' | 'finishDeliveries' | 'finishDelivery' | 'restoreDeliveries'> &
  Pick<SubscriberStore, 'setSubscriberStatus'>;

/**
 * deliverIssue (deliver-issue.ts) and deliverInBatches (deliver-in-batches.ts): their parts'
 * needs, and the ledger's counts to say whether the issue is sent. `maxSubscriberId` (how far
 * the batches of ids reach) only deliverInBatches calls; the two take the same store because
 * their caller (issue/send-issue.ts) picks one of them per database and passes either the
 * same options.
 */
export type DeliverIssueStore = DeliveryLedger &
  Locks &
  JobSourceStore &
  LedgerWriterStore &
  Pick<IssueStore, 'markIssueSent'> &
  Pick<SubscriberStore, 'maxSubscriberId'> &
  // The guardrails: complaints recorded for the issue, and the line /admin shows when one stopped a run.
  Pick<MailEvents, 'mailEventCounts'> &
  Pick<Meta, 'getMeta' | 'setMeta'>;
