/**
 * Cadence from the command line (issue #21), as a user runs the compiled CLI: --cadence on
 * `subscribers add` and `import`, the CSV column, `list --json` and `export`, and the weekly
 * options of `send` and `render`. A bad value is exit 2 and one line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCadence } from '../../src/subscribers/cadence.js';
import { runCli } from '../helpers/run-cli.js';

const scratch = () => mkdtempSync(path.join(tmpdir(), 'pp-cadence-'));
const list = (cwd: string) => JSON.parse(runCli(['subscribers', 'list', '--json'], { cwd }).stdout) as { email: string; cadence: string }[];
const cadences = (cwd: string) => Object.fromEntries(list(cwd).map((s) => [s.email, s.cadence]));
const errorLines = (stderr: string) => stderr.trim().split('\n');

describe('parseCadence', () => {
  it('reads daily, weekly and weekly:<day> as people write them, and refuses the rest', () => {
    expect(parseCadence('daily')).toBe('daily');
    expect(parseCadence(' Weekly ')).toBe('weekly:mon');
    expect(parseCadence('weekly:FRI')).toBe('weekly:fri');
    expect(parseCadence('weekly:Sunday')).toBe('weekly:sun');
    for (const bad of ['', 'monthly', 'weekly:', 'weekly:funday', 'daily:mon']) expect(() => parseCadence(bad), bad).toThrow(/is not a cadence: give daily, weekly/);
  });
});

describe('cadence on the command line', () => {
  it('adds, lists, imports and exports cadences; a bad one is exit 2 and one line', { timeout: 300_000 }, () => {
    const cwd = scratch();
    const added = runCli(['subscribers', 'add', 'ada@example.org', '--cadence', 'weekly:fri'], { cwd });
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/added ada@example\.org \(active; all topics; weekly on Friday\)/);
    expect(runCli(['subscribers', 'add', 'bob@example.org'], { cwd }).code).toBe(0);
    expect(cadences(cwd)).toEqual({ 'ada@example.org': 'weekly:fri', 'bob@example.org': 'daily' });
    // `subscribers show` says it in text too, as --json does.
    expect(runCli(['subscribers', 'show', 'ada@example.org'], { cwd }).stdout.split('\n')[0]).toBe('ada@example.org\tactive\t\tall topics\tweekly on Friday');
    expect(runCli(['subscribers', 'show', 'bob@example.org'], { cwd }).stdout.split('\n')[0]).toMatch(/\tdaily$/);

    const bad = runCli(['subscribers', 'add', 'cy@example.org', '--cadence', 'fortnightly'], { cwd });
    expect(bad.code).toBe(2);
    expect(errorLines(bad.stderr)).toEqual([expect.stringMatching(/^error: --cadence "fortnightly" is not a cadence: give daily, weekly, or weekly:<day>/)]);
    const badImport = runCli(['subscribers', 'import', 'x.csv', '--cadence', 'weekly:never'], { cwd });
    expect(badImport.code).toBe(2);
    expect(errorLines(badImport.stderr)).toHaveLength(1);

    // The CSV column: each row its own; an empty cell takes --cadence (or keeps the list's); a bad cell is a rejected row.
    writeFileSync(path.join(cwd, 'in.csv'), 'email,name,cadence\nbob@example.org,Bob,weekly:sun\ncy@example.org,Cy,\ndee@example.org,Dee,daily\neve@example.org,Eve,monthly\n');
    const refused = runCli(['subscribers', 'import', 'in.csv'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/rejected in\.csv:5: cadence "monthly" is not a cadence/);
    const imported = runCli(['subscribers', 'import', 'in.csv', '--skip-invalid', '--cadence', 'weekly:tue'], { cwd });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/2 added, 1 updated/);
    expect(cadences(cwd)).toEqual({ 'ada@example.org': 'weekly:fri', 'bob@example.org': 'weekly:sun', 'cy@example.org': 'weekly:tue', 'dee@example.org': 'daily' });

    // An export imports back exactly, cadences included.
    const exported = runCli(['subscribers', 'export'], { cwd }).stdout;
    expect(exported.split('\n')[0]).toBe('email,name,themes,status,created_at,confirmed_at,unsubscribed_at,cadence');
    const other = scratch();
    writeFileSync(path.join(other, 'export.csv'), exported);
    expect(runCli(['subscribers', 'import', 'export.csv'], { cwd: other }).code).toBe(0);
    expect(cadences(other)).toEqual(cadences(cwd));
  });

  it('takes a week for send --weekly and render --weekly, and refuses anything else with exit 2 and one line', { timeout: 300_000 }, () => {
    const cwd = scratch();
    expect(runCli(['subscribers', 'add', 'ada@example.org', '--cadence', 'weekly'], { cwd }).code).toBe(0);
    for (const args of [
      ['send', '--weekly', '2026-W99'],
      ['send', '--weekly', 'last-week'],
      ['send', 'content/digests', '--weekly', '2026-W10'],
      ['render', '--weekly', '2026-13', '--out', 'out'],
      ['render', '--out', 'out'],
    ]) {
      const r = runCli(args, { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(errorLines(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
    const nothing = runCli(['send', '--weekly', '2026-W10', '--dry-run'], { cwd, env: { TZ: 'UTC' } });
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/weekly issue 2026-W10 not sent: no daily issue of 2026-W10 is stored/);
    const render = runCli(['render', '--weekly', '2026-W10', '--out', 'out'], { cwd });
    expect(render.code).toBe(2);
    expect(render.stderr).toMatch(/^error: --weekly 2026-W10: no daily issue of that week is stored/);
  });
});
