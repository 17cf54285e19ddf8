/**
 * A `run` that cannot start leaves no database behind (issue #22, "Also found"): in an empty
 * directory it used to exit 2 for want of digests but create data/paperpost.db, and later
 * read-only commands answered from that empty list. A run that can proceed still creates it.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const emptyDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'pp-run-nodb-'));
  dirs.push(d);
  return d;
};
const env = { SUBSCRIBERS_SEED: 'off' };

describe('paperpost run without a database yet', () => {
  it('exits 2 with one line and creates nothing when there are no digests', () => {
    const dir = emptyDir();
    const r = runCli(['run'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*content\/digests: no such file or directory/);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
    // A read-only command still finds no list, instead of an empty one.
    const list = runCli(['subscribers', 'list'], { cwd: dir, env });
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/there is no database/);
  });

  it('creates nothing when the digest directory is empty or its newest digest cannot be read', () => {
    const dir = emptyDir();
    mkdirSync(path.join(dir, 'content/digests'), { recursive: true });
    expect(runCli(['run'], { cwd: dir, env }).code).toBe(2);
    writeFileSync(path.join(dir, 'content/digests/paperpost-2025-12-10.json'), '{"not": "a digest"}');
    const r = runCli(['run'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown shape/);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('creates the database when the run can proceed', () => {
    const dir = emptyDir();
    cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
    cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const r = runCli(['run'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no active subscribers yet/);
    expect(existsSync(path.join(dir, 'data/paperpost.db'))).toBe(true);
  });
});
