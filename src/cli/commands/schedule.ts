/**
 * `paperpost schedule`: runs the daily job at CRON_SCHEDULE in TZ until stopped; `--once`
 * runs it now (for the system's cron), `--next N` prints the next run times.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { config, err, out, shutdownSignal, warnSecret, withApp } from '../context.js';
import { parsePositive } from '../options.js';
import { runJobOnce } from '../run-job-once.js';
import { seedIfEmpty } from '../seed-if-empty.js';
import { requireDkimKey } from '../../read-dkim-key.js';

/** The most run times `schedule --next` prints (a bigger number is a slip, and would take minutes). */
const MAX_NEXT = 1000;

/** Registers `schedule`. */
export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description('run the daily job at CRON_SCHEDULE in TZ until stopped (SIGTERM/SIGINT stop it cleanly)')
    .option('--once', 'run the job once now and exit (for system cron, CI, a Kubernetes CronJob)')
    .addOption(new Option('--next <n>', 'print the next n run times and exit').argParser(parsePositive('--next', MAX_NEXT)))
    .action(async (opts: { once?: boolean; next?: number }) => {
      if (opts.once && opts.next !== undefined) throw new UsageError('--once runs the job and --next only prints run times: use one of them');
      const c = config();
      if (opts.next !== undefined) {
        const [{ formatLocalTime }, { createCronClock }] = await Promise.all([import('../../schedule/format-local-time.js'), import('../../schedule/create-cron-clock.js')]);
        const clock = createCronClock(c.cronSchedule, c.timeZone);
        for (const d of clock.nextRuns(opts.next)) out(formatLocalTime(d, c.timeZone));
        // Without the database: which days have no run, for readers who may choose them.
        const { unscheduledWeekdays } = await import('../../schedule/unscheduled-weekdays.js');
        const { weekdayName } = await import('../../subscribers/cadence.js');
        const days = unscheduledWeekdays(clock, c.timeZone).map(weekdayName);
        if (days.length) err(`note: no run falls on ${days.join(', ')}: weekly readers who chose ${days.length === 1 ? 'it' : 'one of them'} get each week's issue at the first run after their day`);
        return;
      }
      warnSecret(c);
      requireDkimKey(c);
      const { createLogger } = await import('../../schedule/create-logger.js');
      const log = createLogger();
      await withApp(async (app) => {
        await seedIfEmpty(app);
        if (opts.once) {
          const { result, lines } = await runJobOnce(app, log);
          log.info({ outcome: result.outcome, issueId: result.issueId }, lines.join('; '));
          return;
        }
        const { runScheduler } = await import('../../schedule/run-scheduler.js');
        await runScheduler(app, { log, signal: shutdownSignal(), doctor: {} });
      }, { create: true });
    });
}
