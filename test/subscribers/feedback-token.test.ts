import { describe, expect, it } from 'vitest';
import { createFeedbackSigner, FEEDBACK_TOKEN_DAYS, feedbackTokenIssue, signFeedbackToken, takesCompactTokens, verifyFeedbackToken } from '../../src/subscribers/feedback-token.js';

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

describe('compact feedback tokens (a paper named by its card in the frozen issue)', () => {
  const issue = ['2512.01234', 'learning-disentangled-representations-for-time-series', 'a-paper/with ünïcode'];
  const shown = [
    { paperId: issue[2]!, card: 2 },
    { paperId: issue[0]!, card: 0 },
  ];
  const sign = (id = 42, made = now) => createFeedbackSigner(key, id, '2026-12-07', shown, made);

  it('round-trips subscriber, paper and choice for every paper of a copy, and stays short', () => {
    const tokens = sign();
    expect(tokens).toHaveLength(2);
    for (const [i, p] of shown.entries()) {
      expect(feedbackTokenIssue(tokens[i]!.more)).toBe('2026-12-07');
      expect(verifyFeedbackToken(key, tokens[i]!.more, now, issue)).toMatchObject({ subscriberId: 42, paperId: p.paperId, choice: 'more' });
      expect(verifyFeedbackToken(key, tokens[i]!.less, now, issue)).toMatchObject({ subscriberId: 42, paperId: p.paperId, choice: 'less' });
    }
    expect(tokens[0]!.more.length).toBeLessThanOrEqual(40);
    // The same link made again is the same link (a resend carries what the first send did).
    expect(sign()).toEqual(tokens);
  });

  it('refuses a changed choice, card, subscriber, day, issue, key, or a card that now holds another paper', () => {
    const t = sign()[1]!.more;
    const m = /^(\w+)\.(\w+)\.([\w-]+)\.(\w+?)([ml])([\w-]{12})$/.exec(t)!;
    const forged = (s: string, papers: readonly string[] | null = issue) => expect(verifyFeedbackToken(key, s, now, papers)).toEqual({ problem: 'forged' });
    forged(`${m[1]}.${m[2]}.${m[3]}.${m[4]}l${m[6]}`);
    forged(`${m[1]}.${m[2]}.${m[3]}.1m${m[6]}`);
    forged(`${(43).toString(36)}.${m[2]}.${m[3]}.${m[4]}m${m[6]}`);
    forged(`${m[1]}.${(parseInt(m[2]!, 36) + 1).toString(36)}.${m[3]}.${m[4]}m${m[6]}`);
    forged(`${m[1]}.${m[2]}.2026-12-08.${m[4]}m${m[6]}`);
    forged(`${m[1]}.${m[2]}.${m[3]}.${m[4]}m${m[6]!.slice(0, 11)}${m[6]!.endsWith('A') ? 'B' : 'A'}`);
    expect(verifyFeedbackToken('x'.repeat(32), t, now, issue)).toEqual({ problem: 'forged' });
    forged(t, ['another-paper', ...issue.slice(1)]);
    forged(t, null);
    forged(t, []);
  });

  it(`expires after ${FEEDBACK_TOKEN_DAYS} days`, () => {
    const t = sign()[0]!.less;
    expect(verifyFeedbackToken(key, t, new Date(now.getTime() + 59 * 86_400_000), issue)).toMatchObject({ choice: 'less', paperId: issue[2] });
    expect(verifyFeedbackToken(key, t, new Date(now.getTime() + 61 * 86_400_000), issue)).toEqual({ problem: 'expired' });
  });

  it('is made only for what fits its block: other issues ids and subscribers get long tokens', () => {
    expect(takesCompactTokens('2026-12-07', 42, now)).toBe(true);
    expect(takesCompactTokens('2026-W50', 2 ** 32 - 1, now)).toBe(true);
    expect(takesCompactTokens('2026-12-07', 2 ** 32, now)).toBe(false);
    expect(takesCompactTokens('issue 7', 42, now)).toBe(false);
    expect(() => createFeedbackSigner(key, 2 ** 32, '2026-12-07', shown, now)).toThrow();
  });

  it('still verifies a long token mailed before compact ones existed', () => {
    const mailed = '16.bGVhcm5pbmctZGlzZW50YW5nbGVkLXJlcHJlc2VudGF0aW9ucy1mb3ItdGltZS1zZXJpZXM.m.g1m.h6BBjCjWxpz-ksRpKjw06yTj';
    expect(feedbackTokenIssue(mailed)).toBeNull();
    expect(verifyFeedbackToken(key, mailed, now)).toMatchObject({ subscriberId: 42, paperId: issue[1], choice: 'more' });
  });
});
