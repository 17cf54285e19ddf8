/**
 * nodemailer's SMTPConnection, minus one cost: it runs every message byte through a
 * JavaScript dot-stuffing and line-end filter (about 100-200 MB/s), which caps a pooled
 * newsletter send well below what the network and the server can take. Messages from
 * build-message.ts are already in wire form (CRLF only, no line starting with a dot: see
 * encodeQpLine), so for those the filter would change nothing and is replaced by a plain
 * pass-through that adds the terminating dot. Anything else (a DKIM-signed copy, a message
 * from elsewhere) takes nodemailer's own filter. Everything else — TLS, AUTH, pipelining,
 * replies — stays nodemailer's.
 */
import { Readable, Writable } from 'node:stream';
import type net from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { wireFormMessages } from './build-message.js';

type SendArgs = Parameters<SMTPConnection['send']>;

/**
 * Where a wire-form message goes during DATA: straight into the socket, counted, ending with
 * the terminating dot. Writes of one tick are corked together, so a message made of many
 * pieces leaves in one writev rather than one write each.
 */
class WireSink extends Writable {
  outByteCount = 0;
  private lastByte = -1;
  private corked = false;

  constructor(private readonly socket: net.Socket) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (chunk.length) {
      if (!this.corked) {
        this.corked = true;
        this.socket.cork();
        process.nextTick(() => {
          this.corked = false;
          this.socket.uncork();
        });
      }
      this.outByteCount += chunk.length;
      this.lastByte = chunk[chunk.length - 1]!;
      this.socket.write(chunk);
    }
    done();
  }

  override _final(done: (e?: Error | null) => void): void {
    // The same ending nodemailer's DataStream writes.
    const end = Buffer.from(this.lastByte === 0x0a ? '.\r\n' : '\r\n.\r\n');
    this.outByteCount += end.length;
    this.socket.write(end);
    done();
  }
}

/** The pieces of a wire-form message, handed to a WireSink in one go when piped into it. */
class WirePieces extends Readable {
  constructor(private readonly pieces: Buffer[]) {
    super();
  }

  override _read(): void {
    for (const p of this.pieces) this.push(p);
    this.push(null);
  }

  override pipe<T extends NodeJS.WritableStream>(dest: T, options?: { end?: boolean }): T {
    if (!(dest instanceof WireSink)) return super.pipe(dest, options);
    for (const p of this.pieces) dest.write(p);
    dest.end();
    return dest;
  }
}

interface Internals {
  _socket: net.Socket | false | null;
  _currentDataStream: Writable | false;
  _createSendStream(callback: unknown): Writable;
}

/** An SMTPConnection that sends build-message.ts output without re-filtering every byte. */
export class WireSmtpConnection extends SMTPConnection {
  private wireNext = false;

  /** Also takes an array of Buffers: the pieces of a wire-form message, sent without joining them. */
  override send(envelope: SendArgs[0], message: SendArgs[1] | Buffer[], done: SendArgs[2]): void {
    this.wireNext = typeof message === 'object' && wireFormMessages.has(message);
    if (Array.isArray(message)) {
      // Pieces that are not known to be in wire form are joined and take the normal filter.
      super.send(envelope, (this.wireNext ? new WirePieces(message) : Buffer.concat(message)) as unknown as Buffer, done);
      return;
    }
    super.send(envelope, message, done);
  }

  /** @internal nodemailer calls this once the envelope is accepted. */
  _createSendStream(callback: unknown): Writable {
    const self = this as unknown as Internals;
    const original = (SMTPConnection.prototype as unknown as Internals)._createSendStream.call(this, callback);
    if (!this.wireNext || !self._socket) return original;
    this.wireNext = false;
    const socket = self._socket;
    (original as unknown as Readable).unpipe(socket);
    const wire = new WireSink(socket);
    wire.once('finish', () => {
      if (self._currentDataStream === wire) self._currentDataStream = false;
    });
    self._currentDataStream = wire;
    return wire;
  }
}
