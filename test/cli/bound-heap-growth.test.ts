/**
 * Every paperpost command bounds V8's heap growth (cli/bound-heap-growth.ts: a send's peak RSS),
 * unless the operator gave node the flag; `--version` does not load it. What the setting does to memory is measured by
 * bench/memory.bench.mjs; here, that the CLI sets it, and leaves the operator's own alone.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/cli/bound-heap-growth.js';
import { CLI, ROOT } from '../helpers/run-cli.js';

const PRELOAD = path.join(ROOT, 'test/cli/support/record-v8-flags.mjs');
const flagsOf = (nodeArgs: string[], args = ['send', '--help']) => {
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', PRELOAD, CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr.split('\n').filter((l) => l.startsWith('v8-flag ')).map((l) => l.slice(8));
};

describe('bounded heap growth', () => {
  it('is set when a command loads, and not for --version', () => {
    expect(flagsOf([])).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(flagsOf([], ['--version'])).toEqual([]);
  });

  it("leaves the operator's own flag alone", () => {
    expect(flagsOf(['--heap-growing-percent=80'])).toEqual([]);
    expect(heapGrowthFlag(['--heap_growing_percent=30'], undefined)).toBeNull();
    expect(heapGrowthFlag(['--max-old-space-size=512'], '--trace-warnings')).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });
});
