/**
 * One scheduler process sends daily and weekly issues (issue #21): node-cron's timers and Date
 * are faked over a week and a day; SQLite, the outbox, the topic map and the templates are real.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.js';
import { runScheduler } from '../../src/schedule/run-scheduler.js';
import type { DailyJobResult } from '../../src/schedule/run-daily-job.js';
import { memoryLog, paper, scratch, writeDigest, type Scratch } from './helpers.js';

const DAY = 24 * 3600_000;
const papersFor = (day: number) => [paper('kv', day * 10 + 1, 5), paper('distill', day * 10 + 2, 3), paper('robot', day * 10 + 3, 1)];
const emls = (s: Scratch, issueId: string) => {
  const dir = path.join(s.dir, 'outbox', issueId);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0;
};

let s: Scratch;
let app: App;
beforeEach(() => {
  // Monday 2026-03-02, a minute before the 07:00 tick.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: new Date('2026-03-02T06:59:00Z') });
  s = scratch();
  app = s.app();
});
afterEach(async () => {
  vi.useRealTimers();
  await app.close();
});

describe('the scheduler with weekly readers', () => {
  it('sends daily issues to daily readers and, on their weekday, the last week to weekly readers, from one process', async () => {
    await app.store().importSubscribers([
      { line: 2, input: { email: 'daily@example.org' } },
      { line: 3, input: { email: 'monday@example.org', cadence: 'weekly:mon' } },
      { line: 4, input: { email: 'tuesday@example.org', cadence: 'weekly:tue' } },
    ]);
    const controller = new AbortController();
    const results: DailyJobResult[] = [];
    let wake: (() => void) | null = null;
    const done = runScheduler(app, { log: memoryLog(), signal: controller.signal, onResult: (r) => (results.push(r), wake?.()) });
    const runs = (n: number) => new Promise<void>((resolve) => {
      const check = () => (results.length >= n ? resolve() : (wake = check));
      check();
    });

    // Week 10, Monday to Sunday: a digest a day, to the daily reader only.
    for (let d = 0; d < 7; d++) {
      const date = `2026-03-0${2 + d}`;
      writeDigest(s, date, papersFor(d + 1));
      await vi.advanceTimersByTimeAsync(d === 0 ? 60_000 : DAY);
      await runs(d + 1);
      expect(results[d], date).toMatchObject({ outcome: 'sent', issueId: date });
      expect(emls(s, date)).toBe(1);
    }
    expect(emls(s, '2026-W10')).toBe(0);

    // Monday of week 11: the day's issue and week 10's, on the same tick.
    writeDigest(s, '2026-03-09', papersFor(8));
    await vi.advanceTimersByTimeAsync(DAY);
    await runs(8);
    expect(results[7]).toMatchObject({ outcome: 'sent', issueId: '2026-03-09' });
    expect(results[7]!.summaries.map((x) => [x.issueId, x.summary.sent])).toEqual([['2026-03-09', 1], ['2026-W10', 1]]);
    expect(results[7]!.detail).toMatch(/weekly issue 2026-W10: written to the outbox 1/);
    expect(emls(s, '2026-03-09')).toBe(1);
    expect(emls(s, '2026-W10')).toBe(1);
    const frozen = JSON.parse((await app.store().getIssue('2026-W10'))!.frozen) as { paperCount: number; subject: string };
    expect(frozen.paperCount).toBe(21);
    expect(frozen.subject).toMatch(/^Trending papers, week of Mar 2/);

    // Tuesday: nothing new for the day, and week 10 for the Tuesday reader only: the run sent that.
    await vi.advanceTimersByTimeAsync(DAY);
    await runs(9);
    expect(results[8]).toMatchObject({ outcome: 'sent', issueId: '2026-03-09' });
    expect(results[8]!.detail).toMatch(/^issue 2026-03-09 has already gone out; weekly issue 2026-W10: written to the outbox 1/);
    expect((await app.store().lastRuns(1))[0]).toMatchObject({ outcome: 'sent' });
    expect(results[8]!.summaries.map((x) => [x.issueId, x.summary.sent])).toEqual([['2026-W10', 1]]);
    expect(emls(s, '2026-W10')).toBe(2);

    // Wednesday: everyone has had it; nothing new.
    await vi.advanceTimersByTimeAsync(DAY);
    await runs(10);
    expect(results[9]!.summaries).toEqual([]);
    expect(results[9]).toMatchObject({ outcome: 'nothing-new' });
    controller.abort();
    await done;
    const counts = await app.store().countDeliveries('2026-W10');
    expect(counts.sent).toBe(2);
    expect((await app.store().countDeliveries('2026-03-09')).sent).toBe(1);
  });
});
