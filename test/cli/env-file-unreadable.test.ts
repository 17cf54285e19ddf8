/**
 * A `.env` that is a directory made every command end "unexpected failure: EISDIR … this is a
 * bug in paperpost", exit 1. It is bad configuration: exit 2 with one line saying what is
 * wrong with .env. The built CLI in a scratch directory.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';

describe('a .env that is a directory', () => {
  it('stops any command with exit 2 and one line, not a bug report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-envdir-'));
    mkdirSync(path.join(dir, '.env'));
    for (const args of [['topics'], ['subscribers', 'list']]) {
      const r = runCli(args, { cwd: dir, env: { DATABASE_URL: `sqlite:${path.join(dir, 'x.db')}` } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: \.env cannot be read: it is a directory, not a file/);
      expect(r.stderr).not.toMatch(/bug/);
    }
  });
});
