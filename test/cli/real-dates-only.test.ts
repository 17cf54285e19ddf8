/**
 * `bounces list --since 2025-02-30` was read as 2025-03-02 (Date.parse rolls a day that does
 * not exist over), and so was `digest --date 2025-02-30`. Both take real calendar days only
 * (isIsoDate): one line, exit 2. The built CLI.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';

describe('a day that does not exist', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-dates-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'x.db')}`, SUBSCRIBERS_SEED: 'off' };

  it.each([
    [['bounces', 'list', '--since', '2025-02-30'], /^error: --since "2025-02-30" is not a date/],
    [['bounces', 'list', '--since', '2025-02-30T10:00:00Z'], /^error: --since "2025-02-30T10:00:00Z" is not a date/],
    [['digest', '--date', '2025-02-30', 'content/digests'], /^error: --date "2025-02-30" is not a date/],
    [['digest', '--date', '2025-04-31', 'content/digests'], /^error: --date "2025-04-31" is not a date/],
  ])('%j: exit 2, one line', (args, says) => {
    const r = runCli(args, { cwd: dir, env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(says);
  });

  it('a real one is still taken: bounces list --since 2024-02-29', () => {
    expect(runCli(['db', 'migrate'], { cwd: dir, env: { ...env } }).code).toBeLessThanOrEqual(1);
    const r = runCli(['bounces', 'list', '--since', '2024-02-29'], { cwd: dir, env });
    expect(r.stderr).not.toMatch(/is not a date/);
  });
});
