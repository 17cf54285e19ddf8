/**
 * The daily job once, for `run` and `schedule --once`: with a progress bar on a terminal, the
 * exit code set (1 while deliveries are left), and the lines that say what it did.
 */
import type { App } from '../app.js';
import type { DailyJobResult, JobLogger } from '../schedule/run-daily-job.js';
import { shutdownSignal } from './context.js';
import { describeSummary } from './describe-summary.js';
import { withProgress } from './with-progress.js';
import { complaintWarnings } from './complaint-warnings.js';

/** Runs the daily job once; returns its result and the lines describing it. */
export async function runJobOnce(app: App, log: JobLogger): Promise<{ result: DailyJobResult; lines: string[] }> {
  const { runDailyJob } = await import('../schedule/run-daily-job.js');
  const result = await withProgress((onProgress) => runDailyJob(app, { log, signal: shutdownSignal(), onProgress: (_id, p) => onProgress(p) }));
  // Stopped by SIGTERM/SIGINT with the messages in flight recorded is a clean stop (exit 0): the next run sends the rest.
  process.exitCode = result.outcome === 'incomplete' && !shutdownSignal().aborted ? 1 : 0;
  const lines = result.summaries.map(({ issueId, summary }) => describeSummary(issueId, summary, !app.config.smtpUrl));
  // A run "sent" by its weekly issue alone still says what the day's digest did.
  const daySent = result.issueId !== null && result.summaries.some((s) => s.issueId === result.issueId);
  if (result.outcome !== 'sent' || lines.length === 0 || !daySent) lines.push(`${result.outcome === 'nothing-new' ? 'nothing new' : result.outcome}: ${result.detail}`);
  for (const w of await complaintWarnings(app)) lines.push(`warning: ${w}`);
  return { result, lines };
}
