/**
 * `paperpost send [<source>]`: delivers the issue for a digest to every active subscriber,
 * exactly once; `--to` sends one test copy outside the ledger, `--dry-run` sends nothing.
 * `send --weekly [<YYYY-Www>]` sends a weekly issue (the last full week by default) to the
 * weekly readers whose day has come (issue/send-weekly-issue.ts); with `--to`, one test copy
 * of it, as for a daily issue.
 * The exit code is 0 only when nobody is left deferred or unsent, or when only --limit left
 * the rest for the next run.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { SendReport } from '../../issue/send-issue.js';
import { gateLines } from '../../render/checks/check-problem.js';
import type { WeeklySendReport } from '../../issue/send-weekly-issue.js';
import { isWeekId } from '../../iso-week.js';
import { err, kb, out, openTransportEarly, shutdownSignal, warnSecret, withApp, type DigestOpts } from '../context.js';
import { describeSummary } from '../describe-summary.js';
import { addDigestOptions, parsePositive } from '../options.js';
import { seedIfEmpty } from '../seed-if-empty.js';
import { withProgress } from '../with-progress.js';
import { complaintWarnings } from '../complaint-warnings.js';

function describeSend(r: SendReport, outbox: boolean) {
  if (r.mode === 'not-sent') return `issue ${r.issueId} not sent: ${r.reason}`;
  if (r.mode === 'test') return `${outbox ? 'wrote a test copy to the outbox' : 'sent a test copy'} of issue ${r.issueId}: "${r.subject}"`;
  if (r.mode === 'dry-run') return `dry run of issue ${r.issueId}: "${r.subject}" (${kb(r.htmlBytes)} HTML) would go to ${r.wouldSend} subscriber(s) now${r.suppressed ? `; ${r.suppressed} suppressed (never mailed)` : ''}`;
  const s = r.summary!;
  if (s.sent + s.deferred + s.failed === 0 && s.alreadyDone > 0 && s.complete) {
    return `nothing new: issue ${r.issueId} has already gone to all ${s.alreadyDone} active subscriber(s)${s.skipped ? ` (${s.skipped} skipped: weekly readers, or readers of none of its themes)` : ''}`;
  }
  return describeSummary(r.issueId, s, outbox);
}

function describeWeekly(r: WeeklySendReport, outbox: boolean) {
  if (r.mode === 'not-sent') return `weekly issue ${r.issueId} not sent: ${r.reason}`;
  if (r.mode === 'test') {
    const sofar = r.weekInProgress ? ' (the week is not over: its daily issues so far)' : '';
    return `${outbox ? 'wrote a test copy to the outbox' : 'sent a test copy'} of weekly issue ${r.issueId}${sofar}: "${r.subject}"`;
  }
  if (r.mode === 'dry-run') return `dry run of weekly issue ${r.issueId}: "${r.subject}" (${kb(r.htmlBytes)} HTML) would go to ${r.wouldSend} weekly reader(s) now`;
  const s = r.summary!;
  if (s.sent + s.deferred + s.failed === 0 && s.alreadyDone > 0 && s.complete) return `nothing new: weekly issue ${r.issueId} has already gone to its ${s.alreadyDone} weekly reader(s) whose day has come`;
  return describeSummary(r.issueId, s, outbox);
}

/** --weekly's value: nothing (the last full week) or an ISO week. */
const parseWeek = (v: string | true): string | true => {
  if (v === true || isWeekId(v)) return v;
  throw new UsageError(`--weekly ${JSON.stringify(v)} is not an ISO week`, 'give the week as YYYY-Www, e.g. --weekly 2026-W49, or no value for the last full week');
};

