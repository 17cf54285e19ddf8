/**
 * `paperpost send [<source>]`: delivers the issue for a digest to every active subscriber,
 * exactly once; `--to` sends one test copy outside the ledger, `--dry-run` sends nothing.
 * The exit code is 0 only when nobody is left deferred or unsent.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { SendReport } from '../../issue/send-issue.js';
import { err, kb, out, shutdownSignal, warnSecret, withApp, type DigestOpts } from '../context.js';
import { describeSummary } from '../describe-summary.js';
import { addDigestOptions, parsePositive } from '../options.js';
import { seedIfEmpty } from '../seed-if-empty.js';
import { withProgress } from '../with-progress.js';
import { complaintWarnings } from '../complaint-warnings.js';

function describeSend(r: SendReport, outbox: boolean) {
  if (r.mode === 'not-sent') return `issue ${r.issueId} not sent: ${r.reason}`;
  if (r.mode === 'test') return `${outbox ? 'wrote a test copy to the outbox' : 'sent a test copy'} of issue ${r.issueId}: "${r.subject}"`;
  if (r.mode === 'dry-run') return `dry run of issue ${r.issueId}: "${r.subject}" (${kb(r.htmlBytes)} HTML) would go to ${r.wouldSend} subscriber(s) now`;
  const s = r.summary!;
  if (s.sent + s.deferred + s.failed === 0 && s.alreadyDone > 0 && s.complete) {
    return `nothing new: issue ${r.issueId} has already gone to all ${s.alreadyDone} active subscriber(s)${s.skipped ? ` (${s.skipped} follow none of its themes)` : ''}`;
  }
  return describeSummary(r.issueId, s, outbox);
}

/** Registers `send`. */
export function registerSendCommand(program: Command): void {
  addDigestOptions(
    program
      .command('send')
      .description('deliver the issue for a digest to every active subscriber, exactly once')
      .argument('[source]', 'a digest source; default DIGEST_SOURCE (its newest digest)'),
  )
    .option('--dry-run', 'render and count, send nothing')
    .option('--to <email>', 'send one test copy to this address (not recorded in the ledger)')
    .addOption(new Option('--limit <n>', 'send at most n messages this run').argParser(parsePositive('--limit')))
    .action(async (source: string | undefined, opts: DigestOpts & { dryRun?: boolean; to?: string; limit?: number }) => {
      if (opts.dryRun && opts.to !== undefined) throw new UsageError('--dry-run sends nothing, and --to sends a test copy: use one of them', 'drop --dry-run to send the test copy');
      await withApp(async (app) => {
        await seedIfEmpty(app);
        warnSecret(app.config);
        const { sendIssue } = await import('../../issue/send-issue.js');
        const report = await withProgress((onProgress) => sendIssue(app, { ...opts, source, signal: shutdownSignal(), onProgress }));
        for (const w of report.warnings) err(`warning: ${w.position}: ${w.message}`);
        for (const w of report.renderWarnings) err(`warning: ${w}`);
        const outbox = !app.config.smtpUrl;
        out(describeSend(report, outbox));
        // A guardrail stopped the run (too many hard bounces, complaints over the line): why, in one line.
        if (report.summary?.stoppedBy) err(`issue ${report.issueId}: ${report.summary.stoppedBy}`);
        if (outbox && report.mode !== 'dry-run' && report.mode !== 'not-sent') {
          out(`outbox: ${path.join(path.relative(process.cwd(), app.config.outboxDir), report.issueId)}/ (SMTP_URL is not set, so messages are written here; open index.html in a browser)`);
        }
        // Stopped by SIGTERM/SIGINT with the messages in flight recorded is a clean stop (exit 0): the next run sends the rest.
        if (report.mode === 'send') for (const w of await complaintWarnings(app)) err(`warning: ${w}`);
        process.exitCode = report.summary && !report.summary.complete && !shutdownSignal().aborted ? 1 : 0;
      });
    });
}
