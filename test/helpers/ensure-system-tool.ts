/**
 * The system programs some tests drive for real (Chromium, Dovecot, SpamAssassin), so
 * that the README's `npm test` passes on a fresh Debian machine without a manual install
 * step, and a missing program fails the test instead of skipping it.
 *
 * A tool is looked up, in order:
 *   1. its environment variable (e.g. CHROMIUM_PATH): that path and nothing else;
 *   2. its Debian path (e.g. /usr/bin/chromium): the system's copy, when present;
 *   3. otherwise, when running as root where apt-get exists, its Debian package is installed,
 *      once per machine (under a lock, so parallel test files wait for one install), and only
 *      when a test file that needs it is loaded: an unrelated test installs nothing;
 *   4. where none of that gives one, the test fails with one line naming what to install.
 *
 * Nothing is ever downloaded from anywhere but Debian's archive.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SystemTool {
  /** What a person calls it, for messages: "Chromium". */
  name: string;
  /** Where Debian's package puts the program. */
  path: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** The environment variable that points at another copy. */
  envVar: string;
}

export const CHROMIUM: SystemTool = { name: 'Chromium', path: '/usr/bin/chromium', aptPackage: 'chromium', envVar: 'CHROMIUM_PATH' };
export const DOVECOT: SystemTool = { name: 'Dovecot', path: '/usr/sbin/dovecot', aptPackage: 'dovecot-imapd', envVar: 'DOVECOT_PATH' };
export const SPAMASSASSIN: SystemTool = { name: 'SpamAssassin', path: '/usr/bin/spamassassin', aptPackage: 'spamassassin', envVar: 'SPAMASSASSIN_PATH' };

const APT_GET = '/usr/bin/apt-get';
const FLOCK = '/usr/bin/flock';

/** Installs are shared by every test file in this process. */
const installs = new Map<string, Promise<void>>();

/** An error that prints as its one line (no stack): the message is all a person needs. */
function oneLine(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}

/** Runs `apt-get install` for `tool` under a machine-wide lock; `apt-get update` first only when the package is not known yet. */
function aptInstall(tool: SystemTool): Promise<void> {
  const script = [
    'export DEBIAN_FRONTEND=noninteractive',
    '[ -e "$1" ] && exit 0', // another process installed it while this one waited for the lock
    'apt-get install -y -qq "$2" || { apt-get update -qq && apt-get install -y -qq "$2"; }',
  ].join('\n');
  const lock = path.join(tmpdir(), 'paperpost-test-apt.lock');
  return new Promise((resolve, reject) => {
    process.stderr.write(`${tool.name} is not installed: installing the Debian package ${tool.aptPackage} (once, for the tests that drive it)...\n`);
    const child = spawn(FLOCK, [lock, 'sh', '-c', script, 'sh', tool.path, tool.aptPackage], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', (e) => reject(e));
    child.once('exit', (code) => {
      if (code === 0) return resolve();
      const last = output.trim().split('\n').pop() ?? '';
      reject(new Error(`apt-get install ${tool.aptPackage} failed (exit ${code})${last ? `: ${last}` : ''}`));
    });
  });
}

/** The path of a working copy of `tool`, installing Debian's package when it is missing and that is possible. */
export async function ensureSystemTool(tool: SystemTool): Promise<string> {
  const chosen = process.env[tool.envVar];
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw oneLine(`${tool.name} not found at ${chosen} (${tool.envVar}): point ${tool.envVar} at it, or unset it to use ${tool.path}; this test must not be skipped`);
  }
  if (existsSync(tool.path)) return tool.path;
  const howTo = `apt-get install -y ${tool.aptPackage} (as root), or set ${tool.envVar} to its path; this test must not be skipped`;
  if (process.getuid?.() !== 0 || !existsSync(APT_GET) || !existsSync(FLOCK)) throw oneLine(`${tool.name} is not installed (${tool.path}): ${howTo}`);
  let install = installs.get(tool.aptPackage);
  if (!install) installs.set(tool.aptPackage, (install = aptInstall(tool)));
  try {
    await install;
  } catch (e) {
    throw oneLine(`${tool.name} is not installed (${tool.path}) and installing it failed: ${(e as Error).message}. Run ${howTo}`);
  }
  if (!existsSync(tool.path)) throw oneLine(`${tool.name} is still missing at ${tool.path} after installing ${tool.aptPackage}: ${howTo}`);
  return tool.path;
}
