/**
 * The SMTP transport: a pool of connections, each kept busy with one transaction after
 * another, handed finished raw messages. It skips nodemailer's Mailer (which would parse and
 * re-stream every message) and the RSET between messages. nodemailer opens each connection
 * (greeting, EHLO, STARTTLS, AUTH). When the server offers PIPELINING, a PipelinedSmtpSession
 * takes the connection over and carries PIPELINE_DEPTH messages at a time (one write and one
 * round trip per message, see pipelined-smtp-session.ts); otherwise, and whenever DKIM is
 * configured, nodemailer's own send carries one message at a time (WireSmtpConnection).
 * DKIM, when configured, signs each raw message (both List-Unsubscribe headers included).
 * A 5xx bounces the reader only when it refuses the reader's address; one that refuses the
 * sender or the message (530 at MAIL FROM, 5.7.x policy, 5.6.x content) is fatal
 * (classifySmtpError, whose-refusal.ts).
 *
 * Several relays (SMTP_URL lists them, parse-relay-list.ts): each new connection picks a
 * healthy relay by weight (pick-relay.ts). A relay that fails RELAY_FAIL_LIMIT connections in
 * a row is drained (no new connection) for `relayPauseMs`, then tried again; a connection
 * that fails while another relay is healthy is opened on that one instead, so the message
 * does not fail for it. A message a relay refuses for now (4xx) while another relay is healthy
 * goes at once through another relay: only a refusal that a second relay repeats (or that no
 * other relay could hear) is the receiving domain's, for its pacer to back off. A relay that
 * refuses several domains in a row is throttling us itself ("relay rate limit exceeded";
 * pick-relay.ts, 3.): it is drained like one that cannot be reached, and its connections are
 * let go. A relay that refuses the sender or the message for good (530 authentication
 * required, 554 5.7.1 content policy: fatal with one relay) would refuse every message: with
 * several, it is drained for the rest of the run (pick-relay.ts, 4.), its connections let go,
 * and the message goes at once through another relay; the run stops only when every relay
 * has refused so. A policy refusal at RCPT TO (5.7.x: maybe the reader's own rule) goes at
 * once through another relay too; a relay that refuses RELAY_FAIL_LIMIT readers in a row so
 * whom another relay then takes is refusing the sender, and is left out the same way. Each accepted message names the relay that took it. A relay that failed or
 * was drained is told at the run's end (`takeNotes`, pick-relay.ts 5.), by host and port only.
 */
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type DKIM from 'nodemailer/lib/dkim';
import { SendFailure, type FailureKind, type OutgoingMessage, type SendResult, type Transport } from './transport.js';
import { WireSmtpConnection } from './wire-smtp-connection.js';
import { PipelinedSmtpSession, type SessionError } from './pipelined-smtp-session.js';
import { wireFormMessages } from './build-message.js';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { createRelayPicker, type Relay, type RelayState } from './pick-relay.js';
import { whoseRefusal } from './whose-refusal.js';

/** Messages a pipelined connection carries at once: one in its transaction, one riding along. */
export const PIPELINE_DEPTH = 2;

interface SmtpError extends Error {
  code?: string;
  /** The command the reply answered ("MAIL FROM", "RCPT TO", "DATA"), as nodemailer and the pipelined session tag it. */
  command?: string;
  responseCode?: number;
  response?: string;
}

/** How the pool reaches the server. The composition root constructs the nodemailer objects. */
export interface SmtpPoolOptions {
  /** For logs: "smtp://host:port" (with several relays, a name for them all). */
  name: string;
  size: number;
  /** Opens (constructs, not yet connected) one connection to the one relay (when `relays` is not given). */
  createConnection?: () => SMTPConnection;
  auth?: { user: string; pass: string };
  /** Several relays, picked by weight per connection; replaces `createConnection` and `auth`. */
  relays?: Relay[];
  /** How long a relay that failed RELAY_FAIL_LIMIT connections in a row is left alone (ms; default 30 s). */
  relayPauseMs?: number;
  dkim?: DKIM;
}

/** A 5xx reply to the envelope or the data (not to the greeting or the login). */
const isTransactionRefusal = (err: SmtpError) =>
  typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600 && (err.code === 'EENVELOPE' || err.code === 'EMESSAGE');

/**
 * Maps an SMTP error to what delivery should do about it. A 5xx to the envelope or the data
 * bounces the reader only when it refuses the reader's address (whose-refusal.ts); one that
 * refuses the sender or the message would refuse every reader, so it stops the run, but at
 * RCPT TO, where it may be one recipient's rule, it only keeps that reader for later (a
 * temporary failure with a 5xx code: the dispatcher stops the run if it repeats). A 5xx at
 * greeting or login stops it too.
 */
