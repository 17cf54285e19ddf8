/**
 * Reads a whole stream (stdin, an HTTP body) into memory, but stops as soon as it passes
 * the size limit, so a runaway source cannot exhaust memory.
 */
import { DigestError } from '../errors.js';

/** Collects `stream` into one Buffer; throws DigestError once more than `maxBytes` arrive. */
export async function readLimited(
  stream: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  name: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buf.length;
    if (total > maxBytes) {
      // Leaving the loop cancels the stream (web streams) or destroys it (Node streams).
      throw tooBig(name, maxBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

/** The DigestError for a digest larger than `maxBytes`. */
export function tooBig(name: string, maxBytes: number): DigestError {
  return new DigestError(
    `${name}: the digest is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`,
    'a day of papers is far smaller; check that this is the right source',
  );
}
