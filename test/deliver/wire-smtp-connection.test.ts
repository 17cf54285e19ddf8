import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import DataStream from '../../node_modules/nodemailer/dist/esm/smtp-connection/data-stream.js';
import { createMessageBuilder, wireFormMessages } from '../../src/deliver/build-message.js';
import { WireSmtpConnection } from '../../src/deliver/wire-smtp-connection.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/start-smtp-server.js';

/** What nodemailer's own filter would put on the wire for these bytes. */
function dotStuffed(raw: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const ds = new DataStream();
    const out: Buffer[] = [];
    ds.on('data', (c: Buffer) => out.push(c));
    ds.on('end', () => resolve(Buffer.concat(out)));
    ds.end(raw);
  });
}

const build = createMessageBuilder({ issueId: '2025-12-11', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org' });
const text = fc.string({ unit: fc.constantFrom('.', '\r', '\n', ' ', '=', 'a', 'é', '🚀', '\u0000', 'x'), maxLength: 400 });

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('wire form', () => {
  it('needs no dot-stuffing or line-end repair, whatever the subject, name and bodies hold', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, text, text, async (subject, name, html, body) => {
        const raw = build({ to: 'a@example.org', toName: name, subject, html, text: body, messageId: '<1@x>', unsubscribeUrl: 'https://x/u/1', date: new Date(0) });
        expect(wireFormMessages.has(raw)).toBe(true);
        // Exactly what the filter would send: the bytes unchanged plus the terminating dot.
        expect((await dotStuffed(raw)).equals(Buffer.concat([raw, Buffer.from('.\r\n')]))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('arrives byte for byte at a real SMTP server, wire-form or not', async () => {
    server = await startSmtpServer();
    const conn = new WireSmtpConnection({ host: '127.0.0.1', port: server.port, ignoreTLS: true });
    await new Promise<void>((resolve, reject) => {
      conn.once('error', reject);
      conn.connect(() => resolve());
    });
    const send = (raw: Buffer) =>
      new Promise<void>((resolve, reject) => conn.send({ from: 'news@example.org', to: ['a@example.org'] }, raw, (e) => (e ? reject(e) : resolve())));
    const wire = build({ to: 'a@example.org', toName: null, subject: 's', html: '.starts with a dot\n..two\n.', text: '.\r\n.', messageId: '<1@x>', unsubscribeUrl: 'https://x/u/1', date: new Date(0) });
    const foreign = Buffer.from('Subject: hi\r\n\r\n.leading dot\nbare LF\r\n..\r\n');
    const pieces = build.encodedPieces({ to: 'b@example.org', toName: null, subject: 'p', messageId: '<2@x>', unsubscribeUrl: 'https://x/u/2', date: new Date(0), textBody: [Buffer.from('=2Eone'), Buffer.from('\r\ntwo')], htmlBody: Buffer.from('<p>x</p>') });
    await send(wire);
    await send(foreign);
    await new Promise<void>((resolve, reject) => conn.send({ from: 'news@example.org', to: ['b@example.org'] }, pieces, (e) => (e ? reject(e) : resolve())));
    conn.quit();
    expect(server.received[0]!.raw.equals(wire)).toBe(true);
    // Pieces go out in order, unjoined, and arrive as the one message they make.
    expect(server.received[2]!.raw.equals(Buffer.concat(pieces))).toBe(true);
    expect(server.received[2]!.parsed.text).toBe('.one\ntwo');
    // The foreign message took nodemailer's filter: dots kept, the bare LF repaired.
    expect(server.received[1]!.raw.toString()).toBe('Subject: hi\r\n\r\n.leading dot\r\nbare LF\r\n..\r\n');
    expect(server.received[0]!.parsed.html).toContain('.starts with a dot');
  });
});
