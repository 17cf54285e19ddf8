/**
 * An SMTP session that sends one message per write, on a connection nodemailer has opened
 * (greeting, EHLO, STARTTLS, AUTH) to a server that offers PIPELINING (RFC 2920). Once the
 * server has answered a message's DATA with 354, the message, its ending dot and the next
 * message's MAIL FROM, RCPT TO and DATA leave together in one writev (message content may
 * open a group, DATA must close it); the replies are read as they come and matched in order.
 * So a message costs one write and one round trip instead of nodemailer's two and four.
 *
 * 1. send() queues a message; with no envelope open, its MAIL FROM, RCPT TO and DATA go out
 *    at once, else they wait to ride along with the open message's data.
 * 2. On 354, after one turn of the event loop (so the outcome just read is in the ledger's
 *    next write), the message's data goes out but for its ending dot, and the dot follows once
 *    the message's `beforeData` promise (deliverIssue's ledger writes) resolves: the record
 *    and the transfer overlap, and only the dot, which makes the message the server's, waits.
 *    A connection lost before the dot loses nothing: the server drops a message it never saw end.
 * 3. A refused envelope ends that message (RSET goes before the next one); a refused message
 *    or a 421 is that message's error, as nodemailer would report it (codes EENVELOPE and
 *    EMESSAGE, responseCode, response), and a 421 or a lost connection ends the session.
 *    The other messages under way then fail with a plain "connection closed" (ECONNECTION,
 *    no reply of the server's: the 421 was about another message, maybe another domain);
 *    those of which nothing was written have `unsent` set, so the pool can hand them to
 *    another connection. One whose envelope the server refused before closing fails with
 *    that refusal and is not `unsent`: a throttled message goes back through its domain's
 *    backoff (the pacer), not at once to another connection.
 */
import type net from 'node:net';
import { StringDecoder } from 'node:string_decoder';

/** A message as the session takes it: the envelope and the data in wire form, ending dot included. */
export interface PipelinedMessage {
  from: string;
  to: string;
  data: Buffer[];
  beforeData?: () => Promise<void> | undefined;
}

/** An error shaped like nodemailer's, so classifySmtpError reads both alike. */
export interface SessionError extends Error {
  code: string;
  response?: string;
  responseCode?: number;
  command?: string;
  /** Nothing of this message was written: it can go to another connection as it is. */
  unsent?: boolean;
}

interface Tx {
  msg: PipelinedMessage;
  resolve: (response: string) => void;
  reject: (err: SessionError) => void;
  /** waiting: nothing written; envelope: MAIL/RCPT/DATA written; data: data written. */
  stage: 'waiting' | 'envelope' | 'data';
  error: SessionError | null;
  mailFailed: boolean;
  settled: boolean;
}

type Expect = { tx: Tx | null; kind: 'MAIL' | 'RCPT' | 'DATA' | 'END' | 'DISCARD' | 'RSET' | 'QUIT' };

function sessionError(message: string, code: string, response?: string, command?: string): SessionError {
  const err = new Error(response ? `${message}: ${response}` : message) as SessionError;
  err.code = code;
  if (response) {
    err.response = response;
    const n = Number(/^\d+/.exec(response)?.[0]);
    if (n) err.responseCode = n;
  }
  if (command) err.command = command;
  return err;
}

/** The internals of nodemailer's SMTPConnection a takeover needs. */
interface NodemailerInternals {
  _socket: net.Socket;
  _supportedExtensions: string[];
  _onSocketData: (...a: unknown[]) => void;
  _onSocketError: (...a: unknown[]) => void;
  _onConnectionSocketError: (...a: unknown[]) => void;
  _onSocketClose: (...a: unknown[]) => void;
  _onSocketEnd: (...a: unknown[]) => void;
  _onSocketTimeout: (...a: unknown[]) => void;
}

/** A pipelined session over one open connection; see the file comment. */
export class PipelinedSmtpSession {
  /** Messages not yet settled (queued or under way). */
  load = 0;
  broken = false;
  private readonly socket: net.Socket;
  private readonly smtpUtf8: boolean;
  private readonly waiting: Tx[] = [];
  private readonly expects: Expect[] = [];
  /** The message whose envelope is out and whose data is not. */
  private open: Tx | null = null;
  private needReset = false;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private lines: string[] = [];

  /** True when nodemailer's connection is open and the server offers PIPELINING. */
  static canTakeOver(conn: unknown): boolean {
    const c = conn as Partial<NodemailerInternals>;
    return !!c._socket && !c._socket.destroyed && Array.isArray(c._supportedExtensions) && c._supportedExtensions.includes('PIPELINING');
  }

