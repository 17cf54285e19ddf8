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
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type net from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { wireFormMessages } from './build-message.js';

type SendArgs = Parameters<SMTPConnection['send']>;

/** Passes wire-form bytes through, counting them, and ends with the DATA terminator. */
class WirePassThrough extends Transform {
  outByteCount = 0;
  private lastByte = -1;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (chunk.length) {
      this.outByteCount += chunk.length;
      this.lastByte = chunk[chunk.length - 1]!;
      this.push(chunk);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // The same ending nodemailer's DataStream writes.
    const end = Buffer.from(this.lastByte === 0x0a ? '.\r\n' : '\r\n.\r\n');
    this.outByteCount += end.length;
    this.push(end);
    done();
  }
}

/** All pieces at the first read, so they reach the socket in one go rather than a tick apart each. */
function piecesStream(pieces: Buffer[]): Readable {
  return new Readable({
    read() {
      for (const p of pieces) this.push(p);
      this.push(null);
    },
  });
}

interface Internals {
  _socket: net.Socket | false | null;
  _currentDataStream: Transform | false;
  _createSendStream(callback: unknown): Transform;
}

/** An SMTPConnection that sends build-message.ts output without re-filtering every byte. */
export class WireSmtpConnection extends SMTPConnection {
  private wireNext = false;

  /** Also takes an array of Buffers: the pieces of a wire-form message, sent without joining them. */
  override send(envelope: SendArgs[0], message: SendArgs[1] | Buffer[], done: SendArgs[2]): void {
    this.wireNext = typeof message === 'object' && wireFormMessages.has(message);
    if (Array.isArray(message)) {
      // Pieces that are not known to be in wire form are joined and take the normal filter.
      super.send(envelope, this.wireNext ? piecesStream(message) : Buffer.concat(message), done);
      return;
    }
    super.send(envelope, message, done);
  }

  /** @internal nodemailer calls this once the envelope is accepted. */
  _createSendStream(callback: unknown): Transform {
    const self = this as unknown as Internals;
    const original = (SMTPConnection.prototype as unknown as Internals)._createSendStream.call(this, callback);
    if (!this.wireNext || !self._socket) return original;
    this.wireNext = false;
    const socket = self._socket;
    original.unpipe(socket);
    const wire = new WirePassThrough();
    wire.pipe(socket, { end: false });
    wire.once('end', () => {
      if (self._currentDataStream === wire) self._currentDataStream = false;
    });
    self._currentDataStream = wire;
    return wire;
  }
}
