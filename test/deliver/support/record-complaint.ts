/**
 * Records a complaint (a feedback-loop report, as a provider's webhook delivers it) of one
 * reader about one issue: what the tests of the complaint guardrail, in-process and through
 * the CLI, put in the store before the next run.
 */
import type { Store } from '../../../src/store/store.js';

export async function recordComplaint(store: Pick<Store, 'recordMailEvent'>, issueId: string, subscriberId: number): Promise<void> {
  await store.recordMailEvent({
    eventKey: `fbl-${subscriberId}`,
    source: 'webhook:test',
    type: 'complaint',
    severity: null,
    issueId,
    subscriberId,
    recipient: `r${subscriberId - 1}@example.org`,
    status: null,
    diagnostic: 'abuse report',
    occurredAt: null,
    outcome: 'complained',
  });
}
