import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../src/subscribers/sign-token.js';

const KEY = 'token-test-secret-0123456789abcdef';

describe('signed tokens', () => {
  it('round-trips the subscriber id for its own purpose only', () => {
    const t = signToken(KEY, 'unsubscribe', 4711);
    expect(verifyToken(KEY, 'unsubscribe', t)).toBe(4711);
    expect(verifyToken(KEY, 'preferences', t)).toBeNull();
    expect(verifyToken('another-secret-0123456789abcdef', 'unsubscribe', t)).toBeNull();
  });

  it('cannot be turned into another subscriber\'s token by changing the id', () => {
    const t = signToken(KEY, 'unsubscribe', 1);
    const forged = (2).toString(36) + t.slice(t.indexOf('.'));
    expect(verifyToken(KEY, 'unsubscribe', forged)).toBeNull();
  });

  it('rejects malformed and tampered tokens without throwing', () => {
    const t = signToken(KEY, 'preferences', 99);
    for (const bad of ['', '.', 'abc', t + 'x', t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A'), '0.' + t.split('.')[1], '-1.' + t.split('.')[1], '<script>.x']) {
      expect(verifyToken(KEY, 'preferences', bad)).toBeNull();
    }
  });
});
