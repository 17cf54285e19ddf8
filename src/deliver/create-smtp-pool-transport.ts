/**
 * The SMTP transport: a pool of nodemailer SMTPConnections, each kept busy with one
 * transaction after another, handed finished raw messages. It skips nodemailer's Mailer
 * (which would parse and re-stream every message) and the RSET between messages, which is
 * where a plain pooled sendMail spends its time; TLS, AUTH, pipelining and dot-stuffing
 * stay nodemailer's. DKIM, when configured, signs each raw message (both List-Unsubscribe
 * headers included).
 */
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type DKIM from 'nodemailer/lib/dkim';
import { SendFailure, type FailureKind, type OutgoingMessage, type SendResult, type Transport } from './transport.js';
import { WireSmtpConnection } from './wire-smtp-connection.js';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** How the pool reaches the server. The composition root constructs the nodemailer objects. */
export interface SmtpPoolOptions {
  /** For logs: "smtp://host:port". */
  name: string;
  size: number;
  /** Opens (constructs, not yet connected) one connection. */
  createConnection: () => SMTPConnection;
  auth?: { user: string; pass: string };
  dkim?: DKIM;
}

/** Maps an SMTP error to what delivery should do about it. */
export function classifySmtpError(err: SmtpError): FailureKind {
  if (err.code === 'EAUTH' || err.code === 'ETLS' || err.code === 'ENOAUTH' || err.code === 'ECONFIG') return 'fatal';
  if (typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600) {
    // 5xx to the envelope or the data is about this message; 5xx at greeting or login is not.
    return err.code === 'EENVELOPE' || err.code === 'EMESSAGE' ? 'permanent' : 'fatal';
  }
  return 'temporary';
}

const describe = (err: SmtpError) => `${err.code ? err.code + ': ' : ''}${err.response ?? err.message}`.replace(/[\r\n]+/g, ' ');

interface Pooled {
  conn: SMTPConnection;
  broken: boolean;
}

/** Creates the pooled SMTP transport. */
export function createSmtpPoolTransport(options: SmtpPoolOptions): Transport {
  const idle: Pooled[] = [];
  const waiting: ((p: Pooled | null) => void)[] = [];
  let open = 0;
  let closed = false;

  const connect = (): Promise<Pooled> =>
    new Promise((resolve, reject) => {
      const conn = options.createConnection();
      const pooled: Pooled = { conn, broken: false };
      let settled = false;
      const fail = (e: SmtpError) => {
        pooled.broken = true;
        if (!settled) {
          settled = true;
          try {
            conn.close();
          } catch {
            /* already gone */
          }
          // No session came of it: the server is unreachable (or refused us), whatever the message was for.
          reject(new SendFailure(classifySmtpError(e), describe(e), e.responseCode, undefined, true));
        }
      };
      // A connection that dies while idle must not crash the process; it is dropped on next use.
      conn.on('error', (e: SmtpError) => fail(e));
      conn.on('end', () => {
        pooled.broken = true;
      });
      conn.connect(() => {
        if (!options.auth) {
          settled = true;
          return resolve(pooled);
        }
        conn.login(options.auth, (err) => {
          if (err) return fail(err as SmtpError);
          settled = true;
          resolve(pooled);
        });
      });
    });

  const acquire = async (): Promise<Pooled> => {
    for (;;) {
      const p = idle.pop();
      if (!p) break;
      if (!p.broken) return p;
      open--;
    }
    if (open < options.size) {
      open++;
      try {
        return await connect();
      } catch (e) {
        open--;
        throw e;
      }
    }
    const p = await new Promise<Pooled | null>((resolve) => waiting.push(resolve));
    return p ?? acquire();
  };

  const release = (p: Pooled) => {
    if (p.broken || closed) {
      open--;
      try {
        p.conn.close();
      } catch {
        /* already gone */
      }
      // A freed slot lets a waiter open a fresh connection.
      waiting.shift()?.(null);
      return;
    }
    const next = waiting.shift();
    if (next) next(p);
    else idle.push(p);
  };

  const sign = async (raw: Buffer | Buffer[]): Promise<Buffer | Buffer[]> => {
    if (!options.dkim) return raw;
    const chunks: Buffer[] = [];
    for await (const chunk of options.dkim.sign(Buffer.isBuffer(raw) ? raw : Buffer.concat(raw))) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  return {
    name: options.name,
    concurrency: options.size,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const raw = await sign(message.raw);
      const p = await acquire();
      try {
        const info = await new Promise<{ response?: string }>((resolve, reject) =>
          // An array is wire-form pieces: WireSmtpConnection writes them as they are; others get them joined.
          p.conn.send(
            { from: message.from, to: [message.to] },
            Array.isArray(raw) && !(p.conn instanceof WireSmtpConnection) ? Buffer.concat(raw) : (raw as Buffer),
            (err, info) => (err ? reject(err) : resolve(info)),
          ),
        );
        return { response: String(info.response ?? '250 accepted') };
      } catch (e) {
        const err = e as SmtpError;
        // A refused envelope or message leaves the session usable once reset; anything else does not.
        if (err.code === 'EENVELOPE' || err.code === 'EMESSAGE') {
          await new Promise<void>((resolve) => p.conn.reset((resetErr) => ((p.broken ||= !!resetErr), resolve())));
        } else p.broken = true;
        throw new SendFailure(classifySmtpError(err), describe(err), err.responseCode);
      } finally {
        release(p);
      }
    },
    async close() {
      closed = true;
      for (const p of idle.splice(0)) {
        try {
          p.conn.quit();
        } catch {
          /* already gone */
        }
      }
      for (const w of waiting.splice(0)) w(null);
    },
  };
}
