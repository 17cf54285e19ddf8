/**
 * PICKS (issue #20): how many papers "Picked for you" shows at most. Default 5; a whole number
 * from 0 (none) to 50, else one line naming the variable and exit 2 (a ConfigError).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('PICKS', () => {
  it('defaults to 5 and takes a whole number from 0 to 50', () => {
    expect(loadConfig({}, '/srv/pp').picks).toBe(5);
    expect(loadConfig({ PICKS: '0' }, '/srv/pp').picks).toBe(0);
    expect(loadConfig({ PICKS: ' 12 ' }, '/srv/pp').picks).toBe(12);
    expect(loadConfig({ PICKS: '50' }, '/srv/pp').picks).toBe(50);
  });

  it.each(['-1', '2.5', 'many', '51'])('refuses %j with one line and exit 2', (value) => {
    let error: unknown;
    try {
      loadConfig({ PICKS: value }, '/srv/pp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PICKS .*a whole number from 0 to 50/);
    expect(problems[0]).not.toContain('\n');
    expect((error as ConfigError).exitCode).toBe(2);
  });
});
