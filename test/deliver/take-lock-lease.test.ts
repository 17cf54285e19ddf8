/**
 * The lock lease (take-lock-lease.ts) on a real SQLite store: one holder at a time, a live
 * holder refused by name, a dead local holder taken over at once, the lease renewed while
 * held (the store's clock is faked; the renewal timer is real), and released.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { isDeadLocalHolder, takeLockLease } from '../../src/deliver/take-lock-lease.js';
import { LockError } from '../../src/errors.js';

let store: Store;
let clock = Date.parse('2026-03-02T06:00:00Z');
beforeEach(() => {
  clock = Date.parse('2026-03-02T06:00:00Z');
  store = createSqliteStore(new Database(':memory:'), () => new Date(clock));
});
afterEach(async () => {
  await store.close();
});

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('takeLockLease', () => {
  it('holds the lock until released; a second taker is refused with the holder named', async () => {
    const lease = await takeLockLease(store, 'send:x', 60_000, 'issue x is');
    expect(lease.holder).toMatch(new RegExp(`^${os.hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(await store.lockHolder('send:x')).toBe(lease.holder);
    const refused = takeLockLease(store, 'send:x', 60_000, 'issue x is');
    await expect(refused).rejects.toBeInstanceOf(LockError);
    await expect(refused).rejects.toThrow(`issue x is being sent by another process (${os.hostname()}, pid ${process.pid})`);
    await lease.release();
    await lease.release();
    expect(await store.lockHolder('send:x')).toBeNull();
    await (await takeLockLease(store, 'send:x', 60_000, 'issue x is')).release();
  });

  it('takes over at once from a holder on this host whose process is gone, but not from one elsewhere', async () => {
    const dead = `${os.hostname()}:${deadPid()}:0000abcd`;
    expect(isDeadLocalHolder(dead)).toBe(true);
    await store.acquireLock('send:x', dead, 60_000);
    const lease = await takeLockLease(store, 'send:x', 60_000, 'issue x is');
    expect(await store.lockHolder('send:x')).toBe(lease.holder);
    await lease.release();

    const elsewhere = `another-host.example:${deadPid()}:0000abcd`;
    expect(isDeadLocalHolder(elsewhere)).toBe(false);
    expect(isDeadLocalHolder(`${os.hostname()}:${process.pid}:0000abcd`)).toBe(false);
    await store.acquireLock('send:x', elsewhere, 60_000);
    await expect(takeLockLease(store, 'send:x', 60_000, 'issue x is')).rejects.toThrow(/another-host\.example, pid \d+/);
  });

  it('renews the lease while held, so it outlives its TTL; once released, it is free', async () => {
    const lease = await takeLockLease(store, 'send:x', 3000, 'issue x is');
    clock += 2900;
    // The renewal runs every max(1 s, TTL / 3) of real time.
    await new Promise((r) => setTimeout(r, 1300));
    clock += 2900;
    expect(await store.acquireLock('send:x', 'other', 3000)).toBe(false);
    await lease.release();
    expect(await store.acquireLock('send:x', 'other', 3000)).toBe(true);
  });

  it('without renewal the same lock would have expired (the test above can fail)', async () => {
    await store.acquireLock('send:x', 'gone', 3000);
    clock += 5800;
    expect(await store.acquireLock('send:x', 'other', 3000)).toBe(true);
  });
});