  /** Takes the socket over from an SMTPConnection that is connected (and logged in); it must be idle. */
  constructor(conn: unknown, private readonly onBroken: () => void = () => {}) {
    const c = conn as NodemailerInternals;
    this.socket = c._socket;
    this.smtpUtf8 = c._supportedExtensions.includes('SMTPUTF8');
    const s = this.socket;
    s.removeListener('data', c._onSocketData);
    s.removeListener('timeout', c._onSocketTimeout);
    s.removeListener('close', c._onSocketClose);
    s.removeListener('end', c._onSocketEnd);
    s.removeListener('error', c._onSocketError);
    s.removeListener('error', c._onConnectionSocketError);
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('error', (e: Error) => this.fail(sessionError(`Connection error: ${e.message}`, 'ESOCKET')));
    s.on('timeout', () => this.fail(sessionError('Timeout', 'ETIMEDOUT')));
    s.once('end', () => this.fail(sessionError('Connection closed unexpectedly', 'ECONNECTION')));
    s.once('close', () => this.fail(sessionError('Connection closed unexpectedly', 'ECONNECTION')));
  }

  /** Sends one message; resolves with the server's reply to its data. */
  send(msg: PipelinedMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      for (const [what, address] of [['sender', msg.from], ['recipient', msg.to]] as const) {
        if (/[\r\n<>]/.test(address) || (what === 'recipient' && !address)) {
          reject(sessionError(`Invalid ${what} ${JSON.stringify(address)}`, 'EENVELOPE', undefined, 'API'));
          return;
        }
      }
      const tx: Tx = { msg, resolve, reject, stage: 'waiting', error: null, mailFailed: false, settled: false };
      if (this.broken) {
        reject(Object.assign(sessionError('Connection closed', 'ECONNECTION'), { unsent: true }));
        return;
      }
      this.load++;
      this.waiting.push(tx);
      // 1. Nothing open: this envelope goes now, on its own.
      if (!this.open) this.write([]);
    });
  }

  /** Ends the session politely once nothing is under way. */
  quit(): void {
    if (this.broken) return;
    this.broken = true;
    if (this.expects.length === 0 && this.waiting.length === 0) {
      this.expects.push({ tx: null, kind: 'QUIT' });
      this.socket.end('QUIT\r\n');
      setTimeout(() => this.socket.destroy(), 1000).unref();
    } else this.fail(sessionError('Connection closed', 'ECONNECTION'));
  }

  private settle(tx: Tx, err: SessionError | null, response?: string): void {
    if (tx.settled) return;
    tx.settled = true;
    this.load--;
    if (err) tx.reject(err);
    else tx.resolve(response!);
  }

  /** The envelope commands of a message. */
  private envelope(tx: Tx): string {
    const utf8 = this.smtpUtf8 && /[\x80-\uFFFF]/.test(tx.msg.from + tx.msg.to) ? ' SMTPUTF8' : '';
    tx.stage = 'envelope';
    this.expects.push({ tx, kind: 'MAIL' }, { tx, kind: 'RCPT' }, { tx, kind: 'DATA' });
    return `MAIL FROM:<${tx.msg.from}>${utf8}\r\nRCPT TO:<${tx.msg.to}>\r\nDATA\r\n`;
  }

  /** One write: `data` (a message's, or nothing), then RSET if due and the next envelope if any. */
  private write(data: Buffer[]): void {
    if (this.broken) return;
    let commands = '';
    const next = this.waiting.shift();
    if (next) {
      if (this.needReset) {
        this.needReset = false;
        this.expects.push({ tx: null, kind: 'RSET' });
        commands += 'RSET\r\n';
      }
      commands += this.envelope(next);
    }
    this.open = next ?? null;
    const s = this.socket;
    s.cork();
    for (const piece of data) s.write(piece);
    if (commands) s.write(commands);
    process.nextTick(() => s.uncork());
  }

  /**
   * A message's data but its ending dot (the last piece), ahead of the dot: the server holds
   * it unfinished, and drops it if the connection goes first. The message stays `unsent` until
   * its dot is written. The socket stays corked until the end of this turn of the event loop,
   * so a record written within the turn (SQLite's) sends body, dot and next envelope in one
   * write, as before; a slower one (PostgreSQL's) lets the body go first.
   */
  private writeBody(pieces: Buffer[]): void {
    if (this.broken) return;
    const s = this.socket;
    s.cork();
    for (const piece of pieces) s.write(piece);
    setImmediate(() => s.uncork());
  }

  private onData(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
      if (!line.trim()) continue;
      this.lines.push(line);
      // "250-…" goes on; "250 …" (or a bare code) ends the reply.
      if (line.length > 3 && line.charCodeAt(3) === 45 /* - */ && /^\d{3}/.test(line)) continue;
      const reply = this.lines.join('\n');
      this.lines = [];
      this.onReply(reply);
      if (this.broken && !this.expects.length) return;
    }
    this.partial = text.slice(start);
  }

  private onReply(reply: string): void {
    const e = this.expects.shift();
    if (!e) return this.fail(sessionError('Unexpected Response', 'EPROTOCOL', reply, 'CONN'));
    const ok = reply.charCodeAt(0) === 50; /* 2 */
    const closing = /^421[ -]/.test(reply);
    const tx = e.tx;
    switch (e.kind) {
      case 'MAIL':
        if (!ok) {
          tx!.error = sessionError('Mail command failed', 'EENVELOPE', reply, 'MAIL FROM');
          tx!.mailFailed = true;
        }
        break;
      case 'RCPT':
        if (!ok && !tx!.error) tx!.error = sessionError("Can't send mail - all recipients were rejected", 'EENVELOPE', reply, 'RCPT TO');
        break;
      case 'DATA':
        this.onDataReply(tx!, reply);
        break;
      case 'END':
        this.settle(tx!, ok ? null : sessionError('Message failed', 'EMESSAGE', reply, 'DATA'), reply);
        break;
      case 'DISCARD':
        this.settle(tx!, tx!.error);
        break;
      case 'RSET':
        if (!ok) return this.fail(sessionError('Could not reset session state', 'EPROTOCOL', reply, 'RSET'));
        break;
      case 'QUIT':
        break;
    }
    if (closing) this.fail(sessionError('Connection closed by the server', 'ECONNECTION', reply, 'CONN'));
  }

  private onDataReply(tx: Tx, reply: string): void {
    const go = /^[23]/.test(reply);
    if (tx.error || !go) {
      const err = tx.error ?? sessionError('Data command failed', 'EENVELOPE', reply, 'DATA');
      if (go) {
        // The server took DATA without a recipient. With a refused sender there is no
        // transaction to end: drop the connection. Else end the empty message and go on.
        if (tx.mailFailed) {
          this.open = null;
          this.settle(tx, err);
          return this.fail(sessionError('Connection closed', 'ECONNECTION'));
        }
        tx.error = err;
        tx.stage = 'data';
        this.expects.push({ tx, kind: 'DISCARD' });
        this.write([Buffer.from('.\r\n')]);
        return;
      }
      // The transaction never got to its data: reset it before the next envelope.
      this.settle(tx, err);
      this.needReset = true;
      if (this.open === tx) this.open = null;
      if (this.waiting.length) this.write([]);
      return;
    }
    // 2. The data, once what came before is recorded: while the record is being written, the
    //    message goes out but for its ending dot, which alone makes it the server's.
    setImmediate(() => {
      if (this.broken) return;
      const gate = tx.msg.beforeData?.();
      const data = tx.msg.data;
      const writeData = (pieces: Buffer[]) => {
        if (this.broken) return;
        tx.stage = 'data';
        this.expects.push({ tx, kind: 'END' });
        this.write(pieces);
      };
      if (!gate) return writeData(data);
      if (data.length > 1) this.writeBody(data.slice(0, -1));
      gate.then(
        () => writeData(data.length > 1 ? data.slice(-1) : data),
        (e: unknown) => this.fail(sessionError(`Not sent: ${e instanceof Error ? e.message : String(e)}`, 'ECONNECTION')),
      );
    });
  }

  /** Ends the session: every message not settled fails (unsent when nothing of it was written). */
  private fail(err: SessionError): void {
    const first = !this.broken;
    this.broken = true;
    const pending = new Set<Tx>();
    for (const e of this.expects.splice(0)) if (e.tx) pending.add(e.tx);
    if (this.open) pending.add(this.open);
    for (const tx of this.waiting.splice(0)) pending.add(tx);
    this.open = null;
    for (const tx of pending) {
      const unsent = tx.stage !== 'data';
      // A message the server refused itself before closing (a 421 to its RCPT) fails with that
      // refusal, not `unsent`: it goes back through its domain's backoff, never again at once.
      if (tx.error) {
        this.settle(tx, tx.error);
        continue;
      }
      // Any other message failed only because the connection went: it gets a plain "closed",
      // never the reply that ended the session (another message's "421 … try again in 2
      // minutes" would pause its domain for nothing).
      this.settle(tx, Object.assign(sessionError(err.message, err.code), unsent ? { unsent: true } : {}));
    }
    if (first) {
      this.socket.destroy();
      this.onBroken();
    }
  }
}
