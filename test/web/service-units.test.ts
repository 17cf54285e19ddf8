/**
 * The systemd units shipped in docs/ (issue #22, "Also found"): one for each long-running
 * command (`schedule`, `serve`, `bounces serve`), each starting node on dist/cli.js itself,
 * never npx or npm (SIGTERM to npm can orphan the server), with a command and options the CLI
 * really has; the README names each unit and tells supervisors to call node dist/cli.js.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerBouncesCommand } from '../../src/cli/commands/bounces.js';
import { registerScheduleCommand } from '../../src/cli/commands/schedule.js';
import { registerServeCommand } from '../../src/cli/commands/serve.js';
import { ROOT } from './support/start-web-fixture.js';

const UNITS = { 'paperpost.service': ['schedule'], 'paperpost-serve.service': ['serve'], 'paperpost-bounces.service': ['bounces', 'serve'] };

/** The CLI's commands as the executable registers them (only the long-running ones). */
function program(): Command {
  const p = new Command('paperpost');
  registerScheduleCommand(p);
  registerServeCommand(p);
  registerBouncesCommand(p);
  return p;
}

describe.each(Object.entries(UNITS))('docs/%s', (file, words) => {
  const text = readFileSync(path.join(ROOT, 'docs', file), 'utf8');
  const execStart = /^ExecStart=(.*)$/m.exec(text)?.[1] ?? '';

  it('starts node on dist/cli.js with a command and options the CLI has', () => {
    expect(text).not.toMatch(/^ExecStart=.*\b(npx|npm)\b/m);
    const [node, cli, ...args] = execStart.split(/\s+/);
    expect(node).toBe('/usr/bin/node');
    expect(cli).toMatch(/^\/\S+\/dist\/cli\.js$/);
    expect(args.slice(0, words.length)).toEqual(words);
    let cmd = program();
    for (const w of words) cmd = cmd.commands.find((c) => c.name() === w)!;
    expect(cmd, words.join(' ')).toBeDefined();
    const flags = args.slice(words.length).filter((a) => a.startsWith('--'));
    for (const flag of flags) expect(cmd.options.map((o) => o.long), flag).toContain(flag);
  });

  it('is a [Unit]/[Service]/[Install] file that stops with SIGTERM and restarts on failure', () => {
    expect(text).toMatch(/^\[Unit\]$/m);
    expect(text).toMatch(/^\[Service\]$/m);
    expect(text).toMatch(/^\[Install\]$/m);
    expect(text).toMatch(/^KillSignal=SIGTERM$/m);
    expect(text).toMatch(/^Restart=on-failure$/m);
  });

  it('is named in the README', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`docs/${file}`);
  });
});

describe('README', () => {
  it('tells supervisors to call node dist/cli.js, not npx', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/[Ss]upervisors?[^.]*`node dist\/cli\.js/);
  });
});
