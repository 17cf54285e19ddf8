/**
 * parse-retry-delay.ts against replies as servers write them: the wait each asks for (or
 * none), and whether it is throttling (what halves a domain's rate) or a one-off refusal.
 */
import { describe, expect, it } from 'vitest';
import { isThrottling, parseRetryDelay } from '../../src/deliver/parse-retry-delay.js';

const S = 1000;
const M = 60 * S;

/** [reply, the wait it asks for in ms or null, throttling] */
const REPLIES: [string, number | null, boolean][] = [
  // Asking for a time, in the common wordings.
  ['421 4.7.0 Try again in 2 seconds', 2 * S, true],
  ['EENVELOPE: 421 4.7.0 Too many messages from you, try again in 2 seconds', 2 * S, true],
  ['450 4.7.1 Client host rejected: too many connections, retry in 300 seconds', 300 * S, true],
  ['451 4.7.1 Greylisted, please try again in 5 minutes', 5 * M, true],
  ['451 4.7.1 Please try again in 1 min', 1 * M, true],
  ['452 4.2.2 Mailbox busy, retry after 120', 120 * S, true],
  ['451 4.4.5 Rate limit exceeded. Retry after 30s', 30 * S, true],
  ['421 4.7.0 Please wait 10 min before sending more mail', 10 * M, true],
  ['450 4.2.0 Greylisted for 5 minutes (see https://example.org/greylist)', 5 * M, true],
  ['451 Greylisting in action, please come back in 00:05:00', 5 * M, true],
  ['451 4.7.1 Service unavailable - try again in 0.5 hours', 30 * M, true],
  ['421 Too many concurrent SMTP connections; please try again in 90 secs', 90 * S, true],
  ['451 4.3.2 Message deferred for 15m due to sending limits', 15 * M, true],
  ['421 4.3.2 Message throttled; retry in 45 sec', 45 * S, true],
  // Durations in parts, days, numbers in words, and clocks of minutes and seconds.
  ['421 4.7.28 try again in 2 minutes 30 seconds', 150 * S, true],
  ['421 4.7.0 try again in 1 hour 30 minutes', 90 * M, true],
  ['421 4.7.0 try again in 1 hour and 30 minutes', 90 * M, true],
  ['451 4.7.1 Greylisted, retry in 1h30m', 90 * M, true],
  ['451 4.7.1 try again in 2 minutes, 5 seconds', 125 * S, true],
  ['421 4.7.0 try again in 1 day', 24 * 60 * M, true],
  ['421 4.7.0 try again in 2 days', 48 * 60 * M, true],
  ['421 4.7.0 try again in one minute', 1 * M, true],
  ['450 4.7.1 please try again in a minute', 1 * M, true],
  ['451 4.7.1 retry in an hour', 60 * M, true],
  ['421 4.7.0 try again in ten seconds', 10 * S, true],
  ['421 4.7.0 try again in 5:00', 5 * M, true],
  ['421 4.7.0 retry in 01:30:00', 90 * M, true],
  ['451 4.7.1 come back in 00:00:45', 45 * S, true],
  // A later part that is no smaller is not part of the duration.
  ['421 4.7.0 try again in 5 minutes a day', 5 * M, true],
  ['451 4.3.0 Please resend your message at a later time', null, false],
  // The big providers, who mostly name no time.
  [
    '421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. https://support.google.com/mail/?p=UnsolicitedRateLimitError a1si123.45 - gsmtp',
    null,
    true,
  ],
  ['421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn\'t aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp', null, true],
  ['450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message at a later time. - gsmtp', null, true],
  ['451 4.7.650 The mail server [203.0.113.5] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent]', null, true],
  ['421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', null, true],
  // One-off refusals: retried, the domain's rate kept.
  ['451 4.3.0 Try again later', null, false],
  ['451 4.3.0 Queue busy', null, false],
  ['452 4.3.1 Insufficient system storage', null, false],
  // Not a refusal by the domain at all.
  ['ECONNECTION: Connection closed unexpectedly', null, false],
  ['ETIMEDOUT: Timeout', null, false],
  ['250 2.0.0 OK 1700000000 queued as 4.5 in 3 s', null, false],
];

describe('parseRetryDelay and isThrottling', () => {
  it.each(REPLIES)('%s', (reply, wait, throttling) => {
    expect(parseRetryDelay(reply)).toBe(wait);
    expect(isThrottling(reply)).toBe(throttling);
  });

  it('reads nothing from no reply', () => {
    expect(parseRetryDelay(null)).toBeNull();
    expect(parseRetryDelay('')).toBeNull();
    expect(isThrottling(undefined)).toBe(false);
  });
});
