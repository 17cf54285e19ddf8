/**
 * VERP tokens (src/bounces/make-verp-address.ts): they name their delivery, survive MTAs that
 * change case, and cannot be forged, altered or mistaken for a link token.
 */
import { describe, expect, it } from 'vitest';
import { makeVerpAddress, makeVerpToken, readVerpAddress, readVerpToken } from '../../src/bounces/make-verp-address.js';
import { signToken, verifyToken } from '../../src/subscribers/sign-token.js';

const KEY = 'verp-test-secret-0123456789abcdef';
const DOMAIN = 'bounces.paperpost.example';

describe('VERP addresses', () => {
  it('round-trips the issue and subscriber, short and local-part safe', () => {
    for (const [issueId, id] of [['2026-03-02', 1], ['2025-12-31', 4711], ['2099-01-01', Number.MAX_SAFE_INTEGER]] as const) {
      const address = makeVerpAddress(KEY, DOMAIN, issueId, id);
      const token = address.slice('bounces+'.length, address.indexOf('@'));
      expect(token.length).toBeLessThanOrEqual(40);
      expect(token).toMatch(/^[0-9a-z-]+$/);
      expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
      expect(address.endsWith(`@${DOMAIN}`)).toBe(true);
      expect(readVerpAddress(KEY, DOMAIN, address)).toEqual({ issueId, subscriberId: id });
    }
  });

  it('survives MTAs that change the case, and angle brackets', () => {
    const address = makeVerpAddress(KEY, DOMAIN, '2026-03-02', 123456789);
    expect(readVerpAddress(KEY, DOMAIN, address.toUpperCase())).toEqual({ issueId: '2026-03-02', subscriberId: 123456789 });
    expect(readVerpAddress(KEY, DOMAIN.toUpperCase(), `<${address}>`)).toEqual({ issueId: '2026-03-02', subscriberId: 123456789 });
  });

  it('refuses forged, altered and malformed tokens without throwing', () => {
    const token = makeVerpToken(KEY, '2026-03-02', 42);
    const [date, id, mac] = token.split('-') as [string, string, string];
    const forged = [
      `${date}-${(43).toString(32)}-${mac}`, // another subscriber, same mac
      `20260303-${id}-${mac}`, // another issue
      `${date}-${id}-${mac.slice(0, -1)}${mac.endsWith('a') ? 'b' : 'a'}`, // one character off
      `${date}-0${id}-${mac}`, // a second spelling of the id
      `${date}-${id}-${mac}x`,
      `20260230-${id}-${mac}`, // no such date
      '',
      'bounces',
      '<script>',
      `${date}-${id}`,
    ];
    for (const f of forged) expect(readVerpToken(KEY, f)).toBeNull();
    expect(readVerpToken('another-secret-0123456789abcdef', token)).toBeNull();
    expect(readVerpAddress(KEY, DOMAIN, `bounces+${token}@elsewhere.example`)).toBeNull();
    expect(readVerpAddress(KEY, DOMAIN, `other+${token}@${DOMAIN}`)).toBeNull();
    expect(readVerpAddress(KEY, DOMAIN, 'not an address')).toBeNull();
  });

  it('is no use as a link token, nor a link token as one (distinct purposes)', () => {
    const link = signToken(KEY, 'unsubscribe', 42);
    expect(readVerpToken(KEY, link)).toBeNull();
    expect(verifyToken(KEY, 'unsubscribe', makeVerpToken(KEY, '2026-03-02', 42))).toBeNull();
  });

  it('refuses to make a token for ids that cannot be one', () => {
    expect(() => makeVerpAddress(KEY, DOMAIN, '2026-3-2', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => makeVerpAddress(KEY, DOMAIN, '2026-03-02', 0)).toThrow(/positive/);
    expect(() => makeVerpAddress(KEY, 'not a domain', '2026-03-02', 1)).toThrow(/domain/);
  });
});
