import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadConfig, DEV_SECRET_KEY } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set, resolving paths against cwd', () => {
    const c = loadConfig({}, '/srv/pp');
    expect(c.databasePath).toBe(path.resolve('/srv/pp/data/paperpost.db'));
    expect(c.outboxDir).toBe(path.resolve('/srv/pp/out/outbox'));
    expect(c.digestSource).toBe(path.resolve('/srv/pp/content/digests'));
    expect(c.smtpUrl).toBeUndefined();
    expect(c.secretKey).toBe(DEV_SECRET_KEY);
    expect(c.secretKeyIsDefault).toBe(true);
    expect(c.cronSchedule).toBe('0 7 * * *');
    expect(c.timeZone).toBe('UTC');
    expect(c.smtpPoolSize).toBe(5);
    expect(c.listId).toBe('paperpost.localhost');
  });

  it('treats empty strings as unset, so a copied .env.example behaves like no .env', () => {
    const c = loadConfig({ SMTP_URL: '', SECRET_KEY: '  ', TZ: '' }, '/x');
    expect(c.smtpUrl).toBeUndefined();
    expect(c.timeZone).toBe('UTC');
  });

  it('reports every bad variable at once, one line each, naming the variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'postgres://x', SMTP_URL: 'http://mail', PUBLIC_URL: 'ftp://x', TZ: 'Mars/Olympus', CRON_SCHEDULE: 'every day', SMTP_POOL_SIZE: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['CRON_SCHEDULE', 'DATABASE_URL', 'PUBLIC_URL', 'SMTP_POOL_SIZE', 'SMTP_URL', 'TZ']);
    for (const p of problems) expect(p).not.toContain('\n');
    expect(problems.find((p) => p.startsWith('TZ'))).toContain('Mars/Olympus');
    expect((error as ConfigError).exitCode).toBe(2);
  });

  it('requires SECRET_KEY once real mail can go out', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org:587' })).toThrow(/SECRET_KEY must be set when SMTP_URL is set/);
    const c = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.org:587', SECRET_KEY: 'x'.repeat(32) });
    expect(c.secretKeyIsDefault).toBe(false);
  });

  it('wants the DKIM variables together', () => {
    expect(() => loadConfig({ DKIM_DOMAIN: 'example.org' })).toThrow(/DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH must be set together/);
  });

  it('keeps URL and hf: digest sources as they are', () => {
    expect(loadConfig({ DIGEST_SOURCE: 'hf:latest' }).digestSource).toBe('hf:latest');
    expect(loadConfig({ DIGEST_SOURCE: 'https://example.org/d.json' }).digestSource).toBe('https://example.org/d.json');
  });
});
