/**
 * Where configuration points for content (issue #21): the topic map and the templates that
 * ship in the package whatever the working directory, TOPICS_FILE and TEMPLATES_DIR as
 * overrides (a TOPICS_FILE naming no file refused, `off` turning the map off), and
 * DIGEST_SOURCE as a comma-separated list whose local entries resolve against the working
 * directory.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PACKAGE_ROOT } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { ROOT } from './helpers/run-cli.js';

const problemsOf = (env: Record<string, string>, cwd = '/srv/pp') => {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the shipped content', () => {
  it('is found in the package, not the working directory', () => {
    expect(path.resolve(PACKAGE_ROOT)).toBe(ROOT);
    const c = loadConfig({}, '/srv/pp');
    expect(c.topicsFile).toBe(path.join(ROOT, 'content/topics.yml'));
    expect(c.templatesDir).toBe(path.join(ROOT, 'templates'));
  });

  it('gives way to TOPICS_FILE and TEMPLATES_DIR, relative to the working directory', () => {
    const c = loadConfig({ TOPICS_FILE: 'content/topics.yml', TEMPLATES_DIR: 'my-templates' }, ROOT);
    expect(c.topicsFile).toBe(path.join(ROOT, 'content/topics.yml'));
    expect(c.templatesDir).toBe(path.join(ROOT, 'my-templates'));
    // Blank counts as unset, as for every variable.
    expect(loadConfig({ TOPICS_FILE: ' ', TEMPLATES_DIR: '' }, '/srv/pp').topicsFile).toBe(path.join(ROOT, 'content/topics.yml'));
  });

  it('TOPICS_FILE naming no file (or a directory) is refused, in one line', () => {
    expect(problemsOf({ TOPICS_FILE: '/nonexistent/topics.yml' })).toEqual([
      'TOPICS_FILE names no file: /nonexistent/topics.yml (unset it for the topic map paperpost ships, or set it to off for day-by-day clusters)',
    ]);
    expect(problemsOf({ TOPICS_FILE: 'content' }, ROOT)).toEqual([expect.stringMatching(/^TOPICS_FILE names no file: .*\/content \(/)]);
  });

  it('TOPICS_FILE=off turns the map off', () => {
    expect(loadConfig({ TOPICS_FILE: 'off' }, '/srv/pp').topicsFile).toBeNull();
    expect(loadConfig({ TOPICS_FILE: 'OFF' }, '/srv/pp').topicsFile).toBeNull();
  });
});

describe('DIGEST_SOURCE', () => {
  it('lists several sources, each local one resolved against the working directory', () => {
    expect(loadConfig({ DIGEST_SOURCE: 'hf:latest, content/digests/a.json,https://rss.arxiv.org/rss/cs.LG' }, '/srv/pp').digestSource).toBe(
      'hf:latest,/srv/pp/content/digests/a.json,https://rss.arxiv.org/rss/cs.LG',
    );
    expect(loadConfig({ DIGEST_SOURCE: 'file:///data/x.json,-' }, '/srv/pp').digestSource).toBe('file:///data/x.json,-');
  });

  it('must name at least one source', () => {
    expect(problemsOf({ DIGEST_SOURCE: ' , ,' })).toEqual([expect.stringMatching(/^DIGEST_SOURCE must name a source/)]);
  });
});
