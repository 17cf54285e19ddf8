/**
 * Compares a secret someone sent with the one expected, in time that does not depend on where
 * they differ or on their lengths (both are hashed first), so a webhook secret cannot be
 * guessed a character at a time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();

/** True when `given` equals `expected`, compared in constant time. */
export function safeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected)) && Buffer.from(given).equals(Buffer.from(expected));
}
