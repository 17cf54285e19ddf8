/**
 * A user or password in SMTP_URL (or a database name in DATABASE_URL) with a bare "%" (not
 * %25) passed the configuration check, then failed mid-run with "unexpected failure: URI
 * malformed (this is a bug…)", exit 1, while `send --dry-run` exited 0. It is bad
 * configuration: exit 2 at start with one line that says to percent-encode it, never showing
 * the password. A password written with %25 still logs in with its "%".
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = { SECRET_KEY: 'x'.repeat(32) };

/** The ConfigError loadConfig throws for `env`. */
function problemOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...SECRET, ...env }, '/tmp');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('loadConfig accepted it');
}

describe('a bare "%" in a URL of the configuration', () => {
  it.each([
    ['the SMTP password', 'smtp://good:pa%ss@127.0.0.1:2701'],
    ['the SMTP user', 'smtp://go%od:secretpw@127.0.0.1:2701'],
    ['the second relay’s password', 'smtp://127.0.0.1:2700,smtp://u:pa%zzss@127.0.0.1:2701?weight=2'],
  ])('in %s is refused at start, saying to percent-encode, without the password', (_what, url) => {
    const e = problemOf({ SMTP_URL: url });
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/^SMTP_URL must be a user and password percent-encoded: write a "%" in either as %25/);
    expect(e.message).not.toMatch(/pa%s|pa%zzss|secretpw/);
  });

  it('written %25, logs in with its "%"', () => {
    const c = loadConfig({ ...SECRET, SMTP_URL: 'smtp://good:pa%25ss@127.0.0.1:2701' }, '/tmp');
    expect(decodeURIComponent(new URL(c.smtpRelays[0]!.url).password)).toBe('pa%ss');
  });

  it('in the database name of DATABASE_URL is refused at start, not a crash', () => {
    const e = problemOf({ DATABASE_URL: 'postgres://paperpost:pw@127.0.0.1:5432/news%zz' });
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/^DATABASE_URL must be .*a "%" in any part written %25/);
  });

  it('stops send, send --to and send --dry-run with exit 2 and one line', () => {
    for (const args of [['send', '--dry-run'], ['send', '--to', 't@example.net'], ['send']]) {
      const r = runCli(args, { env: { ...SECRET, SMTP_URL: 'smtp://good:pa%ss@127.0.0.1:9', DATABASE_URL: 'sqlite::memory:' } });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/percent-encoded/);
      expect(r.stderr).not.toContain('pa%ss');
    }
  });
});
