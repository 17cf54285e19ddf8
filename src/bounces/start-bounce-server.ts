/**
 * `paperpost bounces serve`: the SMTP endpoint the bounce domain's MX points at. Receiving
 * servers send their delivery status notifications and complaint reports to each message's
 * envelope sender, `bounces+<token>@BOUNCE_DOMAIN` (VERP); this takes them in and applies them.
 *
 * 1. Accept mail only for the bounce domain: any other recipient is refused (no relay).
 * 2. Limit what a client can cost: the message size (SIZE, and the data itself), the number of
 *    clients, recipients per message, and idle time. No AUTH, no STARTTLS: it is an MX.
 * 3. Read each message whole, then classify and apply it (process-inbound-mail.ts), and log
 *    one line. A message that is too big, or not a bounce or complaint, changes nothing.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Store } from '../store/store.js';
import type { MailRules } from './apply-mail-report.js';
import { MAX_INBOUND_BYTES } from './classify-inbound-mail.js';
import { processInboundMail } from './process-inbound-mail.js';

/** What the endpoint needs. */
export interface BounceServerOptions {
  store: Store;
  secretKey: string;
  bounceDomain: string;
  rules: MailRules;
  port: number;
  host: string;
  log: (line: string) => void;
  maxBytes?: number;
  /** Idle time before a client is dropped, in ms (default 60 s). */
  socketTimeoutMs?: number;
}

/** Starts the endpoint; resolves once it listens. */
export async function startBounceServer(o: BounceServerOptions): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const maxBytes = o.maxBytes ?? MAX_INBOUND_BYTES;
  const domain = o.bounceDomain.toLowerCase();
  const server = new SMTPServer({
    // 2.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    maxClients: 50,
    socketTimeout: o.socketTimeoutMs ?? 60_000,
    closeTimeout: 5_000,
    banner: 'paperpost bounce endpoint',
    logger: false,
    // 1.
    onRcptTo(address, session, callback) {
      const to = address.address.toLowerCase();
      if (!to.endsWith(`@${domain}`)) return callback(Object.assign(new Error(`5.7.1 <${address.address}>: relay access denied; this server takes mail for ${domain} only`), { responseCode: 550 }));
      if (session.envelope.rcptTo.length >= 10) return callback(Object.assign(new Error('5.5.3 too many recipients'), { responseCode: 452 }));
      callback();
    },
    onMailFrom(address, session, callback) {
      const declared = Number((address.args as Record<string, string> | false | undefined) && (address.args as Record<string, string>).SIZE);
      if (declared > maxBytes) return callback(Object.assign(new Error(`5.3.4 message too big (limit ${maxBytes} bytes)`), { responseCode: 552 }));
      callback();
    },
    // 3.
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address || '<>' : '<>';
        if (stream.sizeExceeded || size > maxBytes) {
          o.log(`bounces: refused a message of more than ${maxBytes} bytes from ${from} (${session.remoteAddress})`);
          return callback(Object.assign(new Error(`5.3.4 message too big (limit ${maxBytes} bytes)`), { responseCode: 552 }));
        }
        const envelopeRecipients = session.envelope.rcptTo.map((r) => r.address);
        processInboundMail(o.store, Buffer.concat(chunks), { source: 'smtp', secretKey: o.secretKey, bounceDomain: domain, envelopeRecipients, rules: o.rules })
          .then((r) => {
            o.log(`bounces: ${from} → ${envelopeRecipients.join(', ')}: ${r.summary}`);
            callback(null, 'received');
          })
          .catch((error: unknown) => {
            o.log(`bounces: could not process a message from ${from}: ${(error as Error).message}`);
            callback(Object.assign(new Error('4.3.0 temporary failure, try again later'), { responseCode: 451 }));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors once it listens are logged; one while it starts is the caller's (one line there, not two).
  server.on('error', (e) => o.log(`bounces: ${e.message}`));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
