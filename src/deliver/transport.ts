/**
 * What delivery needs from a mail transport: hand over one raw message, learn whether the
 * server accepted it. SMTP (nodemailer) and the outbox (files) implement it; the
 * composition root picks one.
 */

/** One message ready to go: the envelope plus the complete RFC 5322 bytes. */
export interface OutgoingMessage {
  from: string;
  to: string;
  messageId: string;
  /**
   * The complete RFC 5322 message: one Buffer, or consecutive pieces (build-message.ts's
   * wire form) that are written out without being joined.
   */
  raw: Buffer | Buffer[];
  /**
   * Called just before the message's data goes out; when it returns a promise, the data waits
   * for it. deliverIssue has the outcomes before this message recorded first (see there).
   */
  beforeData?: () => Promise<void> | undefined;
  /** Used by the outbox to name files and build its index. */
  meta: {
    issueId: string;
    subscriberId: number | null;
    subject: string;
    html: () => string;
    /** Told apart from other messages to the same person in the outbox's file names (one-off mails). */
    fileTag?: string;
  };
}

/** The server's answer to one message. */
export interface SendResult {
  /** The server's reply line, e.g. "250 2.0.0 OK queued as ABC". */
  response: string;
  /** Which relay accepted it (its URL without user or password), when the transport has several or names one. */
  relay?: string;
}

/**
 * Why an attempt failed, as delivery needs to know it: `temporary` (4xx, dropped connection:
 * retry later), `permanent` (5xx refusing the recipient's address: bounce), `fatal` (auth or
 * TLS, or a 5xx refusing the sender or the message, see whose-refusal.ts: stop the run).
 */
export type FailureKind = 'temporary' | 'permanent' | 'fatal';

/** A failed attempt, classified. */
export class SendFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly responseCode?: number,
    /** What the operator should do, for fatal failures. */
    readonly hint?: string,
    /** True when no session could be opened at all (refused, DNS, TLS, no greeting): the server is unreachable, not busy. */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

/** A way to send messages. `send` rejects with SendFailure. */
export interface Transport {
  /** Human name for logs: "smtp://host:587" or "outbox out/outbox". */
  readonly name: string;
  /** How many messages it can usefully take at once. */
  readonly concurrency: number;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Starts opening a first connection now, without waiting for it, so the greeting, EHLO,
   * STARTTLS and login overlap the work before the first message (start-up, issue #23). A
   * failure here is met again, and reported, by the first send. Optional: the outbox has nothing to open.
   */
  warmUp?(): void;
  /**
   * What the operator should hear about the run beside each message's outcome, one line
   * each, given once (a second call returns only what happened since): with several relays,
   * one that failed connections or was left out, named by host and port. Optional.
   */
  takeNotes?(): string[];
  /** Called once after a run, e.g. to write the outbox index. */
  finish?(issueId: string): Promise<void>;
  close(): Promise<void>;
}
