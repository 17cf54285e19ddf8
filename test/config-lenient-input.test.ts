/**
 * Configuration that paperpost used to take silently, reading it as something else or not at
 * all. Each is now refused at start with one line (exit 2), as loadConfig reports it.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const SECRET = { SECRET_KEY: 'x'.repeat(32) };

/** The problems loadConfig finds in `env` (none: []). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...SECRET, ...env }, '/tmp');
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
}

describe('SMTP_URL parameters: a misspelt one (?wieght=2) was ignored', () => {
  it.each([
    ['smtp://127.0.0.1:2700?wieght=2', /^SMTP_URL must be relays with only the parameters weight and tls_reject_unauthorized; "wieght" would be ignored/],
    ['smtp://127.0.0.1:2700,smtp://127.0.0.1:2701?pool=true', /"pool" would be ignored \(relay 2 of 2\)/],
    ['smtp://127.0.0.1:2700?tls_reject_unauthorized=no', /tls_reject_unauthorized=false or =true, once/],
  ])('SMTP_URL=%s is refused', (url, says) => {
    expect(problems({ SMTP_URL: url })).toEqual([expect.stringMatching(says)]);
  });

  it('weight and tls_reject_unauthorized=false are taken', () => {
    expect(problems({ SMTP_URL: 'smtp://127.0.0.1:2700?weight=2&tls_reject_unauthorized=false,smtp://127.0.0.1:2701' })).toEqual([]);
  });
});

describe('SMTP_DOMAIN_LIMITS of commas only was taken as no limits', () => {
  it.each([',', ' , ,'])('SMTP_DOMAIN_LIMITS=%j is refused', (v) => {
    expect(problems({ SMTP_DOMAIN_LIMITS: v })).toEqual([expect.stringMatching(/^SMTP_DOMAIN_LIMITS must be entries such as .* has none/)]);
  });
});

describe('whole numbers: 1e2 and 0x5 were read as 100 and 5', () => {
  it.each([
    ['MAX_PAPERS', '1e2', 'a whole number of 1 or more'],
    ['MAX_PAPERS', '5.0', 'a whole number of 1 or more'],
    ['PICKS', '0x5', 'a whole number from 0 to 50'],
    ['SMTP_POOL_SIZE', '+5', 'a whole number from 1 to 100'],
  ])('%s=%j is refused: digits only', (name, value, says) => {
    expect(problems({ [name]: value })).toEqual([expect.stringContaining(`${name} must be ${says}`)]);
  });

  it('plain whole numbers are read as before (spaces around them trimmed, as for every variable)', () => {
    const c = loadConfig({ ...SECRET, MAX_PAPERS: '100', PICKS: ' 0 ', SMTP_POOL_SIZE: '7' }, '/tmp');
    expect([c.maxPapers, c.picks, c.smtpPoolSize]).toEqual([100, 0, 7]);
  });
});
