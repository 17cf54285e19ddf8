/**
 * `paperpost bounces fetch`: reads the mailbox bounces and complaints are delivered to
 * (BOUNCE_IMAP_URL), for setups without the SMTP endpoint (a company's Postfix, a provider
 * that forwards reports to a mailbox). It touches only what it understands:
 *
 * 1. connect and open the mailbox named in the URL's path (INBOX by default);
 * 2. for each message (oldest first), skip any over the size limit, then classify it;
 * 3. a delivery status notification or complaint report, or any message with a valid VERP
 *    token, is applied and then moved to BOUNCE_PROCESSED_FOLDER (created if missing);
 * 4. everything else stays where it is, unread state untouched: paperpost never deletes mail
 *    it did not understand (listmonk's keyword matching did, knadh/listmonk#1334).
 *
 * A failure of the mailbox itself (connection, login, a missing mailbox, a refused MOVE) is a
 * BounceMailboxError; anything else (the database) is thrown as it is, so that the command
 * does not blame the mailbox for it.
 */
import { ImapFlow } from 'imapflow';
import type { Store } from '../store/store.js';
import type { MailRules } from './apply-mail-report.js';
import { MAX_INBOUND_BYTES } from './classify-inbound-mail.js';
import { processInboundMail } from './process-inbound-mail.js';

/** The IMAP server could not be reached or refused something; `cause` is imapflow's error. */
export class BounceMailboxError extends Error {
  /** The server refused the user name or password. */
  readonly authenticationFailed: boolean;
  constructor(cause: unknown) {
    const e = cause as Error & { code?: string; authenticationFailed?: boolean; responseText?: string };
    // Dovecot appends its timing to NO replies: "Mailbox doesn't exist: X (0.001 + 0.000 secs)."
    const text = (e.responseText ?? e.code ?? e.message ?? String(cause)).replace(/\s*\(\d+\.\d+(?: \+ \d+\.\d+)* secs\)\.?$/, '');
    super(e.authenticationFailed ? 'the login was refused' : text, { cause });
    this.name = 'BounceMailboxError';
    this.authenticationFailed = Boolean(e.authenticationFailed);
  }
}

/** Runs one IMAP step, turning its failure into a BounceMailboxError. */
async function imap<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw e instanceof BounceMailboxError ? e : new BounceMailboxError(e);
  }
}

/** What one fetch did. */
export interface FetchReport {
  seen: number;
  processed: number;
  left: number;
  tooBig: number;
  lines: string[];
}

/** Fetches and processes the bounce mailbox once. */
export async function fetchBounceMailbox(o: {
  store: Store;
  url: string;
  processedFolder: string;
  secretKey: string;
  bounceDomain?: string;
  rules: MailRules;
  maxBytes?: number;
  /** Accept a self-signed certificate (tests, or `?tls_reject_unauthorized=false` in the URL). */
  insecureTls?: boolean;
}): Promise<FetchReport> {
  // 1.
  const url = new URL(o.url);
  const secure = url.protocol === 'imaps:';
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
  const client = new ImapFlow({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    tls: o.insecureTls || url.searchParams.get('tls_reject_unauthorized') === 'false' ? { rejectUnauthorized: false } : undefined,
    logger: false,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  const report: FetchReport = { seen: 0, processed: 0, left: 0, tooBig: 0, lines: [] };
  const maxBytes = o.maxBytes ?? MAX_INBOUND_BYTES;
  await imap(() => client.connect());
  try {
    const lock = await imap(() => client.getMailboxLock(mailbox));
    try {
      // 2.
      const candidates: { uid: number; size: number }[] = [];
      await imap(async () => {
        for await (const m of client.fetch('1:*', { uid: true, size: true })) candidates.push({ uid: m.uid, size: m.size ?? 0 });
      });
      const toMove: number[] = [];
      for (const { uid, size } of candidates) {
        report.seen++;
        if (size > maxBytes) {
          report.tooBig++;
          report.left++;
          report.lines.push(`uid ${uid}: ${size} bytes, over the ${maxBytes}-byte limit; left in ${mailbox}`);
          continue;
        }
        const message = await imap(() => client.fetchOne(String(uid), { source: true }, { uid: true }));
        const raw = message && message.source ? message.source : Buffer.alloc(0);
        const r = await processInboundMail(o.store, raw, { source: 'imap', secretKey: o.secretKey, bounceDomain: o.bounceDomain, rules: o.rules });
        // 3 and 4.
        if (r.kind === 'bounce' || r.kind === 'complaint' || r.verpValid) {
          toMove.push(uid);
          report.processed++;
          report.lines.push(`uid ${uid}: ${r.summary}`);
        } else {
          report.left++;
          report.lines.push(`uid ${uid}: ${r.summary}; left in ${mailbox}`);
        }
      }
      if (toMove.length > 0) {
        await imap(async () => {
          const exists = (await client.list()).some((f) => f.path === o.processedFolder);
          if (!exists) await client.mailboxCreate(o.processedFolder);
          await client.messageMove(toMove.join(','), o.processedFolder, { uid: true });
        });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return report;
}
