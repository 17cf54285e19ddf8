/**
 * The issue build's disk cache (issue #23, item 5): a second process that builds the same
 * issue reads the topic map, the grouping and the compiled issue back instead of computing
 * them, and gets exactly what computing gives; a changed input (a template, the topic map) is
 * a new entry, computed afresh; an error is never kept.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../../src/app.js';
import { ConfigError } from '../../src/errors.js';
import { ingestDigest } from '../../src/ingest/ingest-digest.js';
import { groupDigest, prepareIssue } from '../../src/issue/prepare-issue.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { readTopicMap } from '../../src/topics/read-topic-map.js';
import { scratch } from '../schedule/helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = path.join(ROOT, 'content/digests/hf-papers-2025-12-11.txt');
const before = process.env.PAPERPOST_CACHE_DIR;
let cacheDir: string;
const apps: App[] = [];

beforeEach(() => {
  cacheDir = mkdtempSync(path.join(tmpdir(), 'pp-build-cache-'));
  process.env.PAPERPOST_CACHE_DIR = cacheDir;
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
afterAll(() => {
  if (before === undefined) delete process.env.PAPERPOST_CACHE_DIR;
  else process.env.PAPERPOST_CACHE_DIR = before;
});

const entries = (kind: string) => {
  try {
    return readdirSync(path.join(cacheDir, kind));
  } catch {
    return [];
  }
};

/** An app on a fresh database with the shipped topic map and `templatesDir`. */
function appWith(templatesDir = path.join(ROOT, 'templates')): App {
  const app = scratch({ TOPICS_FILE: path.join(ROOT, 'content/topics.yml'), TEMPLATES_DIR: templatesDir }).app();
  apps.push(app);
  return app;
}

describe('the issue build cache', () => {
  it('gives the very issue computing gives, and reads it back the second time', async () => {
    const { digest } = await ingestDigest(SAMPLE, {});
    const first = await prepareIssue(appWith(), digest);
    expect(entries('groups')).toHaveLength(1);
    expect(entries('issues')).toHaveLength(1);
    expect(entries('topic-map')).toHaveLength(1);

    // What is read back is the kept file: mark the compiled issue, and the mark comes back.
    const [issueFile] = entries('issues');
    const kept = JSON.parse(readFileSync(path.join(cacheDir, 'issues', issueFile!), 'utf8'));
    expect(JSON.stringify(kept)).toBe(JSON.stringify(first.compiled));
    writeFileSync(path.join(cacheDir, 'issues', issueFile!), JSON.stringify({ ...kept, subject: 'from the cache' }));
    const second = await prepareIssue(appWith(), digest);
    expect(second.compiled.subject).toBe('from the cache');
    expect(JSON.stringify({ ...second.compiled, subject: first.compiled.subject })).toBe(JSON.stringify(first.compiled));
    expect(entries('issues')).toHaveLength(1);
  });

  it("puts the digest's own papers back into a kept grouping, equal to a fresh one", async () => {
    const { digest } = await ingestDigest(SAMPLE, {});
    const fresh = await groupDigest(appWith(), digest);
    const again = await groupDigest(appWith(), digest);
    expect(entries('groups')).toHaveLength(1);
    expect(JSON.stringify(again)).toBe(JSON.stringify(fresh));
    const papers = new Set(digest.papers);
    for (const theme of again.themes) for (const p of theme.papers) expect(papers.has(p)).toBe(true);
    // Another day (one paper fewer) is another entry.
    await groupDigest(appWith(), { ...digest, papers: digest.papers.slice(1) });
    expect(entries('groups')).toHaveLength(2);
  });

  it('compiles afresh when a template changes', async () => {
    const { digest } = await ingestDigest(SAMPLE, {});
    const templates = mkdtempSync(path.join(tmpdir(), 'pp-templates-'));
    cpSync(path.join(ROOT, 'templates'), templates, { recursive: true });
    const a = await prepareIssue(appWith(templates), digest);
    const subject = path.join(templates, 'subject.txt.hbs');
    writeFileSync(subject, 'Changed: ' + readFileSync(subject, 'utf8'));
    const b = await prepareIssue(appWith(templates), digest);
    expect(entries('issues')).toHaveLength(2);
    expect(b.compiled.subjectTemplate).toBe('Changed: ' + a.compiled.subjectTemplate);
  });

  it('reads the topic map as loadTopicMap checks it, and never keeps a bad one', async () => {
    const file = path.join(ROOT, 'content/topics.yml');
    const map = await readTopicMap(file);
    expect(map).toEqual(loadTopicMap(file));
    expect(await readTopicMap(file)).toEqual(map);
    expect(entries('topic-map')).toHaveLength(1);
    const bad = path.join(mkdtempSync(path.join(tmpdir(), 'pp-map-')), 'topics.yml');
    writeFileSync(bad, 'topics: [\n');
    await expect(readTopicMap(bad)).rejects.toBeInstanceOf(ConfigError);
    await expect(readTopicMap(bad)).rejects.toBeInstanceOf(ConfigError);
    expect(entries('topic-map')).toHaveLength(1);
  });
});
