/**
 * The send lock as a lease: one process sends an issue (or, with several senders on
 * PostgreSQL, one batch of it) at a time, and a process that dies loses the lock without
 * anyone having to clean up. The lock lives in the store with a TTL; the holder renews it
 * while it works, so only a holder that stopped renewing (dead, or frozen) loses it.
 *
 * 1. Take the lock for `ttlMs` under a holder name of this process ("host:pid:nonce").
 * 2. Held by someone else: if the holder names a process on this host that no longer exists
 *    (killed, crashed), take its lock over at once rather than wait out the TTL; otherwise
 *    refuse with a LockError that names the holder's host and pid.
 * 3. Renew every third of the TTL (at least every second) until released.
 * 4. Release: stop renewing, then give the lock up.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { LockError } from '../errors.js';
import type { LockLeaseStore } from './delivery-store-needs.js';

/** A lock this process holds until `release`. */
export interface LockLease {
  readonly name: string;
  /** "host:pid:nonce": who holds it, as other processes see it. */
  readonly holder: string;
  /** Stops renewing and gives the lock up; calling it again does nothing. */
  release(): Promise<void>;
}

/** True when `holder` ("host:pid:nonce") names a process on this host that no longer exists. */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== os.hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes the lock `name` or throws a LockError; see the file comment for the steps. `what`
 * names what the lock guards in that error ("issue 2025-12-11 is").
 */
export async function takeLockLease(store: LockLeaseStore, name: string, ttlMs: number, what: string): Promise<LockLease> {
  const holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  // 1–2.
  if (!(await store.acquireLock(name, holder, ttlMs))) {
    const current = await store.lockHolder(name);
    if (current && isDeadLocalHolder(current)) await store.releaseLock(name, current);
    if (!(await store.acquireLock(name, holder, ttlMs))) {
      throw new LockError(`${what} being sent by another process${current ? ` (${current.split(':').slice(0, 2).join(', pid ')})` : ''}`);
    }
  }
  // 3.
  const renew = setInterval(() => void store.renewLock(name, holder, ttlMs).catch(() => {}), Math.max(1000, ttlMs / 3));
  renew.unref();
  let released: Promise<void> | undefined;
  return {
    name,
    holder,
    // 4.
    release: () => {
      clearInterval(renew);
      return (released ??= store.releaseLock(name, holder));
    },
  };
}
