/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, port 0) that keeps every message
 * it accepts, parsed by mailparser. Hooks let a test turn it hostile.
 */
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  /** MAIL FROM: the envelope sender (a VERP address when BOUNCE_DOMAIN is set). */
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  received: ReceivedMessage[];
  close(): Promise<void>;
}

export interface SmtpHooks {
  /** Return an Error with responseCode to refuse the sender (MAIL FROM). */
  onMailFrom?: (address: SMTPServerAddress, session: SMTPServerSession) => Error | undefined;
  /** Return an Error with responseCode to reject the recipient. */
  onRcptTo?: (address: SMTPServerAddress, session: SMTPServerSession) => Error | undefined;
  /** Return an Error with responseCode to reject the message after DATA. */
  onMessage?: (raw: Buffer, session: SMTPServerSession) => Error | undefined | 'drop';
  auth?: { user: string; pass: string };
  /** Delay each RCPT and DATA reply by this many ms (a slow server). */
  delayMs?: () => number;
  /** Do not offer PIPELINING: the pool sends through nodemailer's own send (the classic path). */
  hidePipelining?: boolean;
}

export const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtpServer(hooks: SmtpHooks = {}): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = [];
  const server = new SMTPServer({
    disabledCommands: hooks.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !hooks.auth,
    logger: false,
    hidePIPELINING: hooks.hidePipelining === true,
    onMailFrom(address, session, cb) {
      cb(hooks.onMailFrom?.(address, session) ?? undefined);
    },
    onAuth(auth, _session, cb) {
      if (hooks.auth && auth.username === hooks.auth.user && auth.password === hooks.auth.pass) return cb(null, { user: auth.username });
      cb(smtpError(535, 'Authentication failed'));
    },
    onRcptTo(address, session, cb) {
      const e = hooks.onRcptTo?.(address, session);
      setTimeout(() => cb(e ?? undefined), hooks.delayMs?.() ?? 0);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const verdict = hooks.onMessage?.(raw, session);
        if (verdict === 'drop') {
          // Keep the message but cut the connection before answering: the sender cannot know it was taken.
          received.push({ envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
          const connections = (server as unknown as { connections: Set<{ session: { id: string }; _socket: { destroy(): void } }> }).connections;
          for (const c of connections) if (c.session.id === session.id) c._socket.destroy();
          return;
        }
        if (verdict) return setTimeout(() => cb(verdict), hooks.delayMs?.() ?? 0);
        received.push({ envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
        setTimeout(() => cb(null, 'OK queued'), hooks.delayMs?.() ?? 0);
      });
    },
  });
  // Clients killed mid-session (the fault tests do that) reset their connections: expected, not a failure.
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
