/**
 * With several `paperpost schedule` processes on one PostgreSQL database, each tick's run is
 * recorded by one of them (the others get DuplicateRunError and skip the run). The others
 * still help send: while that run is under way, they join the shared send of every unfinished
 * issue through the send queue, as a second `paperpost send` would. They never start a round
 * of their own (the run that has the tick does, after building the issue).
 *
 * 1. Every `pollMs`: for each unfinished issue, join its round of batches if one is under way.
 * 2. Stop when the other run has finished, on abort, or when nothing has been under way for
 *    `idleMs` (a run still fetching its digest, or one whose process died: the next tick and
 *    the lease take care of those).
 */
import type { App } from '../app.js';
import type { DeliveryProgress, DeliverySummary } from '../deliver/deliver-issue.js';
import { deliverPrepared } from '../issue/deliver-prepared.js';
import type { CompiledIssue } from '../render/compile-issue.js';

/** Options of one helping spell. */
export interface JoinSharedSendsOptions {
  /** The scheduled time whose run another scheduler has (ISO). */
  scheduledFor: string;
  signal?: AbortSignal;
  onProgress?: (issueId: string, p: DeliveryProgress) => void;
  pollMs?: number;
  idleMs?: number;
}

/** Helps with the sends under way until the other run finishes; returns what this process sent, per issue. */
export async function joinSharedSends(app: App, o: JoinSharedSendsOptions): Promise<{ issueId: string; summary: DeliverySummary }[]> {
  const store = app.store();
  const pollMs = o.pollMs ?? 2000;
  const idleMs = o.idleMs ?? 2 * app.config.sendClaims.leaseSeconds * 1000 + 60_000;
  const summaries: { issueId: string; summary: DeliverySummary }[] = [];
  let lastBusy = Date.now();
  for (;;) {
    // 1.
    for (const issue of await store.listUnfinishedIssues()) {
      if (o.signal?.aborted) break;
      const compiled = JSON.parse(issue.frozen) as CompiledIssue;
      const { summary } = await deliverPrepared(app, { compiled, frozen: true }, { signal: o.signal, joinOnly: true, onProgress: (p) => o.onProgress?.(issue.id, p) });
      if (summary.total > 0) {
        lastBusy = Date.now();
        summaries.push({ issueId: issue.id, summary });
      }
    }
    // 2.
    const run = await store.findRunFor(o.scheduledFor);
    if (o.signal?.aborted || !run || run.finishedAt || Date.now() - lastBusy > idleMs) return summaries;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      o.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
