/**
 * Signed tokens for the links in every email (unsubscribe, preferences, confirm).
 * HMAC-SHA256 over the purpose and the subscriber id, keyed by SECRET_KEY, so a link
 * cannot be forged by changing a number and a token for one purpose is useless for another.
 * A confirmation link also names one request from the subscribe form (a random nonce kept
 * in the store), so it confirms that request only, once, before it expires.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token lets its holder do. */
export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm';

const macOf = (key: string, data: string) => createHmac('sha256', key).update(data).digest().subarray(0, 18).toString('base64url');
const mac = (key: string, purpose: TokenPurpose, id: number) => macOf(key, `${purpose}:${id}`);

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

/** Makes a confirmation token for one request: `<id in base36>.<nonce>.<mac>`. */
export function signConfirmToken(key: string, subscriberId: number, nonce: string): string {
  return `${subscriberId.toString(36)}.${nonce}.${macOf(key, `confirm:${subscriberId}:${nonce}`)}`;
}

/** The subscriber id and request nonce a confirmation token names, or null when it is malformed or forged. */
export function verifyConfirmToken(key: string, token: string): { subscriberId: number; nonce: string } | null {
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m) return null;
  const id = parseInt(m[1]!, 36);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const expected = Buffer.from(macOf(key, `confirm:${id}:${m[2]!}`));
  const given = Buffer.from(m[3]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { subscriberId: id, nonce: m[2]! } : null;
}
