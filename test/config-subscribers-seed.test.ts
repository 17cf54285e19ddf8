/**
 * A SUBSCRIBERS_SEED that names no file was skipped without a word: `run` on a new database
 * said "no active subscribers yet", exit 0. A seed named but missing is bad configuration:
 * exit 2, one line naming the file, before any database is made. Unset, it is the example
 * list, which may be absent; `off` seeds nothing.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { runCli } from './helpers/run-cli.js';

describe('SUBSCRIBERS_SEED', () => {
  it('naming no file (or a directory) is refused, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-seed-'));
    for (const seed of ['/nonexistent', dir]) {
      let error: unknown;
      try {
        loadConfig({ SUBSCRIBERS_SEED: seed }, '/tmp');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(new RegExp(`^SUBSCRIBERS_SEED names no file: ${seed} \\(set it to off`))]);
    }
  });

  it('unset is the example list (absent or not); off seeds nothing', () => {
    expect(loadConfig({}, '/srv/none').subscribersSeed).toBe('/srv/none/content/subscribers.csv');
    expect(loadConfig({ SUBSCRIBERS_SEED: 'off' }, '/srv/none').subscribersSeed).toBeNull();
  });

  it('run with a missing seed on a new database: exit 2, one line, no database made', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-seed-'));
    const db = path.join(dir, 'new1.db');
    const r = runCli(['run'], { cwd: dir, env: { SUBSCRIBERS_SEED: '/nonexistent', SMTP_URL: '', DATABASE_URL: `sqlite:${db}` } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: SUBSCRIBERS_SEED names no file: \/nonexistent/);
    expect(existsSync(db)).toBe(false);
  });
});
