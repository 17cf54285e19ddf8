/**
 * VERP envelope senders (issue 15). Each message goes out with Return-Path
 * `bounces+<token>@<BOUNCE_DOMAIN>`, so a bounce names its delivery without anyone reading the
 * bounce's free text. The token is `<issue YYYYMMDD>-<subscriber id in base 32>-<mac>` (a weekly
 * issue, `YYYY-Www`, is written `YYYYwWW`):
 *
 * - short: at most 8 + 1 + 11 + 1 + 16 = 37 characters, so the local part stays under 64;
 * - case-insensitive: digits, lowercase letters and '-' only, and read back lowercased, because
 *   some MTAs lowercase local parts on the way back;
 * - signed: HMAC-SHA256 over a purpose string of its own ('verp'), keyed by SECRET_KEY, cut to
 *   80 bits and written in RFC 4648 base 32. No link token (sign-token.ts) or Message-ID
 *   (deliver/message-id-for.ts) can pass for one, nor the other way round.
 *
 * A forged, altered or malformed token reads as null, compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isWeekId } from '../iso-week.js';

/** The delivery a VERP token names. */
export interface VerpTarget {
  /** The issue, YYYY-MM-DD (a weekly issue: YYYY-Www). */
  issueId: string;
  subscriberId: number;
}

/** The local part before the '+'. */
export const VERP_PREFIX = 'bounces';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_CHARS = 16;

/** RFC 4648 base 32, lowercase, without padding: case-insensitive and safe in a local part. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const macOf = (key: string, issueId: string, subscriberId: number) =>
  base32(createHmac('sha256', key).update(`verp:${issueId}:${subscriberId}`).digest().subarray(0, 10)).slice(0, MAC_CHARS);

/** True for a real calendar date written YYYY-MM-DD. */
function isDate(issueId: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issueId)) return false;
  const d = new Date(`${issueId}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === issueId;
}

/** A daily issue's date, or a weekly issue's ISO week. */
const isIssueId = (issueId: string) => isDate(issueId) || isWeekId(issueId);

/** The token alone (what comes after `bounces+`). Throws on an issue id or subscriber id that cannot be one. */
export function makeVerpToken(secretKey: string, issueId: string, subscriberId: number): string {
  if (!isIssueId(issueId)) throw new Error(`VERP: issue id ${JSON.stringify(issueId)} is not a YYYY-MM-DD date or a YYYY-Www week`);
  if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0) throw new Error(`VERP: subscriber id ${subscriberId} is not a positive integer`);
  return `${issueId.replace(/-/g, '').toLowerCase()}-${subscriberId.toString(32)}-${macOf(secretKey, issueId, subscriberId)}`;
}

/** Reads a token (any case); null when it is malformed or its mac does not match. */
export function readVerpToken(secretKey: string, token: string): VerpTarget | null {
  const m = /^(\d{4})(?:(\d{2})(\d{2})|w(\d{2}))-([0-9a-v]{1,11})-([a-z2-7]{16})$/.exec(token.toLowerCase());
  if (!m) return null;
  const issueId = m[4] ? `${m[1]}-W${m[4]}` : `${m[1]}-${m[2]}-${m[3]}`;
  if (!isIssueId(issueId)) return null;
  const subscriberId = parseInt(m[5]!, 32);
  // A leading zero would give a second spelling of the same id.
  if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0 || subscriberId.toString(32) !== m[5]) return null;
  const expected = Buffer.from(macOf(secretKey, issueId, subscriberId));
  const given = Buffer.from(m[6]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { issueId, subscriberId } : null;
}

/** The envelope sender for one delivery: `bounces+<token>@<bounceDomain>`. */
export function makeVerpAddress(secretKey: string, bounceDomain: string, issueId: string, subscriberId: number): string {
  const domain = bounceDomain.trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) {
    throw new Error(`VERP: bounce domain ${JSON.stringify(bounceDomain)} is not a domain name`);
  }
  return `${VERP_PREFIX}+${makeVerpToken(secretKey, issueId, subscriberId)}@${domain}`;
}

/**
 * True when `address` is shaped like one of our VERP addresses (`bounces+…@bounceDomain`, any
 * case, with or without angle brackets), whether or not its token is genuine.
 */
export function looksLikeVerpAddress(bounceDomain: string, address: string): boolean {
  return splitVerpAddress(bounceDomain, address) !== null;
}

function splitVerpAddress(bounceDomain: string, address: string): string | null {
  const a = address.trim().replace(/^<(.*)>$/, '$1').trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at <= 0) return null;
  if (a.slice(at + 1) !== bounceDomain.trim().toLowerCase()) return null;
  const local = a.slice(0, at);
  const prefix = `${VERP_PREFIX}+`;
  return local.startsWith(prefix) ? local.slice(prefix.length) : null;
}

/**
 * The delivery a VERP address names, or null when it is not at `bounceDomain`, not a
 * `bounces+` address, malformed, or forged. Case does not matter.
 */
export function readVerpAddress(secretKey: string, bounceDomain: string, address: string): VerpTarget | null {
  const token = splitVerpAddress(bounceDomain, address);
  return token === null ? null : readVerpToken(secretKey, token);
}