export function classifySmtpError(err: SmtpError): FailureKind {
  if (err.code === 'EAUTH' || err.code === 'ETLS' || err.code === 'ENOAUTH' || err.code === 'ECONFIG') return 'fatal';
  if (typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600) {
    if (!isTransactionRefusal(err)) return 'fatal';
    if (whoseRefusal(err.response ?? String(err.responseCode), err.command) === 'recipient') return 'permanent';
    // A policy refusal at RCPT TO (5.7.1 "not authorized") may be one recipient's own rule, not
    // the relay's for everyone: that reader is kept for a later run, never bounced, and the
    // dispatcher stops the run when several readers in a row get one (dispatch-jobs.ts).
    // Authentication (530/535/538) is the sender's whatever the command.
    const basic = err.responseCode;
    return err.command === 'RCPT TO' && basic !== 530 && basic !== 535 && basic !== 538 ? 'temporary' : 'fatal';
  }
  return 'temporary';
}

const describe = (err: SmtpError) => `${err.code ? err.code + ': ' : ''}${err.response ?? err.message}`.replace(/[\r\n]+/g, ' ');

/**
 * Why a relay failed a connection, short, for the warning that names it: the server's reply,
 * or the socket's error code ("ECONNREFUSED"); the relay's user and password masked.
 */
function whyRelayFailed(err: SmtpError, auth: { user: string; pass: string } | undefined): string {
  let why = err.response ? describe(err) : (/\bE[A-Z]{3,}\b/.exec(err.message)?.[0] ?? describe(err));
  for (const secret of [auth?.pass, auth?.user]) if (secret && secret.length >= 3) why = why.split(secret).join('***');
  return why.replace(/[\r\n]+/g, ' ');
}

/**
 * The SendFailure for an SMTP error; a refused sender or message says so, and what to do
 * (`relays`: how many relays have refused it so, when more than one).
 */
function failureOf(err: SmtpError, unreachable = false, relays = 1): SendFailure {
  const kind = classifySmtpError(err);
  if (kind === 'fatal' && isTransactionRefusal(err)) {
    const where = err.command === 'MAIL FROM' ? 'the sender (MAIL FROM)' : err.command === 'RCPT TO' ? 'the sender or the message (RCPT TO)' : 'the message (DATA)';
    const who = relays > 1 ? `each of the ${relays} relays refused the sender or the message; the last refused` : 'the relay refused';
    return new SendFailure(
      'fatal',
      `${who} ${where}, not the reader's address: ${(err.response ?? '').replace(/[\r\n]+/g, ' ')}`,
      err.responseCode,
      "no reader was marked bounced; fix the sender (MAIL_FROM, the user and password in SMTP_URL) or what the relay's policy refuses, then rerun to send the rest",
      unreachable,
    );
  }
  return new SendFailure(kind, describe(err), err.responseCode, undefined, unreachable);
}

interface Pooled {
  conn: SMTPConnection;
  relay: RelayState;
  broken: boolean;
  /** Set when the connection is pipelined. */
  session?: PipelinedSmtpSession;
}

/** A 4xx reply to this message (not a connection that could not open or was lost). */
const isRefusalForNow = (err: { responseCode?: number; unsent?: boolean }) =>
  typeof err.responseCode === 'number' && err.responseCode >= 400 && err.responseCode < 500 && !err.unsent;
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

const DOT = Buffer.from('.\r\n');
const CRLF_DOT = Buffer.from('\r\n.\r\n');

/** The message as it goes on the wire after DATA, ending dot included. */
async function wireData(raw: Buffer | Buffer[]): Promise<Buffer[]> {
  if (wireFormMessages.has(raw)) {
    const pieces = Buffer.isBuffer(raw) ? [raw] : raw;
    const last = pieces[pieces.length - 1];
    return [...pieces, last && last[last.length - 1] === 0x0a ? DOT : CRLF_DOT];
  }
  // Anything else (a DKIM-signed copy, a message from elsewhere) takes nodemailer's filter.
  const stream = new DataStream();
  const out: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => out.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.end(Buffer.isBuffer(raw) ? raw : Buffer.concat(raw));
  await done;
  return [Buffer.concat(out)];
}

