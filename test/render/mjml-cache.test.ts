/**
 * Compiled MJML is kept on disk by content hash (issue #23, item 5): the same source is read
 * back instead of compiled (and MJML is not loaded for it), a different source is compiled
 * anew, and an invalid document is never kept.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mjmlCacheDir, runMjml } from '../../src/render/run-mjml.js';
import { TemplateError } from '../../src/errors.js';

const doc = (text: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const opts = (cacheDir: string) => ({ templateName: 'test.mjml', filePath: path.join(ROOT, 'templates/issue.mjml.hbs'), cacheDir });

describe('MJML cache', () => {
  it('compiles a source once, then reads it from the cache directory', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pp-mjml-')), 'mjml');
    const first = await runMjml(doc('Hello'), opts(dir));
    expect(first).toContain('Hello');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.html$/);
    // What is read back is the kept file: mark it, and the mark comes back.
    writeFileSync(path.join(dir, files[0]!), first + '<!-- from the cache -->');
    expect(await runMjml(doc('Hello'), opts(dir))).toBe(first + '<!-- from the cache -->');
    // Another source is another entry.
    expect(await runMjml(doc('Other'), opts(dir))).toContain('Other');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('never keeps an invalid document, and works without a cache', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pp-mjml-')), 'mjml');
    const bad = '<mjml><mj-body><mj-section><mj-text>not in a column</mj-text></mj-section></mj-body></mjml>';
    await expect(runMjml(bad, opts(dir))).rejects.toBeInstanceOf(TemplateError);
    await expect(runMjml(bad, opts(dir))).rejects.toBeInstanceOf(TemplateError);
    expect(await runMjml(doc('Plain'), { ...opts(dir), cacheDir: null })).toContain('Plain');
    expect(() => readdirSync(dir)).toThrow();
  });

  it('lives under PAPERPOST_CACHE_DIR, else the user cache directory', () => {
    expect(mjmlCacheDir({ PAPERPOST_CACHE_DIR: '/var/cache/pp' })).toBe('/var/cache/pp/mjml');
    expect(mjmlCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/paperpost/mjml');
    expect(mjmlCacheDir({ HOME: '/home/a' })).toBe('/home/a/.cache/paperpost/mjml');
  });
});
