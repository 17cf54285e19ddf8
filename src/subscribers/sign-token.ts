/**
 * Signed tokens for the links in every email (unsubscribe, preferences, confirm).
 * HMAC-SHA256 over the purpose and the subscriber id, keyed by SECRET_KEY, so a link
 * cannot be forged by changing a number and a token for one purpose is useless for another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token lets its holder do. */
export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm';

const mac = (key: string, purpose: TokenPurpose, id: number) =>
  createHmac('sha256', key).update(`${purpose}:${id}`).digest().subarray(0, 18).toString('base64url');

/** Makes the token for one subscriber and purpose: `<id in base36>.<mac>`. */
export function signToken(key: string, purpose: TokenPurpose, subscriberId: number): string {
  return `${subscriberId.toString(36)}.${mac(key, purpose, subscriberId)}`;
}

/** Returns the subscriber id a token was made for, or null when it is malformed or forged. */
export function verifyToken(key: string, purpose: TokenPurpose, token: string): number | null {
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m) return null;
  const id = parseInt(m[1]!, 36);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const expected = Buffer.from(mac(key, purpose, id));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}
