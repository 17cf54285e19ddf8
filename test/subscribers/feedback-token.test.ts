import { describe, expect, it } from 'vitest';
import { FEEDBACK_TOKEN_DAYS, signFeedbackToken, verifyFeedbackToken } from '../../src/subscribers/feedback-token.js';

const key = 'k'.repeat(32);
const now = new Date('2026-12-07T10:00:00Z');

describe('feedback tokens', () => {
  it('round-trips subscriber, paper and choice', () => {
    const t = signFeedbackToken(key, 42, '2512.01234', 'more', now);
    expect(verifyFeedbackToken(key, t, now)).toMatchObject({ subscriberId: 42, paperId: '2512.01234', choice: 'more' });
    const slug = signFeedbackToken(key, 7, 'a-paper/with ünïcode', 'less', now);
    expect(verifyFeedbackToken(key, slug, now)).toMatchObject({ subscriberId: 7, paperId: 'a-paper/with ünïcode', choice: 'less' });
  });

  it('refuses a changed choice, paper, subscriber or key', () => {
    const t = signFeedbackToken(key, 42, '2512.01234', 'more', now);
    const parts = t.split('.');
    const swap = (i: number, v: string) => parts.map((p, j) => (j === i ? v : p)).join('.');
    expect(verifyFeedbackToken(key, swap(2, 'l'), now)).toEqual({ problem: 'forged' });
    expect(verifyFeedbackToken(key, swap(0, (43).toString(36)), now)).toEqual({ problem: 'forged' });
    expect(verifyFeedbackToken(key, swap(1, Buffer.from('2512.01235').toString('base64url')), now)).toEqual({ problem: 'forged' });
    expect(verifyFeedbackToken('x'.repeat(32), t, now)).toEqual({ problem: 'forged' });
    expect(verifyFeedbackToken(key, 'nonsense', now)).toEqual({ problem: 'malformed' });
  });

  it(`expires after ${FEEDBACK_TOKEN_DAYS} days`, () => {
    const t = signFeedbackToken(key, 1, 'p', 'less', now);
    expect(verifyFeedbackToken(key, t, new Date(now.getTime() + 59 * 86_400_000))).toMatchObject({ choice: 'less' });
    expect(verifyFeedbackToken(key, t, new Date(now.getTime() + 61 * 86_400_000))).toEqual({ problem: 'expired' });
  });
});
