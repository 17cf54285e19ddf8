/**
 * TableCopy: tables read and written as stored rows, for `paperpost db copy` from one store to
 * another (SQLite to PostgreSQL and back). It bypasses every rule on purpose: the rows were
 * kept by a store that applied them.
 */

/**
 * The tables `paperpost db copy` moves, in an order that respects their references. Locks and
 * rate-limit windows are not copied: they belong to running processes.
 */
export const COPY_TABLES = [
  'subscribers',
  'issues',
  'issue_papers',
  'deliveries',
  'runs',
  'confirmations',
  'suppressions',
  'mail_events',
  'meta',
  'rated_papers',
  'ratings',
  'follows',
] as const;
export type CopyTable = (typeof COPY_TABLES)[number];
/** Each table's key, for reading it in a stable order. */
export const COPY_ORDER: Record<CopyTable, string> = {
  subscribers: 'id',
  issues: 'id',
  issue_papers: 'issue_id, paper_id',
  deliveries: 'issue_id, subscriber_id',
  runs: 'id',
  confirmations: 'nonce',
  suppressions: 'pattern',
  mail_events: 'id',
  meta: 'key',
  rated_papers: 'paper_id',
  ratings: 'subscriber_id, paper_id',
  follows: 'id',
};

export interface TableCopy {
  /** Rows of one table as stored (column → value), `limit` from `offset` in key order (`db copy`). */
  readRows(table: CopyTable, offset: number, limit: number): Promise<Record<string, unknown>[]>;
  /** Writes rows read by readRows of another store, ids included, in one transaction. */
  writeRows(table: CopyTable, rows: Record<string, unknown>[]): Promise<void>;
  countRows(table: CopyTable): Promise<number>;
  /** After writeRows: new rows get ids after the copied ones (PostgreSQL's identity sequences). */
  finishCopy(): Promise<void>;
}
