/**
 * MAX_PAPERS (issue #21): the length budget of a reader's copy. Default 30; a whole number of 1
 * or more, else one line naming the variable and exit 2 (a ConfigError).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('MAX_PAPERS', () => {
  it('defaults to 30 and takes a whole number of 1 or more', () => {
    expect(loadConfig({}, '/srv/pp').maxPapers).toBe(30);
    expect(loadConfig({ MAX_PAPERS: '' }, '/srv/pp').maxPapers).toBe(30);
    expect(loadConfig({ MAX_PAPERS: '1' }, '/srv/pp').maxPapers).toBe(1);
    expect(loadConfig({ MAX_PAPERS: ' 250 ' }, '/srv/pp').maxPapers).toBe(250);
  });

  it.each(['0', '-3', '2.5', 'lots', '1e400'])('refuses %j with one line and exit 2', (value) => {
    let error: unknown;
    try {
      loadConfig({ MAX_PAPERS: value }, '/srv/pp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^MAX_PAPERS .*a whole number of 1 or more/);
    expect(problems[0]).not.toContain('\n');
    expect((error as ConfigError).exitCode).toBe(2);
  });
});
