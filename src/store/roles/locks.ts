/**
 * Locks: named leases shared by every process on the database (a send, the scheduler's
 * tick). A holder renews its lease while it works; one that dies stops renewing, and its
 * lock expires by the store's clock.
 */

export interface Locks {
  /**
   * Takes a named lock for `ttlMs` unless a live holder has it. Returns false when held.
   * A holder that dies stops renewing, and its lock expires.
   */
  acquireLock(name: string, holder: string, ttlMs: number): Promise<boolean>;
  renewLock(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLock(name: string, holder: string): Promise<void>;
  /** Who holds a lock now, or null. */
  lockHolder(name: string): Promise<string | null>;
}
