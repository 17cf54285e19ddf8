/**
 * A source list that names one source twice is a mistake (its papers would merge with
 * themselves): DIGEST_SOURCE and a command's source list refuse it with one line naming it,
 * exit 2, through the real CLI.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';

describe('a source named twice', () => {
  it('is refused with exit 2 and one line naming it, in DIGEST_SOURCE and on the command line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-dup-'));
    const file = path.join(dir, 'a.json');
    writeFileSync(file, JSON.stringify({ date: '2026-12-07', papers: [{ title: 'A paper on KV cache compression' }] }));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, OUTBOX_DIR: path.join(dir, 'outbox') };

    const scheduled = runCli(['schedule', '--once'], { cwd: dir, env: { ...env, DIGEST_SOURCE: 'a.json,./a.json' } });
    expect(scheduled.code).toBe(2);
    expect(scheduled.stderr.trim().split('\n')).toEqual([expect.stringMatching(/DIGEST_SOURCE names "\.\/a\.json" twice/)]);

    const read = runCli(['digest', `${file},${file}`], { cwd: dir, env });
    expect(read.code).toBe(2);
    expect(read.stderr.trim().split('\n')).toEqual([expect.stringMatching(/a\.json" is named twice in the source list/)]);

    // Two different sources are fine.
    const other = path.join(dir, 'b.json');
    writeFileSync(other, JSON.stringify({ date: '2026-12-07', papers: [{ title: 'A paper on robot manipulation' }] }));
    expect(runCli(['digest', `${file},${other}`], { cwd: dir, env }).code).toBe(0);
  });
});
