/**
 * A progress bar for delivery runs on a terminal (sent/total, rate, time left); nothing when
 * stderr is not a terminal, so logs and pipes stay clean.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { DeliveryProgress } from '../deliver/deliver-issue.js';

function progressBar(): { update: (p: DeliveryProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  // Loaded only for a terminal: a send from cron or a pipe does not pay for it at start-up.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'sending {bar} {value}/{total} | {rate}/s | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let begun = false;
  return {
    update(p) {
      if (!begun) {
        bar.start(p.total, 0, { rate: '0' });
        started = performance.now();
        begun = true;
      }
      const done = p.sent + p.deferred + p.failed + p.skipped + p.suppressed + p.alreadyDone + p.leftMeanwhile;
      bar.update(done, { rate: (p.sent / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(0) });
    },
    stop: () => begun && bar.stop(),
  };
}

/** Runs `fn` with a progress bar on a terminal, removed however `fn` ends. */
export async function withProgress<T>(fn: (onProgress: (p: DeliveryProgress) => void) => Promise<T>): Promise<T> {
  const bar = progressBar();
  try {
    return await fn((p) => bar.update(p));
  } finally {
    bar.stop();
  }
}
