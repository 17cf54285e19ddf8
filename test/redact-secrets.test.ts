/**
 * Secrets never print, and masking them never garbles a message: a URL's password is masked
 * wherever a URL holds it, and alone in a text only when it cannot be an ordinary word. A test
 * database whose password is "paperpost" used to turn every "paperpost" of every message into
 * "***" ("*** never mails it"), which also told the reader the password.
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets, secretsIn } from '../src/redact-secrets.js';

describe('redactSecrets', () => {
  it('masks a word-like password inside URLs only, and leaves the word elsewhere', () => {
    const secrets = secretsIn({ DATABASE_URL: 'postgres://paperpost:paperpost@127.0.0.1:5432/pp' });
    const line = redactSecrets('paperpost never mails it: cannot reach postgres://paperpost:paperpost@127.0.0.1:5432/pp', secrets);
    expect(line).toBe('paperpost never mails it: cannot reach postgres://paperpost:***@127.0.0.1:5432/pp');
  });

  it('masks a password that cannot be a word wherever it appears, as written and decoded', () => {
    const secrets = secretsIn({ SMTP_URL: 'smtp://ann:s3cret%2Cpw99@a.example:587,smtp://bob:correcthorsebatterystaple@b.example' });
    expect(redactSecrets('a s3cret%2Cpw99 b s3cret,pw99 c correcthorsebatterystaple', secrets)).toBe('a *** b *** c ***');
  });

  it('masks SECRET_KEY and ADMIN_TOKEN in full, whatever they look like', () => {
    const secrets = secretsIn({ SECRET_KEY: 'abcdefghijklmnopqrstuvwxyzabcdef', ADMIN_TOKEN: 'tokentokentoken1' });
    expect(redactSecrets('key abcdefghijklmnopqrstuvwxyzabcdef token tokentokentoken1', secrets)).toBe('key *** token ***');
  });

  it('masks a password written with "#", "/", "?" or a space, which makes the URL invalid, in the error that quotes it', () => {
    for (const [name, url, password] of [
      ['DATABASE_URL', 'postgres://paperpost:S3cret#Passw0rd@127.0.0.1:5432/qa', 'S3cret#Passw0rd'],
      ['DATABASE_URL', 'postgres://paperpost:S3cret Passw0rd@127.0.0.1:5432/qa', 'S3cret Passw0rd'],
      ['SMTP_URL', 'smtp://user:pa#ss@127.0.0.1:2650', 'pa#ss'],
      ['SMTP_URL', 'smtp://a:ok-password-1@a.example,smtp://user:p/w?x@b.example:25', 'p/w?x'],
    ] as const) {
      const line = redactSecrets(`error: ${name} must be … (got "${url}")`, secretsIn({ [name]: url }));
      expect(line, url).not.toContain(password);
      expect(line).toContain('***');
    }
  });
});
