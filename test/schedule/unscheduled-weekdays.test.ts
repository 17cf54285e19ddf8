/**
 * A schedule that never runs on a weekday weekly readers chose is said so: when the scheduler
 * starts (with how many readers chose it) and by `schedule --next`. Real node-cron, SQLite and
 * the compiled CLI.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createCronClock } from '../../src/schedule/create-cron-clock.js';
import { runScheduler } from '../../src/schedule/run-scheduler.js';
import { unscheduledWeekdays } from '../../src/schedule/unscheduled-weekdays.js';
import { runCli } from '../helpers/run-cli.js';
import { memoryLog, scratch } from './helpers.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('weekdays without a run', () => {
  it('are the days a schedule never falls on; a schedule too frequent to tell says nothing', () => {
    expect(unscheduledWeekdays(createCronClock('0 7 * * 1-5', 'UTC'), 'UTC')).toEqual(['sat', 'sun']);
    expect(unscheduledWeekdays(createCronClock('30 23 * * 0', 'Europe/Berlin'), 'Europe/Berlin')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
    expect(unscheduledWeekdays(createCronClock('0 7 * * *', 'UTC'), 'UTC')).toEqual([]);
    expect(unscheduledWeekdays(createCronClock('0 */6 * * *', 'UTC'), 'UTC')).toEqual([]);
  });

  it('are warned of when the scheduler starts, for the days weekly readers chose', async () => {
    const s = scratch({ CRON_SCHEDULE: '0 7 * * 1-5', CATCH_UP_HOURS: '0' });
    app = s.app();
    await app.store().importSubscribers([
      { line: 2, input: { email: 'sun1@example.org', cadence: 'weekly:sun' } },
      { line: 3, input: { email: 'sun2@example.org', cadence: 'weekly:sun' } },
      { line: 4, input: { email: 'mon@example.org', cadence: 'weekly:mon' } },
    ]);
    const log = memoryLog();
    const controller = new AbortController();
    const done = runScheduler(app, { log, signal: controller.signal });
    for (let i = 0; i < 100 && !log.lines.some((l) => l.msg.startsWith('scheduled:')); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await done;
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'no run of "0 7 * * 1-5" falls on a Sunday, the day 2 weekly readers chose: they get each week\'s issue at the first run after it, in the week after, not on their day',
    ]);
  });

  it('are noted by schedule --next', () => {
    const r = runCli(['schedule', '--next', '2'], { env: { CRON_SCHEDULE: '0 7 * * 1-5', TZ: 'UTC' } });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr.trim()).toBe("note: no run falls on Saturday, Sunday: weekly readers who chose one of them get each week's issue at the first run after their day");
    expect(runCli(['schedule', '--next', '2'], { env: { CRON_SCHEDULE: '0 7 * * *', TZ: 'UTC' } }).stderr).toBe('');
  });
});
