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