/** Registers `send`. */
export function registerSendCommand(program: Command): void {
  addDigestOptions(
    program
      .command('send')
      .description('deliver the issue for a digest to every active subscriber, exactly once')
      .argument('[source]', 'a digest source; default DIGEST_SOURCE (its newest digest)'),
  )
    .option('--dry-run', 'render and count, send nothing')
    .option('--to <email>', 'send one test copy to this address (not recorded in the ledger); with --weekly, of the weekly issue')
    .addOption(new Option('--limit <n>', 'send at most n messages this run').argParser(parsePositive('--limit')))
    .option('--weekly [YYYY-Www]', "send a weekly issue (default: the last full week) to the weekly readers whose day has come")
    .action(async (source: string | undefined, opts: DigestOpts & { dryRun?: boolean; to?: string; limit?: number; weekly?: string | true }) => {
      if (opts.dryRun && opts.to !== undefined) throw new UsageError('--dry-run sends nothing, and --to sends a test copy: use one of them', 'drop --dry-run to send the test copy');
      if (opts.limit !== undefined && opts.to !== undefined) throw new UsageError('--to sends one test copy, and --limit caps a send to the list: use one of them', 'drop --limit to send the test copy');
      if (opts.weekly !== undefined) {
        const week = parseWeek(opts.weekly);
        if (source !== undefined || opts.format !== undefined || opts.date !== undefined) {
          throw new UsageError('--weekly builds the week from the daily issues already sent: it takes no digest source, --format or --date', 'paperpost send --weekly 2026-W49');
        }
        await withApp(async (app) => {
          warnSecret(app.config);
          const { sendWeeklyIssue } = await import('../../issue/send-weekly-issue.js');
          const report = await withProgress((onProgress) =>
            sendWeeklyIssue(app, { weekId: week === true ? undefined : week, dryRun: opts.dryRun, limit: opts.limit, to: opts.to, signal: shutdownSignal(), onProgress }),
          );
          for (const w of report.renderWarnings) err(`warning: ${w}`);
          const outbox = !app.config.smtpUrl;
          out(describeWeekly(report, outbox));
          for (const note of report.summary?.relayNotes ?? []) err(`warning: ${note}`);
          if (outbox && (report.mode === 'send' || report.mode === 'test')) out(`outbox: ${path.join(path.relative(process.cwd(), app.config.outboxDir), report.issueId)}/ (SMTP_URL is not set, so messages are written here)`);
          if (report.mode === 'send') for (const w of await complaintWarnings(app)) err(`warning: ${w}`);
          process.exitCode = report.summary && !report.summary.complete && !report.summary.stoppedAtLimit && !shutdownSignal().aborted ? 1 : 0;
        }, { transport: await openTransportEarly(opts.dryRun) });
        return;
      }
      await withApp(async (app) => {
        await seedIfEmpty(app);
        warnSecret(app.config);
        const { sendIssue } = await import('../../issue/send-issue.js');
        const report = await withProgress((onProgress) => sendIssue(app, { ...opts, source, signal: shutdownSignal(), onProgress }));
        for (const w of report.warnings) err(`warning: ${w.position}: ${w.message}`);
        for (const w of report.renderWarnings) err(`warning: ${w}`);
        if (report.checks) for (const line of gateLines(report.checks)) err(line);
        const outbox = !app.config.smtpUrl;
        out(describeSend(report, outbox));
        for (const note of report.summary?.relayNotes ?? []) err(`warning: ${note}`);
        // A guardrail stopped the run (too many hard bounces, complaints over the line): why, in one line.
        if (report.summary?.stoppedBy) err(`issue ${report.issueId}: ${report.summary.stoppedBy}`);
        if (outbox && report.mode !== 'dry-run' && report.mode !== 'not-sent') {
          out(`outbox: ${path.join(path.relative(process.cwd(), app.config.outboxDir), report.issueId)}/ (SMTP_URL is not set, so messages are written here; open index.html in a browser)`);
        }
        // Stopped by SIGTERM/SIGINT with the messages in flight recorded is a clean stop (exit 0): the next run sends the rest.
        if (report.mode === 'send') for (const w of await complaintWarnings(app)) err(`warning: ${w}`);
        process.exitCode = report.summary && !report.summary.complete && !report.summary.stoppedAtLimit && !shutdownSignal().aborted ? 1 : 0;
        // The SMTP connection opens before the app loads (context.ts, openTransportEarly).
      }, { transport: await openTransportEarly(opts.dryRun) });
    });
}
