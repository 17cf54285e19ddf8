/**
 * No weekly reader silently loses a week: a reader whose day had no tick after it in the week
 * their issue was due (weekly:sun under a weekday-only schedule; anyone while the scheduler was
 * down for a week) gets that week at the next tick, and never two weekly issues on one tick.
 * Real SQLite, the outbox and the shipped templates; only the clock (Date) is chosen.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { prepareIssue } from '../../src/issue/prepare-issue.js';
import { runDailyJob } from '../../src/schedule/run-daily-job.js';
import { memoryLog, paper, scratch, writeDigest, type Scratch } from './helpers.js';

let s: Scratch;
let app: App;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T12:00:00Z') });
  s = scratch();
  app = s.app();
});
afterEach(async () => {
  vi.useRealTimers();
  await app.close();
});

/** Freezes and marks sent a daily issue, as its send does. */
async function sentDay(date: string, n: number) {
  const { compiled } = await prepareIssue(app, { date, source: 'test', papers: [paper('kv', n, 5), paper('distill', n + 1, 3)] });
  await app.store().freezeIssue(compiled.id, JSON.stringify(compiled));
  await app.store().markIssueSent(compiled.id);
}

/** One 07:00 tick on `date`, whose digest is the day already sent (so the daily part has nothing new). */
async function tick(date: string) {
  const at = new Date(`${date}T07:00:00Z`);
  vi.setSystemTime(at);
  return runDailyJob(app, { log: memoryLog(), scheduledFor: at, sleep: async () => {} });
}

describe('an overdue weekly issue', () => {
  it('goes at the next tick, in the week after, one week a tick per reader', async () => {
    await app.store().importSubscribers([
      { line: 2, input: { email: 'sun@example.org', cadence: 'weekly:sun' } },
      { line: 3, input: { email: 'mon@example.org', cadence: 'weekly:mon' } },
    ]);
    const sun = (await app.store().getSubscriberByEmail('sun@example.org'))!.id;
    const mon = (await app.store().getSubscriberByEmail('mon@example.org'))!.id;
    await sentDay('2026-03-06', 10); // week 10
    await sentDay('2026-03-13', 20); // week 11
    writeDigest(s, '2026-03-13', [paper('kv', 20, 5), paper('distill', 21, 3)]);
    const got = async (issueId: string) => {
      const rows = await app.store().getDeliveries(issueId, [sun, mon]);
      return [sun, mon].filter((id) => rows.get(id)?.status === 'sent').map((id) => (id === sun ? 'sun' : 'mon'));
    };

    // A Monday reader who joins on Sunday of week 11, after their Monday of it: week 10 was never due to them.
    vi.setSystemTime(new Date('2026-03-15T12:00:00Z'));
    await app.store().importSubscribers([{ line: 2, input: { email: 'late@example.org', cadence: 'weekly:mon' } }]);
    const late = (await app.store().getSubscriberByEmail('late@example.org'))!.id;

    // The scheduler was down for all of week 11 (week 10's issue was due then), and it never runs on Sundays.
    // Monday of week 12: both readers get week 10; the Monday reader does not get week 11 as well on this tick.
    const r1 = await tick('2026-03-16');
    expect(r1.detail).toMatch(/overdue weekly issue 2026-W10: written to the outbox 2/);
    expect(await got('2026-W10')).toEqual(['sun', 'mon']);
    expect(await got('2026-W11')).toEqual([]);
    // The reader who joined on Sunday gets week 11, the week due to them, on their Monday, and not week 10.
    expect(r1.detail).toMatch(/; weekly issue 2026-W11: written to the outbox 1/);
    expect(await app.store().getDelivery('2026-W10', late)).toBeNull();
    expect((await app.store().getDelivery('2026-W11', late))?.status).toBe('sent');

    // Tuesday: week 11 for the Monday reader, whose day has come in week 12.
    const r2 = await tick('2026-03-17');
    expect(r2.detail).toMatch(/weekly issue 2026-W11: written to the outbox 1/);
    expect(r2.detail).not.toMatch(/overdue/);
    expect(await got('2026-W11')).toEqual(['mon']);

    // Monday of week 13: week 11 for the Sunday reader, whose Sunday of week 12 had no tick.
    const r3 = await tick('2026-03-23');
    expect(r3.detail).toMatch(/overdue weekly issue 2026-W11: written to the outbox 1/);
    expect(await got('2026-W11')).toEqual(['sun', 'mon']);
    expect((await app.store().countDeliveries('2026-W10')).sent).toBe(2);
    expect((await app.store().countDeliveries('2026-W11')).sent).toBe(3);
  });
});
