/**
 * DKIM signing of one raw message, written once so that every transport signs alike: an .eml
 * in the outbox carries the same DKIM-Signature (same key, same signed headers) as the copy an
 * SMTP send hands to the relay, and so verifies the same way against the published key.
 * nodemailer's signer chooses the headers (From, To, Subject, Date, Message-ID, List-Id, both
 * List-Unsubscribe headers, …); this only feeds it the message and joins what it streams back.
 */
import type DKIM from 'nodemailer/lib/dkim';

/** `raw` signed with `dkim`, or `raw` unchanged when there is no signer. */
export async function signWithDkim(dkim: DKIM | undefined, raw: Buffer | Buffer[]): Promise<Buffer | Buffer[]> {
  if (!dkim) return raw;
  const chunks: Buffer[] = [];
  for await (const chunk of dkim.sign(Buffer.isBuffer(raw) ? raw : Buffer.concat(raw))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
