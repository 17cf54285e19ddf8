/**
 * The scheduler driven by a fake clock over simulated days: node-cron's timers and Date are
 * faked, everything else (SQLite, the outbox, the templates) is real.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { runScheduler } from '../../src/schedule/run-scheduler.js';
import type { DailyJobResult } from '../../src/schedule/run-daily-job.js';
import { addSubscribers, memoryLog, paper, scratch, writeDigest, type Scratch } from './helpers.js';

const DAY = 24 * 3600_000;
const papersFor = (day: number) => [
  paper('kv', day * 10 + 1, 5),
  paper('kv', day * 10 + 2, 4),
  paper('distill', day * 10 + 3, 3),
  paper('distill', day * 10 + 4, 2),
  paper('robot', day * 10 + 5, 1),
];
const emlCount = (s: Scratch, date: string) => {
  const dir = path.join(s.dir, 'outbox', date);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0;
};

/** A running scheduler whose finished runs can be awaited. */
function start(app: App) {
  const controller = new AbortController();
  const results: DailyJobResult[] = [];
  const waiters: (() => void)[] = [];
  const log = memoryLog();
  const done = runScheduler(app, {
    log,
    signal: controller.signal,
    onResult: (r) => {
      results.push(r);
      waiters.splice(0).forEach((w) => w());
    },
  });
  return {
    results,
    log,
    /** Resolves once `n` runs have finished in total (real I/O proceeds while timers are fake). */
    runs: (n: number) => new Promise<void>((resolve) => {
      const check = () => (results.length >= n ? resolve() : waiters.push(check));
      check();
    }),
    async stop() {
      controller.abort();
      await done;
    },
  };
}

let s: Scratch;
const apps: App[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: new Date('2026-03-02T06:59:00Z') });
  s = scratch();
});
afterEach(async () => {
  vi.useRealTimers();
  for (const a of apps.splice(0)) await a.close();
});
const open = (extra?: Record<string, string>) => {
  const a = s.app(extra);
  apps.push(a);
  return a;
};

describe('runScheduler with a fake clock', () => {
  it('sends one issue a day, and nothing on a day without a new digest', async () => {
    const app = open();
    await addSubscribers(app, 3);
    writeDigest(s, '2026-03-02', papersFor(1));
    const sched = start(app);
    await vi.advanceTimersByTimeAsync(60_000); // 07:00, day 1
    await sched.runs(1);
    expect(sched.results[0]).toMatchObject({ outcome: 'sent', issueId: '2026-03-02' });
    expect(emlCount(s, '2026-03-02')).toBe(3);

    writeDigest(s, '2026-03-03', papersFor(2));
    await vi.advanceTimersByTimeAsync(DAY); // 07:00, day 2
    await sched.runs(2);
    expect(sched.results[1]).toMatchObject({ outcome: 'sent', issueId: '2026-03-03' });

    await vi.advanceTimersByTimeAsync(DAY); // day 3: no new digest
    await sched.runs(3);
    expect(sched.results[2]).toMatchObject({ outcome: 'nothing-new', issueId: '2026-03-03' });
    await sched.stop();

    expect(sched.results).toHaveLength(3);
    expect(emlCount(s, '2026-03-02')).toBe(3);
    expect(emlCount(s, '2026-03-03')).toBe(3);
    expect((await app.store().listIssues()).map((i) => i.id)).toEqual(['2026-03-03', '2026-03-02']);
  });

  it('catches up once after being down at the scheduled time, and not again on the next start', async () => {
    const app = open();
    await addSubscribers(app, 2);
    writeDigest(s, '2026-03-02', papersFor(1));
    vi.setSystemTime(new Date('2026-03-02T09:30:00Z')); // down at 07:00, back at 09:30
    const first = start(app);
    await first.runs(1);
    expect(first.results[0]).toMatchObject({ outcome: 'sent', issueId: '2026-03-02' });
    expect(first.log.lines.some((l) => /catch-up/.test(l.msg))).toBe(true);
    await first.stop();

    vi.setSystemTime(new Date('2026-03-02T10:00:00Z')); // restarted again: no second catch-up
    const second = start(app);
    await vi.advanceTimersByTimeAsync(60_000);
    await second.stop();
    expect(second.results).toHaveLength(0);
    expect(emlCount(s, '2026-03-02')).toBe(2);
    expect((await app.store().lastRuns(10)).length).toBe(1);
  });

  it('does not catch up a run missed by more than the window', async () => {
    const app = open({ CATCH_UP_HOURS: '6' });
    writeDigest(s, '2026-03-02', papersFor(1));
    vi.setSystemTime(new Date('2026-03-02T13:30:00Z')); // 6.5 hours late
    const sched = start(app);
    await vi.advanceTimersByTimeAsync(60_000);
    await sched.stop();
    expect(sched.results).toHaveLength(0);
  });

  it('lets two schedulers on one database send each issue once', async () => {
    const a = open();
    const b = open();
    await addSubscribers(a, 4);
    writeDigest(s, '2026-03-02', papersFor(1));
    const one = start(a);
    const two = start(b);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all([one.runs(1), two.runs(1)]);
    writeDigest(s, '2026-03-03', papersFor(2));
    await vi.advanceTimersByTimeAsync(DAY);
    await Promise.all([one.runs(2), two.runs(2)]);
    await one.stop();
    await two.stop();
    const outcomes = [...one.results, ...two.results].map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['sent', 'sent', 'skipped', 'skipped']);
    expect(emlCount(s, '2026-03-02')).toBe(4);
    expect(emlCount(s, '2026-03-03')).toBe(4);
    const counts = await a.store().countDeliveries('2026-03-02');
    expect(counts.sent).toBe(4);
  });
});
