/**
 * `schedule --next 100000000` had no cap (minutes of output, memory for every time), and a
 * count option took 1e2 or 0x5 as 100 and 5. --next now takes at most 1000, and every count
 * option (--next, --limit) digits only: else one line, exit 2. The built CLI.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';

describe('schedule --next', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-next-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'x.db')}`, SUBSCRIBERS_SEED: 'off' };

  it.each([
    [['schedule', '--next', '100000000'], /^error: --next 100000000 is more than 1000/],
    [['schedule', '--next', '1001'], /^error: --next 1001 is more than 1000/],
    [['schedule', '--next', '1e2'], /^error: --next "1e2" is not a positive whole number/],
    [['send', '--dry-run', '--limit', '0x5'], /^error: --limit "0x5" is not a positive whole number/],
  ])('%j: exit 2, one line', (args, says) => {
    const r = runCli(args, { cwd: dir, env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(says);
  });

  it('up to 1000 prints that many run times', () => {
    expect(runCli(['schedule', '--next', '3'], { cwd: dir, env }).stdout.trim().split('\n')).toHaveLength(3);
    const r = runCli(['schedule', '--next', '1000'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1000);
  });
});
