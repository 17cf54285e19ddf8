/**
 * `paperpost --version` and `--help` answer at once because main.ts loads a command's module
 * only when that command runs, and the command modules load the application (store, drivers,
 * MJML) only inside their actions. This guards that cheaply, by which packages get loaded,
 * not by timing (which a loaded machine makes meaningless).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { CLI, ROOT } from '../helpers/run-cli.js';
import { COMMANDS, describeCommands } from '../../src/cli/command-index.js';

const PRELOAD = path.join(ROOT, 'test/cli/support/record-loads.mjs');

/** The npm packages (by name) a run of the CLI with `args` (and `env`) loaded, and its result. */
function packagesLoaded(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; packages: Set<string>; files: string[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pp-loads-')), 'loads.txt');
  const r = spawnSync(process.execPath, ['--import', PRELOAD, CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, RECORD_LOADS_FILE: file },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const files = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const packages = new Set<string>();
  for (const url of files) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]!);
  }
  return { code: r.status ?? -1, stdout: r.stdout, packages, files };
}

const HEAVY = ['mjml', 'handlebars', 'pg', 'pg-boss', 'better-sqlite3', 'nodemailer'];

describe('CLI start-up loads only what the command needs', () => {
  it('--version loads no command module and nothing but commander', () => {
    const r = packagesLoaded(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // The recorder itself works: the CLI's own files were seen.
    expect(r.files.some((f) => f.endsWith('/dist/cli/main.js'))).toBe(true);
    expect([...r.packages]).toEqual(['commander']);
    expect(r.files.filter((f) => f.includes('/dist/cli/commands/'))).toEqual([]);
  });

  it('--help lists every command from the index alone: no command module, no package but commander', () => {
    const r = packagesLoaded(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['digest', 'send', 'serve', 'subscribers', 'db', 'doctor']) expect(r.stdout).toContain(cmd);
    expect([...r.packages]).toEqual(['commander']);
    expect(r.files.filter((f) => f.includes('/dist/cli/commands/'))).toEqual([]);
    // The configuration (zod, csv, yaml behind it) is for commands that run.
    expect(r.files.some((f) => f.endsWith('/dist/config.js'))).toBe(false);
  });

  it("the index's help lines are the ones the command modules give", async () => {
    const eager = new Command('paperpost');
    for (const entry of Object.values(COMMANDS)) (await entry.load())(eager);
    const lazy = new Command('paperpost');
    describeCommands(lazy);
    expect(lazy.helpInformation()).toBe(eager.helpInformation());
    expect(lazy.commands.map((c) => c.name())).toEqual(eager.commands.map((c) => c.name()));
  });

  it('help <command> and an unknown word load no more than they need', () => {
    const help = packagesLoaded(['help', 'send']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: paperpost send');
    expect(help.files.filter((f) => f.includes('/dist/cli/commands/')).map((f) => path.basename(f))).toEqual(['send.js']);
    const typo = packagesLoaded(['sned']);
    expect(typo.code).toBe(2);
    expect(typo.files.filter((f) => f.includes('/dist/cli/commands/'))).toEqual([]);
  });

  it('send on SQLite loads no PostgreSQL driver, and with the build cache warm no MJML, YAML parser or stemmer', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-loads-send-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'list.db')}`, PAPERPOST_CACHE_DIR: path.join(dir, 'cache'), SECRET_KEY: 'lazy-loading-test-secret-0123456789' };
    const add = spawnSync(process.execPath, [CLI, 'subscribers', 'add', 'reader@example.org'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: dir, ...env }, encoding: 'utf8' });
    expect(add.status, add.stderr).toBe(0);
    const cold = packagesLoaded(['send', '--dry-run'], { ...env, HOME: dir });
    expect(cold.code).toBe(0);
    expect(cold.stdout).toContain('would go to 1 subscriber(s)');
    // The recorder sees packages loaded with require too.
    expect(cold.packages.has('better-sqlite3')).toBe(true);
    expect(cold.packages.has('mjml-core')).toBe(true);
    const warm = packagesLoaded(['send', '--dry-run'], { ...env, HOME: dir });
    expect(warm.code).toBe(0);
    expect(warm.stdout).toBe(cold.stdout);
    for (const p of ['pg', 'pg-boss', 'mjml-core', 'yaml', 'wink-porter2-stemmer', 'fast-xml-parser', 'csv-parse']) expect(warm.packages.has(p), `send loaded ${p}`).toBe(false);
    // Checkers of settings that are not set, and the progress bar off a terminal, stay unloaded (config.ts, with-progress.ts).
    for (const p of ['node-cron', 'proxy-addr', 'cli-progress']) expect(cold.packages.has(p), `send loaded ${p}`).toBe(false);
    for (const p of ['pg', 'pg-boss']) expect(cold.packages.has(p), `send loaded ${p}`).toBe(false);
  });

  it('a command loads its own module only', () => {
    const r = packagesLoaded(['send', '--help']);
    expect(r.code).toBe(0);
    const commands = r.files.filter((f) => f.includes('/dist/cli/commands/')).map((f) => path.basename(f));
    expect(commands).toEqual(['send.js']);
    for (const p of HEAVY) expect(r.packages.has(p), `send --help loaded ${p}`).toBe(false);
  });
});
