/**
 * A pool on the test's SMTP server, and an issue of one-line messages (Message-ID, To, Subject, "hi") to the active
 * subscribers of `store` through `transport`, then closes the transport: what the tests of
 * pacing, relays, throttles and guardrails share, so each says only what it varies (the
 * server's replies, attempts, backoff, limits).
 */
import { createSmtpPoolTransport } from '../../../src/deliver/create-smtp-pool-transport.js';
import { deliverIssue, type DeliverIssueOptions } from '../../../src/deliver/deliver-issue.js';
import { WireSmtpConnection } from '../../../src/deliver/wire-smtp-connection.js';

/** A pool of `size` connections to the test's SMTP server on `port` (plain, no TLS). */
export const sinkPool = (port: number, size: number) =>
  createSmtpPoolTransport({ name: 'sink', size, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }) });

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
