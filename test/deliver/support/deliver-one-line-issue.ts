/**
 * Delivers an issue of one-line messages (Message-ID, To, Subject, "hi") to the active
 * subscribers of `store` through `transport`, then closes the transport: what the tests of
 * pacing, relays, throttles and guardrails share, so each says only what it varies (the
 * server's replies, attempts, backoff, limits).
 */
import { deliverIssue, type DeliverIssueOptions } from '../../../src/deliver/deliver-issue.js';

/** The run's options but the message: store, transport and issueId, and what the test varies. */
export type OneLineIssueOptions = Omit<DeliverIssueOptions, 'from' | 'compose' | 'messageIdFor'>;

export async function deliverOneLineIssue(options: OneLineIssueOptions): ReturnType<typeof deliverIssue> {
  try {
    return await deliverIssue({
      from: 'news@example.org',
      compose: (sub, messageId) => ({ raw: [Buffer.from(`Message-ID: ${messageId}\r\nTo: ${sub.email}\r\nSubject: Issue\r\n\r\nhi\r\n`)], subject: 'Issue', html: () => '' }),
      messageIdFor: (sub) => `<${options.issueId}.${sub.id}@example.org>`,
      ...options,
    });
  } finally {
    await options.transport.close();
  }
}
