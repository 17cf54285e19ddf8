/**
 * A dry run's count of who would get an issue now, decided as the send decides it, so that
 * `send --dry-run` (daily and weekly) never promises a number the send then contradicts:
 *
 * 1. each active, unsuppressed subscriber of the issue's audience (issue-audience.ts), not yet
 *    sent to (or failed for good);
 * 2. planned a batch at a time, as the send plans them (plan-readers.ts): a reader whose
 *    topics are not in the issue still gets their picks (issue #20);
 * 3. counted when their copy plan lays out to a copy (render/lay-out-copy.ts), at most `limit`.
 */
import type { CompiledIssue } from '../render/compile-issue.js';
import { layOutCopy } from '../render/lay-out-copy.js';
import type { Subscriber } from '../types.js';
import type { DryRunReads } from './send-issue.js';
import { createReaderPlanner, type PlanPorts } from './plan-readers.js';

/** Readers planned at once (their signals read in one query). */
const BATCH = 500;

/** What counting reads: the ledger, and what plans are made from. */
export interface CountPorts extends PlanPorts {
  store(): Pick<DryRunReads, 'getDelivery'>;
}

/** Steps 1–3 over `subscribers` (already filtered by status and suppression). */
export async function countWouldSend(
  ports: CountPorts,
  compiled: CompiledIssue,
  subscribers: AsyncIterable<Subscriber>,
  inAudience: (subscriber: Subscriber) => boolean,
  limit = Number.POSITIVE_INFINITY,
): Promise<number> {
  const planner = createReaderPlanner(compiled, ports);
  const store = ports.store();
  let count = 0;
  let batch: Subscriber[] = [];
  const flush = async () => {
    await planner.planBatch(batch);
    for (const sub of batch) {
      if (count < limit && layOutCopy(compiled, { themes: sub.themes, plan: planner.planOf(sub) }) !== null) count++;
    }
    batch = [];
  };
  // 1.
  for await (const sub of subscribers) {
    if (count >= limit) break;
    if (!inAudience(sub)) continue;
    const d = await store.getDelivery(compiled.id, sub.id);
    if (d && (d.status === 'sent' || d.status === 'failed')) continue;
    batch.push(sub);
    // 2, 3.
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return count;
}
