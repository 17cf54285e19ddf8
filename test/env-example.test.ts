/**
 * .env.example as an operator uses it (issue #22, "Also found": copying it and setting only
 * SMTP_URL failed on MAIL_FROM, and the file did not say what must change). Copied as it is,
 * it loads and means exactly the defaults; it names the values that must change for real
 * mail, and once those are set, it loads with SMTP.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { ROOT } from './helpers/run-cli.js';

const text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const example = dotenv.parse(text);
const MUST_CHANGE = ['SMTP_URL', 'SECRET_KEY', 'MAIL_FROM', 'PUBLIC_URL'];

/** The variable each "MUST CHANGE" comment block stands above. */
function markedMustChange(): string[] {
  const marked: string[] = [];
  let pending = false;
  for (const line of text.split('\n')) {
    if (/^# MUST CHANGE for real mail/.test(line)) pending = true;
    const m = /^([A-Z_]+)=/.exec(line);
    if (m && pending) {
      marked.push(m[1]!);
      pending = false;
    }
  }
  return marked;
}

describe('.env.example', () => {
  it('loads as it is, and means exactly the defaults', () => {
    expect(loadConfig(example, '/srv/paperpost')).toEqual(loadConfig({}, '/srv/paperpost'));
  });

  it('says at the top which values must change for real mail, and marks each of them', () => {
    const header = text.slice(0, text.indexOf('# --- Storage'));
    for (const name of MUST_CHANGE) expect(header).toMatch(new RegExp(`^#\\s+${name}\\s`, 'm'));
    expect(markedMustChange().sort()).toEqual([...MUST_CHANGE].sort());
  });

  it('with only SMTP_URL set, fails only on values it says must change', () => {
    let error: unknown;
    try {
      loadConfig({ ...example, SMTP_URL: 'smtp://user:pass@mail.example.org:587' }, '/srv/paperpost');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const problem of (error as ConfigError).problems) expect(MUST_CHANGE).toContain(problem.split(' ')[0]);
  });

  it('loads for real mail once the marked values are set', () => {
    const c = loadConfig(
      { ...example, SMTP_URL: 'smtp://user:pass@mail.example.org:587', SECRET_KEY: 'f'.repeat(64), MAIL_FROM: 'paperpost <news@example.org>', PUBLIC_URL: 'https://news.example.org' },
      '/srv/paperpost',
    );
    expect(c.smtpUrl).toBe('smtp://user:pass@mail.example.org:587');
    expect(c.listId).toBe('paperpost.example.org');
  });
});