/** Creates the pooled SMTP transport. */
export function createSmtpPoolTransport(options: SmtpPoolOptions): Transport {
  const relays = createRelayPicker(
    options.relays ?? [{ name: options.name, weight: 1, createConnection: options.createConnection!, auth: options.auth }],
    options.relayPauseMs,
  );
  // Open connections, those being opened, and sends waiting for room on one.
  const pool: Pooled[] = [];
  const inflight = new Map<Pooled, number>();
  const waiting: (() => void)[] = [];
  let opening = 0;
  let closed = false;

  const wake = () => waiting.shift()?.();

  const drop = (p: Pooled) => {
    if (!p.broken) p.broken = true;
    const i = pool.indexOf(p);
    if (i >= 0) pool.splice(i, 1);
    try {
      if (p.session) p.session.quit();
      else p.conn.close();
    } catch {
      /* already gone */
    }
    // A freed slot lets a waiter open a fresh connection.
    wake();
  };

  const connect = (relay: RelayState): Promise<Pooled> =>
    new Promise((resolve, reject) => {
      const conn = relay.createConnection();
      const pooled: Pooled = { conn, relay, broken: false };
      let settled = false;
      const fail = (e: SmtpError) => {
        pooled.broken = true;
        if (!settled) {
          settled = true;
          relays.failed(relay, whyRelayFailed(e, relay.auth));
          try {
            conn.close();
          } catch {
            /* already gone */
          }
          // No session came of it: the server is unreachable (or refused us), whatever the message was for.
          reject(failureOf(e, true));
        }
      };
      // A connection that dies while idle must not crash the process; it is dropped on next use.
      conn.on('error', (e: SmtpError) => fail(e));
      conn.on('end', () => {
        pooled.broken = true;
      });
      const ready = () => {
        settled = true;
        relays.succeeded(relay);
        // PIPELINING offered and no DKIM (which signs a joined copy): one write per message.
        if (!options.dkim && PipelinedSmtpSession.canTakeOver(conn)) {
          pooled.session = new PipelinedSmtpSession(conn, () => {
            pooled.broken = true;
            const i = pool.indexOf(pooled);
            if (i >= 0) pool.splice(i, 1);
            wake();
          });
        }
        resolve(pooled);
      };
      conn.connect(() => {
        if (!relay.auth) return ready();
        conn.login(relay.auth, (err) => {
          if (err) return fail(err as SmtpError);
          ready();
        });
      });
    });

  const capacity = (p: Pooled) => (p.session ? PIPELINE_DEPTH : 1);

  /**
   * A connection with room for one more message: an idle one, a new one, a busy pipelined one,
   * or the next freed. With `avoid` (a relay that just refused the message), one on another
   * relay: an idle connection of `avoid` is let go when the pool has no room for a new one.
   */
  const acquire = async (avoid?: RelayState): Promise<Pooled> => {
    for (;;) {
      if (closed) throw new SendFailure('temporary', 'the SMTP pool is closed');
      let best: Pooled | null = null;
      let idleAvoided: Pooled | null = null;
      for (const p of [...pool]) {
        if (p.broken || p.session?.broken) {
          if ((inflight.get(p) ?? 0) === 0) drop(p);
          continue;
        }
        const n = inflight.get(p) ?? 0;
        if (p.relay === avoid) {
          if (n === 0) idleAvoided = p;
          continue;
        }
        if (n < capacity(p) && (!best || n < inflight.get(best)!)) best = p;
      }
      if (best && (inflight.get(best) ?? 0) === 0) return take(best);
      if (idleAvoided && pool.length + opening >= options.size) drop(idleAvoided);
      if (pool.length + opening < options.size && !closed) {
        opening++;
        try {
          // A relay that fails while another is healthy: try that one (the picker drains a relay after RELAY_FAIL_LIMIT failures in a row).
          for (;;) {
            const relay = relays.pick(avoid);
            try {
              const p = await connect(relay);
              pool.push(p);
              return take(p);
            } catch (e) {
              if (closed || !relays.anotherHealthy(relay)) throw e;
            }
          }
        } finally {
          opening--;
          // Whether it opened or not, a waiter can now try for itself.
          wake();
        }
      }
      if (best) return take(best);
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  const take = (p: Pooled) => (inflight.set(p, (inflight.get(p) ?? 0) + 1), p);
  const release = (p: Pooled) => {
    inflight.set(p, (inflight.get(p) ?? 1) - 1);
    if ((p.broken || closed) && inflight.get(p) === 0) drop(p);
    else wake();
  };

  const sign = async (raw: Buffer | Buffer[]): Promise<Buffer | Buffer[]> => {
    if (!options.dkim) return raw;
    const chunks: Buffer[] = [];
    for await (const chunk of options.dkim.sign(Buffer.isBuffer(raw) ? raw : Buffer.concat(raw))) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  /** One message through nodemailer's send, on a connection of its own. */
  const sendClassic = async (p: Pooled, message: OutgoingMessage, raw: Buffer | Buffer[]) => {
    try {
      // After a turn of the event loop, the outcome that freed this connection is recorded (see deliver-issue.ts).
      await new Promise<void>((resolve) => setImmediate(resolve));
      await message.beforeData?.();
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
      throw err;
    }
  };

  return {
    name: options.name,
    concurrency: options.size * (options.dkim ? 1 : PIPELINE_DEPTH),
    async send(message: OutgoingMessage): Promise<SendResult> {
      const raw = await sign(message.raw);
      let data: Buffer[] | null = null;
      // The relay that refused this message for now, while another was healthy.
      let refusedBy: RelayState | undefined;
      let refusedWhy = '';
      // The relay that refused this message's reader by policy at RCPT TO, while another was healthy, and its reply.
      let policyBy: RelayState | undefined;
      let policyWhy = '';
      // A message of which nothing went out (its connection closed first) goes to another one.
      for (let tries = 1; ; tries++) {
        const p = await acquire(refusedBy ?? policyBy);
        try {
          let response: string;
          if (!p.session) response = (await sendClassic(p, message, raw)).response;
          else {
            data ??= await wireData(raw);
            response = await p.session.send({ from: message.from, to: message.to, data, beforeData: message.beforeData });
          }
          relays.accepted(p.relay);
          // Another relay took a message one refused for now: said at the run's end (pick-relay.ts, 5.).
          if (refusedBy && refusedBy !== p.relay) relays.tookOver(refusedBy, refusedWhy);
          // Another relay took the reader one refused by policy: several in a row, and that one refuses the sender.
          if (policyBy && policyBy !== p.relay && relays.policyRefused(policyBy, policyWhy)) for (const q of pool) if (q.relay === policyBy) q.broken = true;
          return { response, relay: p.relay.name };
        } catch (e) {
          const err = e as SessionError;
          if (isRefusalForNow(err)) {
            // A relay refusing several domains in a row: its own limit; let its connections go.
            if (relays.refused(p.relay, domainOf(message.to), describe(err))) for (const q of pool) if (q.relay === p.relay) q.broken = true;
            // The first refusal, with another relay to ask: ask it.
            if (refusedBy === undefined && relays.anotherHealthy(p.relay) && !closed) {
              refusedBy = p.relay;
              refusedWhy = describe(err);
              continue;
            }
          }
          if (e instanceof SendFailure) throw e;
          // Only a message that failed because its connection closed under it (the session says
          // `unsent`): one the server refused itself goes to the pacer, which honours its wait.
          if (err.unsent && tries < 3 && !closed) continue;
          const failure = failureOf(err);
          // A relay refusing the sender or the message, with others: left out for the run; another relay takes the message.
          if (failure.kind === 'fatal' && isTransactionRefusal(err) && relays.size > 1) {
            const another = relays.refusedSender(p.relay, describe(err));
            for (const q of pool) if (q.relay === p.relay) q.broken = true;
            if (another && !closed) continue;
            throw failureOf(err, false, relays.size);
          }
          // A policy refusal at RCPT TO (temporary, with its 5xx code), with another relay to ask: ask it.
          if (failure.kind === 'temporary' && (failure.responseCode ?? 0) >= 500 && policyBy === undefined && relays.size > 1 && relays.anotherHealthy(p.relay) && !closed) {
            policyBy = p.relay;
            policyWhy = describe(err);
            continue;
          }
          throw failure;
        } finally {
          release(p);
        }
      }
    },
    takeNotes: () => relays.takeNotes(),
    // A relay left out for a run's sake (it refused the sender or the message) is tried again by the next run.
    finish: async () => relays.newRun(),
    warmUp() {
      // One connection, only into an empty pool: the sends open the others as they need them.
      if (closed || pool.length + opening > 0) return;
      opening++;
      connect(relays.pick())
        .then(
          (p) => {
            if (!closed) return void pool.push(p);
            // The run ended while it opened: let it go at once.
            try {
              if (p.session) p.session.quit();
              else p.conn.quit();
            } catch {
              /* already gone */
            }
          },
          () => undefined,
        )
        .finally(() => {
          opening--;
          wake();
        });
    },
    async close() {
      closed = true;
      for (const p of [...pool]) {
        if ((inflight.get(p) ?? 0) > 0) continue;
        const i = pool.indexOf(p);
        if (i >= 0) pool.splice(i, 1);
        try {
          if (p.session) p.session.quit();
          else p.conn.quit();
        } catch {
          /* already gone */
        }
      }
      for (const w of waiting.splice(0)) w();
    },
  };
}
